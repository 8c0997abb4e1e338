//! The staff work queue: soonest deadline first, filtered, paged by a `(due_on, id)` cursor.

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};
use telnuska_shared::api::{ApplicationStatus, ApplicationView, ServiceCode};

use super::StoreError;

use super::applications::{view_from_row, VIEW_COLUMNS};

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

/// Pushes a bound value and returns its `$n` placeholder.
fn bind(binds: &mut Vec<String>, value: String) -> String {
    binds.push(value);
    format!("${}", binds.len())
}

/// The work queue, with the counts per status under the same filters.
pub async fn queue(pool: &AnyPool, filter: &QueueFilter) -> Result<QueuePage, StoreError> {
    let mut binds: Vec<String> = Vec::new();
    let mut common = String::new();
    if let Some(day) = filter.due_before {
        common.push_str(&format!(" AND due_on < {}", bind(&mut binds, day.to_string())));
    }
    if let Some(institutions) = &filter.institutions {
        if institutions.is_empty() {
            return Ok(QueuePage { items: Vec::new(), next_cursor: None, counts: Vec::new(), institutions: Vec::new() });
        }
        let placeholders: Vec<String> = institutions.iter().map(|i| bind(&mut binds, i.clone())).collect();
        common.push_str(&format!(" AND institution IN ({})", placeholders.join(", ")));
    }
    if let Some(service) = filter.service {
        common.push_str(&format!(" AND service = {}", bind(&mut binds, service.code().to_string())));
    }
    if let Some(text) = &filter.text {
        // A number is stored in capitals, a surname as typed (the JSON keeps letters unescaped).
        let (number, iin, surname) =
            (bind(&mut binds, format!("{}%", text.to_uppercase())), bind(&mut binds, text.clone()), bind(&mut binds, format!("%\"last_name\":\"{text}%")));
        common.push_str(&format!(" AND (number LIKE {number} OR applicant_iin = {iin} OR request_json LIKE {surname})"));
    }
    let counted = binds.len();
    let mut sql = format!("SELECT {VIEW_COLUMNS} FROM applications WHERE 1 = 1{common}");
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND status = {}", bind(&mut binds, status.code().to_string())));
    }
    if let Some((due, id)) = &filter.cursor {
        let (due, id) = (bind(&mut binds, due.clone()), bind(&mut binds, id.clone()));
        sql.push_str(&format!(" AND (due_on > {due} OR (due_on = {due} AND id > {id}))"));
    }
    sql.push_str(&format!(" ORDER BY due_on, id LIMIT {}", filter.limit + 1));
    let mut query = sqlx::query(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(pool).await?;
    let mut items = rows.iter().map(|r| view_from_row(r, Vec::new())).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() as i64 > filter.limit {
        items.truncate(filter.limit as usize);
        items.last().map(|last| format!("{}|{}", last.due_on, last.id))
    } else {
        None
    };
    let count_sql = format!("SELECT status, COUNT(*) AS n FROM applications WHERE 1 = 1{common} GROUP BY status ORDER BY status");
    let mut count_query = sqlx::query(&count_sql);
    for value in &binds[..counted] {
        count_query = count_query.bind(value);
    }
    let counts = count_query.fetch_all(pool).await?.iter().map(|r| Ok((r.try_get("status")?, r.try_get("n")?))).collect::<Result<Vec<_>, sqlx::Error>>()?;
    let mut institutions_sql = String::from("SELECT DISTINCT institution FROM applications");
    let mut visible = Vec::new();
    if let Some(list) = &filter.institutions {
        let placeholders: Vec<String> = list.iter().map(|i| bind(&mut visible, i.clone())).collect();
        institutions_sql.push_str(&format!(" WHERE institution IN ({})", placeholders.join(", ")));
    }
    institutions_sql.push_str(" ORDER BY institution");
    let mut institutions_query = sqlx::query_scalar::<_, String>(&institutions_sql);
    for value in &visible {
        institutions_query = institutions_query.bind(value);
    }
    let institutions = institutions_query.fetch_all(pool).await?;
    Ok(QueuePage { items, next_cursor, counts, institutions })
}
