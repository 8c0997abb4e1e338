//! Demo accounts (API.md): `operator`, `field`, `provider`, `admin`, password `demo-password`;
//! the provider serves every seeded institution.

use sqlx::AnyPool;
use telnuska_shared::api::Role;
use telnuska_shared::branch::Branch;
use telnuska_shared::reference::compiled;

use crate::clock::Clock;
use crate::store::StoreError;
use crate::store::{desk, staff};

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo accounts as (login, role, full name).
pub const DEMO_ACCOUNTS: [(&str, Role, &str); 4] = [
    ("operator", Role::Operator, "Демо ХҚКО операторы"),
    ("field", Role::Field, "Демо көшпелі қызметкер"),
    ("provider", Role::Provider, "Демо оқу орны қызметкері"),
    ("admin", Role::Admin, "Демо әкімші"),
];

/// The demo operator's ЦОН branch: (department number, name).
pub const DEMO_BRANCH: (&str, &str) = ("2", "Астана қаласы, Есіл ауданы");

/// Creates the demo accounts that do not exist yet, marked as demo accounts: they sign in only
/// while the server runs in demo mode.
pub async fn seed(pool: &AnyPool, clock: &Clock) -> Result<(), StoreError> {
    // The seeded institutions: the demo starts before any was added (and before the state exists).
    let every_institution: Vec<String> = compiled().institutions.iter().map(|i| i.code.clone()).collect();
    for (login, role, name) in DEMO_ACCOUNTS {
        let institutions = if role == Role::Provider { every_institution.as_slice() } else { &[] };
        if staff::create_if_missing(pool, login, DEMO_PASSWORD, role, name, institutions, clock.now()).await? {
            staff::mark_demo(pool, login).await?;
        }
    }
    let branch = Branch::parse(DEMO_BRANCH.0, DEMO_BRANCH.1).map_err(|e| StoreError::unreadable(format!("demo branch: {e}")))?;
    desk::set_branch_if_unset(pool, "operator", &branch).await?;
    Ok(())
}

/// Marks the demo accounts a database got before they were marked (seeded by an older version):
/// an account of a demo login whose password is still the demo password. Returns the logins marked.
pub async fn mark_unmarked(pool: &AnyPool) -> Result<Vec<&'static str>, StoreError> {
    let mut marked = Vec::new();
    for (login, _, _) in DEMO_ACCOUNTS {
        if let Some(hash) = staff::unmarked_password_hash(pool, login).await? {
            if crate::secrets::verify_password(DEMO_PASSWORD, &hash) {
                staff::mark_demo(pool, login).await?;
                marked.push(login);
            }
        }
    }
    Ok(marked)
}
