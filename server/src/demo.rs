//! Demo accounts (API.md): `operator`, `field`, `provider`, `admin`, password `demo-password`;
//! the provider serves every seeded institution.

use sqlx::AnyPool;
use telnuska_shared::api::Role;
use telnuska_shared::reference::reference;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::store::staff;

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo accounts as (login, role, full name).
pub const DEMO_ACCOUNTS: [(&str, Role, &str); 4] = [
    ("operator", Role::Operator, "Демо ХҚКО операторы"),
    ("field", Role::Field, "Демо көшпелі қызметкер"),
    ("provider", Role::Provider, "Демо оқу орны қызметкері"),
    ("admin", Role::Admin, "Демо әкімші"),
];

/// Creates the demo accounts that do not exist yet.
pub async fn seed(pool: &AnyPool, clock: &Clock) -> Result<(), ApiError> {
    let every_institution: Vec<String> = reference().institutions.iter().map(|i| i.code.clone()).collect();
    for (login, role, name) in DEMO_ACCOUNTS {
        let institutions = if role == Role::Provider { every_institution.as_slice() } else { &[] };
        staff::create_if_missing(pool, login, DEMO_PASSWORD, role, name, institutions, clock.now()).await?;
    }
    Ok(())
}
