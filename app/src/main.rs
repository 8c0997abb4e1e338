//! Entry point of the citizen's app (the library holds everything; see `lib.rs`).

fn main() {
    telnuska_app::run_citizen();
}
