//! The providers' registers of issued documents: one per institution, replaced whole by each
//! import (in one transaction, so a reader sees the old register or the new one), and the records
//! an application's document may be.

use chrono::{DateTime, Utc};
use sqlx::{AnyPool, Row};
use telnuska_shared::graduate_register::{Claim, RegisterLine, RegisterRecord};

use super::Statement;
use crate::clock::{parse_stored, stored};

/// Records inserted by one statement: 11 values each, well under both engines' limits on bound
/// parameters, and few round trips for a register of tens of thousands.
const INSERT_BATCH: usize = 500;

/// The columns of a stored record, in [`RegisterLine`] order.
const COLUMNS: &str = "last_name, first_name, patronymic, iin, series, number, registration_number, graduation_year, specialty";

/// Replaces the register of `institution` with `records` (each with its line in the file).
pub async fn replace(pool: &AnyPool, institution: &str, records: &[(usize, RegisterRecord)], by: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM graduate_register WHERE institution = $1").bind(institution).execute(&mut *tx).await?;
    for batch in records.chunks(INSERT_BATCH) {
        let mut insert = Statement::new(format!("INSERT INTO graduate_register (institution, line, {COLUMNS}) VALUES "));
        for (i, (line, r)) in batch.iter().enumerate() {
            insert.push(if i == 0 { "(" } else { ", (" });
            insert.push_bind(institution).push(", ").push_bind(i64::try_from(*line).unwrap_or(i64::MAX)).push(", ");
            insert.push_list([r.last_name.to_string(), r.first_name.to_string(), r.patronymic.as_ref().map(ToString::to_string).unwrap_or_default()]);
            insert.push(", ").push_list([r.iin.to_string(), r.series.to_string(), r.number.to_string(), r.registration_number.to_string()]);
            insert.push(", ").push_bind(i64::from(r.graduation_year)).push(", ").push_bind(r.specialty.as_str()).push(")");
        }
        insert.build()?.execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM graduate_register_imports WHERE institution = $1").bind(institution).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO graduate_register_imports (institution, records, imported_at, imported_by) VALUES ($1, $2, $3, $4)")
        .bind(institution)
        .bind(i64::try_from(records.len()).unwrap_or(i64::MAX))
        .bind(stored(now))
        .bind(by)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// When the register of `institution` was last imported, if ever.
pub async fn imported_at(pool: &AnyPool, institution: &str) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let at: Option<String> =
        sqlx::query_scalar("SELECT imported_at FROM graduate_register_imports WHERE institution = $1").bind(institution).fetch_optional(pool).await?;
    Ok(at.as_deref().and_then(parse_stored))
}

/// The records of `institution`'s register that `claim` may be: the same IIN or the same blank
/// number (the caller compares the series and the rest).
pub async fn candidates(pool: &AnyPool, institution: &str, claim: &Claim) -> Result<Vec<RegisterRecord>, sqlx::Error> {
    // Two look-ups on their own indexes: with `iin = $2 OR number = $3` SQLite scanned the
    // institution's whole register (about 6 ms a look-up for 10,000 records).
    let sql = format!(
        "SELECT {COLUMNS} FROM graduate_register WHERE institution = $1 AND iin = $2 \
         UNION SELECT {COLUMNS} FROM graduate_register WHERE institution = $1 AND number = $3"
    );
    let rows = sqlx::query(&sql).bind(institution).bind(&claim.iin).bind(&claim.number).fetch_all(pool).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let mut line = RegisterLine::default();
        for (i, column) in COLUMNS.split(", ").enumerate() {
            line.cells[i] = if column == "graduation_year" { row.try_get::<i64, _>(column)?.to_string() } else { row.try_get(column)? };
        }
        // Stored records were parsed on import; one that no longer parses is no evidence.
        if let Ok(record) = RegisterRecord::parse(&line, "", i32::MAX) {
            records.push(record);
        }
    }
    Ok(records)
}
