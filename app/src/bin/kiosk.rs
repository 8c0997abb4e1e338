//! Entry point of the kiosk's page (`/kiosk`; the library holds everything).

fn main() {
    telnuska_app::mount(telnuska_app::kiosk::KioskApp);
}
