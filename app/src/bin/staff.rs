//! Entry point of the staff office's page (`/staff/…`; the library holds everything).

fn main() {
    telnuska_app::staff::run(&telnuska_app::staff::OFFICE);
}
