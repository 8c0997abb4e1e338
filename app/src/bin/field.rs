//! Entry point of the field worker's page (`/staff/field`; the library holds everything).

fn main() {
    telnuska_app::staff::run(&telnuska_app::staff::field::PAGE);
}
