//! Entry point of the ЦОН desk's page (`/staff/desk/…`; the library holds everything).

fn main() {
    telnuska_app::staff::run(&telnuska_app::staff::desk::PAGE);
}
