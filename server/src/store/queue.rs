//! The staff work queue: soonest deadline first, filtered, paged by a `(due_on, id)` cursor.

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};
use telnuska_shared::api::{ApplicationStatus, ApplicationView, ServiceCode};

use super::{Statement, StoreError};

use super::view::{view_from_row, VIEW_COLUMNS};

/// A page of the work queue, soonest deadline first.
pub struct QueuePage {
    /// Applications on this page (without history).
    pub items: Vec<ApplicationView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
    /// How many applications each status holds under the filters other than status, by code.
    pub counts: Vec<(String, i64)>,
    /// The institutions the caller may see that have applications (for the filter's choices).
    pub institutions: Vec<String>,
}

/// Filters of the work queue.
#[derive(Debug, Default)]
pub struct QueueFilter {
    /// Only this status.
    pub status: Option<ApplicationStatus>,
    /// Only due before this day.
    pub due_before: Option<NaiveDate>,
    /// Only these institutions (`None`: all).
    pub institutions: Option<Vec<String>>,
    /// Only this service.
    pub service: Option<ServiceCode>,
    /// Only those whose number, applicant's IIN or surname starts with this text.
    pub text: Option<String>,
    /// Continue after this cursor (`due_on|id`).
    pub cursor: Option<(String, String)>,
    /// Page size.
    pub limit: i64,
}

/// Every institution that has applications, one index probe each: a `DISTINCT` would read the
/// whole index, which grows with every application ever made (neither database skips through an
/// index by itself here).
const INSTITUTIONS_WITH_APPLICATIONS: &str = "WITH RECURSIVE seen (code) AS ( \
       SELECT MIN(institution) FROM applications \
       UNION ALL \
       SELECT (SELECT MIN(institution) FROM applications WHERE institution > seen.code) FROM seen WHERE seen.code IS NOT NULL) \
     SELECT code FROM seen WHERE code IS NOT NULL ORDER BY code";

/// Appends the filters that both the page and its counts per status apply.
fn push_filters<'a>(statement: &mut Statement<'a>, filter: &'a QueueFilter) {
    if let Some(day) = filter.due_before {
        statement.push(" AND due_on < ").push_bind(day.to_string());
    }
    if let Some(institutions) = &filter.institutions {
        statement.push(" AND institution IN (").push_list(institutions).push(")");
    }
    if let Some(service) = filter.service {
        statement.push(" AND service = ").push_bind(service.code());
    }
    if let Some(text) = &filter.text {
        // A number is stored in capitals, a surname as typed (the JSON keeps letters unescaped).
        statement.push(" AND (number LIKE ").push_bind(format!("{}%", text.to_uppercase()));
        statement.push(" OR applicant_iin = ").push_bind(text);
        statement.push(" OR request_json LIKE ").push_bind(format!("%\"last_name\":\"{text}%")).push(")");
    }
}

/// The work queue, with the counts per status under the same filters.
pub async fn queue(pool: &AnyPool, filter: &QueueFilter) -> Result<QueuePage, StoreError> {
    if filter.institutions.as_ref().is_some_and(Vec::is_empty) {
        return Ok(QueuePage { items: Vec::new(), next_cursor: None, counts: Vec::new(), institutions: Vec::new() });
    }
    let mut page = Statement::new(format!("SELECT {VIEW_COLUMNS} FROM applications WHERE 1 = 1"));
    push_filters(&mut page, filter);
    if let Some(status) = filter.status {
        page.push(" AND status = ").push_bind(status.code());
    }
    if let Some((due, id)) = &filter.cursor {
        page.push(" AND (due_on > ").push_bind(due).push(" OR (due_on = ").push_bind(due).push(" AND id > ").push_bind(id).push("))");
    }
    page.push(format_args!(" ORDER BY due_on, id LIMIT {}", filter.limit + 1));
    let rows = page.build()?.fetch_all(pool).await?;
    let mut items = rows.iter().map(|r| view_from_row(r, Vec::new())).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() as i64 > filter.limit {
        items.truncate(filter.limit as usize);
        items.last().map(|last| format!("{}|{}", last.due_on, last.id))
    } else {
        None
    };
    let mut count = Statement::new("SELECT status, COUNT(*) AS n FROM applications WHERE 1 = 1");
    push_filters(&mut count, filter);
    count.push(" GROUP BY status ORDER BY status");
    let counts = count.build()?.fetch_all(pool).await?.iter().map(|r| Ok((r.try_get("status")?, r.try_get("n")?))).collect::<Result<Vec<_>, sqlx::Error>>()?;
    let institutions = match &filter.institutions {
        Some(list) => {
            let mut visible = Statement::new("SELECT DISTINCT institution FROM applications WHERE institution IN (");
            visible.push_list(list).push(") ORDER BY institution");
            visible.build_query_scalar::<String>()?.fetch_all(pool).await?
        }
        None => sqlx::query_scalar(INSTITUTIONS_WITH_APPLICATIONS).fetch_all(pool).await?,
    };
    Ok(QueuePage { items, next_cursor, counts, institutions })
}
