//! Storage of the ЦОН desk (issue 17): the branch an operator belongs to, and the courier
//! dispatches that move accepted packages to the provider.

use sqlx::{AnyPool, Row};
use telnuska_shared::branch::Branch;

use crate::error::ApiError;

/// The branch of staff member `staff_id`, if one is set.
#[tracing::instrument(skip(pool))]
pub async fn branch_of(pool: &AnyPool, staff_id: &str) -> Result<Option<Branch>, ApiError> {
    let row = sqlx::query("SELECT branch_number, branch_name FROM staff WHERE id = $1").bind(staff_id).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let (number, name): (Option<String>, Option<String>) = (row.try_get("branch_number")?, row.try_get("branch_name")?);
    Ok(number.zip(name).and_then(|(number, name)| Branch::parse(&number, &name).ok()))
}

/// Sets the branch of `login`; returns whether the account exists.
#[tracing::instrument(skip(pool))]
pub async fn set_branch(pool: &AnyPool, login: &str, branch: &Branch) -> Result<bool, ApiError> {
    let done = sqlx::query("UPDATE staff SET branch_number = $1, branch_name = $2 WHERE login = $3")
        .bind(branch.number())
        .bind(branch.name())
        .bind(login)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the branch of `login` unless it has one (the demo operator's, at every start).
#[tracing::instrument(skip(pool))]
pub async fn set_branch_if_unset(pool: &AnyPool, login: &str, branch: &Branch) -> Result<(), ApiError> {
    sqlx::query("UPDATE staff SET branch_number = $1, branch_name = $2 WHERE login = $3 AND branch_number IS NULL")
        .bind(branch.number())
        .bind(branch.name())
        .bind(login)
        .execute(pool)
        .await?;
    Ok(())
}

/// The branch of whoever accepted application `id` (the actor of its first event), if a staff
/// member with a branch did.
#[tracing::instrument(skip(pool))]
pub async fn accepting_branch(pool: &AnyPool, id: &str) -> Result<Option<Branch>, ApiError> {
    let actor: Option<Option<String>> =
        sqlx::query_scalar("SELECT actor_id FROM application_events WHERE application_id = $1 ORDER BY seq LIMIT 1").bind(id).fetch_optional(pool).await?;
    match actor.flatten() {
        Some(staff_id) => branch_of(pool, &staff_id).await,
        None => Ok(None),
    }
}
