//! Entry point of the staff bundle (`/staff/…`, `/kiosk…`; the library holds everything).

fn main() {
    telnuska_app::staff::run();
}
