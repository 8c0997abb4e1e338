//! Prints the first screen of `index.html` (`telnuska_app::first_screen::render`): run on the
//! build machine by `cargo xtask build-app`, with the `prerender` feature (Leptos's `ssr`).

fn main() {
    print!("{}", telnuska_app::first_screen::render());
}
