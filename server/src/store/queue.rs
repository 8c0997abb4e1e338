//! The staff work queue: soonest deadline first, filtered, paged by a `(due_on, id)` cursor.

use chrono::NaiveDate;
use sqlx::AnyPool;
use telnuska_shared::api::{ApplicationStatus, ApplicationView};

use crate::error::ApiError;

use super::applications::{view_from_row, VIEW_COLUMNS};

/// A page of the work queue, soonest deadline first.
pub struct QueuePage {
    /// Applications on this page (without history).
    pub items: Vec<ApplicationView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
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
    /// Continue after this cursor (`due_on|id`).
    pub cursor: Option<(String, String)>,
    /// Page size.
    pub limit: i64,
}

/// The work queue.
pub async fn queue(pool: &AnyPool, filter: &QueueFilter) -> Result<QueuePage, ApiError> {
    let mut sql = format!("SELECT {VIEW_COLUMNS} FROM applications WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    // Pushes a bound value and returns its `$n` placeholder.
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND status = {}", bind(status.code().to_string())));
    }
    if let Some(day) = filter.due_before {
        sql.push_str(&format!(" AND due_on < {}", bind(day.to_string())));
    }
    if let Some(institutions) = &filter.institutions {
        if institutions.is_empty() {
            return Ok(QueuePage { items: Vec::new(), next_cursor: None });
        }
        let placeholders: Vec<String> = institutions.iter().map(|i| bind(i.clone())).collect();
        sql.push_str(&format!(" AND institution IN ({})", placeholders.join(", ")));
    }
    if let Some((due, id)) = &filter.cursor {
        let (due, id) = (bind(due.clone()), bind(id.clone()));
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
    Ok(QueuePage { items, next_cursor })
}
