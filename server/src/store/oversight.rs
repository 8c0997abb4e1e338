//! The stage events of applications, read as [`Case`]s for the head's view.

use sqlx::{AnyPool, Row};
use telnuska_shared::api::{ApplicationStatus, ServiceCode};
use telnuska_shared::oversight::{Case, StageEvent};

use super::applications::watched;
use super::{Statement, StoreError};
use crate::clock::parse_stored;

/// Every application (of `institutions`, when given) with its stage events, oldest first.
pub async fn cases(pool: &AnyPool, institutions: Option<&[String]>) -> Result<Vec<Case>, StoreError> {
    let mut select = Statement::new(
        "SELECT a.id, a.service, a.registered_on, a.due_on, a.collection_place, a.register_by, a.review_by, a.recall_by, a.objection_by, e.at, e.status \
         FROM applications a JOIN application_events e ON e.application_id = a.id",
    );
    if let Some(list) = institutions {
        if list.is_empty() {
            return Ok(Vec::new());
        }
        select.push(" WHERE a.institution IN (").push_list(list).push(")");
    }
    select.push(" ORDER BY a.id, e.seq");
    let stored = |what: &str| StoreError::unreadable(what.to_string());
    let (mut cases, mut current): (Vec<Case>, Option<String>) = (Vec::new(), None);
    for row in select.build()?.fetch_all(pool).await? {
        let id: String = row.try_get("id")?;
        if current.as_deref() != Some(id.as_str()) {
            let date = |c: &str| -> Result<_, StoreError> { row.try_get::<String, _>(c)?.parse().map_err(|_| stored(c)) };
            cases.push(Case {
                service: ServiceCode::from_code(&row.try_get::<String, _>("service")?).ok_or_else(|| stored("service"))?,
                registered_on: date("registered_on")?,
                due_on: date("due_on")?,
                collected_at_provider: row.try_get::<String, _>("collection_place")? == "provider",
                watched: watched(&row)?,
                events: Vec::new(),
            });
            current = Some(id);
        }
        let event = StageEvent {
            at: parse_stored(&row.try_get::<String, _>("at")?).ok_or_else(|| stored("event time"))?,
            status: ApplicationStatus::from_code(&row.try_get::<String, _>("status")?).ok_or_else(|| stored("status"))?,
        };
        if let Some(case) = cases.last_mut() {
            case.events.push(event);
        }
    }
    Ok(cases)
}
