//! The state identity registry, which the ЦОН desk asks for a person's name by IIN so that an
//! intake at the counter starts from the IIN alone (issue 17). Reached through the
//! [`IdentityRegistry`] adapter: over HTTP when configured (with timeouts), a demo registry of
//! seeded people in demo mode, and otherwise unavailable. Unavailable is never a dead end: the
//! operator is told to type the data by hand, and the intake goes on.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;
use telnuska_shared::api::IdentityPerson;
use telnuska_shared::iin::Iin;
use thiserror::Error;

use crate::outbound::Endpoint;
use crate::secrets::Secret;

/// Seconds the desk waits for the registry by default (`TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS`):
/// the person stands at the counter, and typing the name takes less than waiting longer.
pub const DEFAULT_TIMEOUT_SECS: u64 = 5;

/// Why the registry gave no person.
#[derive(Debug, Error)]
pub enum LookupError {
    /// The registry answered that it knows no such IIN.
    #[error("the registry knows no person with this IIN")]
    NotFound,
    /// No answer in time, a refused connection, an error status or an unreadable answer
    /// (the detail is logged; the operator types the data by hand).
    #[error("the identity registry is unavailable: {0}")]
    Unavailable(String),
}

/// A boxed future of a look-up.
pub type Lookup<'a> = Pin<Box<dyn Future<Output = Result<IdentityPerson, LookupError>> + Send + 'a>>;

/// The identity registry, as the server sees it.
pub trait IdentityRegistry: Send + Sync {
    /// The person with this IIN.
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a>;
}

/// What the registry answers for a person (its own field names are ours: the adapter's contract
/// is documented in API.md).
#[derive(Debug, Deserialize)]
struct RegistryPerson {
    last_name: String,
    first_name: String,
    #[serde(default)]
    patronymic: Option<String>,
    #[serde(default)]
    birth_date: Option<NaiveDate>,
}

/// `GET url/{iin}` with `Authorization: Bearer key`: 200 with the person as JSON, 404 for an
/// unknown IIN; anything else, or no answer within the timeout, is "unavailable".
struct Http(Endpoint);

impl IdentityRegistry for Http {
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a> {
        Box::pin(async move {
            let unavailable = |e: &dyn std::fmt::Display| LookupError::Unavailable(e.to_string());
            let res = self.0.get(iin.as_ref()).await.map_err(|e| unavailable(&e))?;
            match res.status() {
                reqwest::StatusCode::NOT_FOUND => Err(LookupError::NotFound),
                status if status.is_success() => {
                    let person: RegistryPerson = res.json().await.map_err(|e| unavailable(&e))?;
                    let patronymic = person.patronymic.filter(|p| !p.trim().is_empty());
                    Ok(IdentityPerson {
                        iin: iin.to_string(),
                        last_name: person.last_name,
                        first_name: person.first_name,
                        patronymic,
                        birth_date: person.birth_date,
                    })
                }
                status => Err(unavailable(&format_args!("the registry answered {status}"))),
            }
        })
    }
}

/// The people of the demo registry: (IIN, surname, name, patronymic). The first is the
/// applicant of the project's examples and tests.
pub const DEMO_PEOPLE: [(&str, &str, &str, Option<&str>); 5] = [
    ("010101599904", "Сейітқали", "Әсел", Some("Нұрланқызы")),
    ("700101390111", "Жұмабаев", "Ерлан", Some("Серікұлы")),
    ("850315401231", "Ахметова", "Гүлнар", Some("Бауыржанқызы")),
    ("920712300459", "Ким", "Виктор", Some("Сергеевич")),
    ("651120450677", "Оспанова", "Роза", None),
];

/// Demo mode: the seeded people of [`DEMO_PEOPLE`], anyone else unknown.
struct Demo;

impl IdentityRegistry for Demo {
    fn find<'a>(&'a self, iin: &'a Iin) -> Lookup<'a> {
        let found = DEMO_PEOPLE.iter().find(|(code, ..)| *code == iin.as_ref()).map(|(_, last, first, patronymic)| IdentityPerson {
            iin: iin.to_string(),
            last_name: (*last).to_string(),
            first_name: (*first).to_string(),
            patronymic: patronymic.map(str::to_string),
            birth_date: Some(iin.birth_date()),
        });
        Box::pin(async move { found.ok_or(LookupError::NotFound) })
    }
}

/// No registry configured outside demo mode: every look-up is unavailable (typed by hand).
struct Unconfigured;

impl IdentityRegistry for Unconfigured {
    fn find<'a>(&'a self, _: &'a Iin) -> Lookup<'a> {
        Box::pin(async { Err(LookupError::Unavailable("no identity registry configured (TELNUSKA_IDENTITY_REGISTRY_URL)".into())) })
    }
}

/// The adapter the configuration asks for (like the SMS gateway: a URL wins, else demo mode).
pub fn from_config(demo: bool, url: Option<String>, key: Option<Secret>, timeout_secs: u64) -> Arc<dyn IdentityRegistry> {
    match (url, demo) {
        (Some(url), _) => Arc::new(Http(Endpoint::with_timeout(url, key, Duration::from_secs(timeout_secs)))),
        (None, true) => Arc::new(Demo),
        (None, false) => Arc::new(Unconfigured),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_person_has_a_valid_iin_and_a_name() {
        for (iin, last, first, _) in DEMO_PEOPLE {
            assert!(Iin::parse(iin).is_ok(), "{iin}");
            assert!(!last.is_empty() && !first.is_empty());
        }
    }

    #[tokio::test]
    async fn the_demo_registry_knows_its_people_and_no_one_else() {
        let registry = from_config(true, None, None, DEFAULT_TIMEOUT_SECS);
        let asel = registry.find(&Iin::parse("010101599904").unwrap()).await.unwrap();
        assert_eq!((asel.last_name.as_str(), asel.birth_date), ("Сейітқали", NaiveDate::from_ymd_opt(2001, 1, 1)));
        assert!(matches!(registry.find(&Iin::parse("120229699910").unwrap()).await, Err(LookupError::NotFound)));
    }

    #[tokio::test]
    async fn without_a_registry_outside_demo_mode_every_look_up_is_unavailable() {
        let registry = from_config(false, None, None, DEFAULT_TIMEOUT_SECS);
        let error = registry.find(&Iin::parse("010101599904").unwrap()).await.unwrap_err();
        assert!(matches!(error, LookupError::Unavailable(_)), "{error}");
    }
}
