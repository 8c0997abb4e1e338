//! The working-day calendar as live data: the bundled holidays with administrators'
//! amendments laid over them, each amendment audited with its decree.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyPool, Row};
use telnuska_shared::calendar::{Calendar, CalendarDay, DayKind};

use super::StoreError;
use crate::clock::stored;

/// The code of a day kind as stored.
pub fn kind_code(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "holiday",
        DayKind::TransferDayOff => "transfer_day_off",
        DayKind::TransferWorkday => "transfer_workday",
    }
}

fn kind_of(code: &str) -> Option<DayKind> {
    match code {
        "holiday" => Some(DayKind::Holiday),
        "transfer_day_off" => Some(DayKind::TransferDayOff),
        "transfer_workday" => Some(DayKind::TransferWorkday),
        _ => None,
    }
}

/// Every amendment, oldest date first.
pub async fn amendments(pool: &AnyPool) -> Result<Vec<CalendarDay>, StoreError> {
    let rows = sqlx::query("SELECT date, kind, name, source FROM calendar_amendments ORDER BY date").fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let date: String = r.try_get("date")?;
            let kind: String = r.try_get("kind")?;
            Ok(CalendarDay {
                date: date.parse().map_err(|_| StoreError::unreadable(format!("date {date}")))?,
                kind: kind_of(&kind).ok_or_else(|| StoreError::unreadable(format!("day kind {kind}")))?,
                name: r.try_get("name")?,
                source: r.try_get("source")?,
            })
        })
        .collect()
}

/// The calendar in force: bundled data plus amendments.
pub async fn load(pool: &AnyPool) -> Result<Calendar, StoreError> {
    Ok(Calendar::builtin().with_amendments(amendments(pool).await?))
}

/// Stores an amendment (replacing an earlier one of the same date) and its audit record.
pub async fn amend(pool: &AnyPool, day: &CalendarDay, old: Option<DayKind>, by: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM calendar_amendments WHERE date = $1").bind(day.date.to_string()).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO calendar_amendments (date, kind, name, source, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(day.date.to_string())
        .bind(kind_code(day.kind))
        .bind(&day.name)
        .bind(&day.source)
        .bind(stored(now))
        .bind(by)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO calendar_audit (id, at, by_staff, date, old_kind, new_kind, name, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(stored(now))
        .bind(by)
        .bind(day.date.to_string())
        .bind(old.map(kind_code))
        .bind(kind_code(day.kind))
        .bind(&day.name)
        .bind(&day.source)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An open application whose due date an amendment would change.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Affected {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// The due date it keeps.
    pub due_on: NaiveDate,
    /// The due date the amended calendar would give.
    pub due_on_if_recomputed: NaiveDate,
}

/// Open applications whose due date would differ under `amended` (they keep theirs: deadlines
/// already given to a person are never moved silently).
pub async fn affected(pool: &AnyPool, amended: &Calendar, term_of: impl Fn(&str) -> Option<u32>) -> Result<Vec<Affected>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, number, service, registered_on, due_on FROM applications \
         WHERE status NOT IN ('issued', 'refused', 'at_con', 'returned_to_provider', 'refusal_at_con', 'refusal_issued', 'refusal_returned') ORDER BY due_on",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let (Ok(registered_on), Ok(due_on)) =
            (r.try_get::<String, _>("registered_on")?.parse::<NaiveDate>(), r.try_get::<String, _>("due_on")?.parse::<NaiveDate>())
        else {
            continue;
        };
        let Some(term) = term_of(&r.try_get::<String, _>("service")?) else { continue };
        let recomputed = amended.due_on(registered_on, term);
        if recomputed != due_on {
            out.push(Affected { id: r.try_get("id")?, number: r.try_get("number")?, due_on, due_on_if_recomputed: recomputed });
        }
    }
    Ok(out)
}
