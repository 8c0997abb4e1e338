//! Storage of the ЦОН desk (issue 17): the branch an operator belongs to, and the courier
//! dispatches that move accepted packages to the provider.

use sqlx::{Any, AnyPool, Row, Transaction};
use telnuska_shared::branch::Branch;

use super::writes::WriteGate;
use super::StoreError;

/// The branch of staff member `staff_id`, if one is set.
#[tracing::instrument(skip(pool))]
pub async fn branch_of(pool: &AnyPool, staff_id: &str) -> Result<Option<Branch>, StoreError> {
    let row = sqlx::query("SELECT branch_number, branch_name FROM staff WHERE id = $1").bind(staff_id).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let (number, name): (Option<String>, Option<String>) = (row.try_get("branch_number")?, row.try_get("branch_name")?);
    Ok(number.zip(name).and_then(|(number, name)| Branch::parse(&number, &name).ok()))
}

/// Sets the branch of `login`; returns whether the account exists.
#[tracing::instrument(skip(pool, writes))]
pub async fn set_branch(pool: &AnyPool, writes: &WriteGate, login: &str, branch: &Branch) -> Result<bool, StoreError> {
    let mut written = writes.autocommit(pool).await?;
    let done = sqlx::query("UPDATE staff SET branch_number = $1, branch_name = $2 WHERE login = $3")
        .bind(branch.number())
        .bind(branch.name())
        .bind(login)
        .execute(written.conn())
        .await?;
    written.finish().await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the branch of `login` unless it has one (the demo operator's, at every start).
#[tracing::instrument(skip(pool))]
pub async fn set_branch_if_unset(pool: &AnyPool, login: &str, branch: &Branch) -> Result<(), StoreError> {
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
pub async fn accepting_branch(pool: &AnyPool, id: &str) -> Result<Option<Branch>, StoreError> {
    let actor: Option<Option<String>> =
        sqlx::query_scalar("SELECT actor_id FROM application_events WHERE application_id = $1 ORDER BY seq LIMIT 1").bind(id).fetch_optional(pool).await?;
    match actor.flatten() {
        Some(staff_id) => branch_of(pool, &staff_id).await,
        None => Ok(None),
    }
}

/// An application as the desk's lists show it.
#[derive(Debug, Clone)]
pub struct DeskRow {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// The provider's code.
    pub institution: String,
    /// The request as stored (for the applicant's name).
    pub request_json: String,
    /// The instant the list is about: accepted (waiting for the courier) or arrived (on the shelf).
    pub at: String,
}

fn desk_row(r: &sqlx::any::AnyRow) -> Result<DeskRow, StoreError> {
    Ok(DeskRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        institution: r.try_get("institution")?,
        request_json: r.try_get("request_json")?,
        at: r.try_get("at")?,
    })
}

/// The branch number of the staff member who accepted application `a` (its first event's
/// actor): NULL for a kiosk's package, or one accepted by someone without a branch.
const ACCEPTED_AT_BRANCH: &str =
    "(SELECT s.branch_number FROM application_events e JOIN staff s ON s.id = e.actor_id WHERE e.application_id = a.id ORDER BY e.seq LIMIT 1)";

/// The filter of a branch's courier register, `$1` being the branch number (`''`: none, all):
/// the packages accepted at that branch and those no branch accepted.
fn of_branch(column: &str) -> String {
    format!("($1 = '' OR COALESCE({column}, $1) = $1)")
}

fn branch_key(branch: Option<&Branch>) -> String {
    branch.map(|b| b.number().to_string()).unwrap_or_default()
}

/// The packages accepted at `branch` (see [`of_branch`]) and not yet sent with a courier,
/// oldest first.
#[tracing::instrument(skip(pool))]
pub async fn waiting_for_courier(pool: &AnyPool, branch: Option<&Branch>) -> Result<Vec<DeskRow>, StoreError> {
    let sql = format!(
        "SELECT a.id, a.number, a.institution, a.request_json, a.submitted_at AS at FROM applications a WHERE a.status = 'submitted' AND {} \
         ORDER BY a.submitted_at, a.number",
        of_branch(ACCEPTED_AT_BRANCH)
    );
    let found = sqlx::query(&sql).bind(branch_key(branch)).fetch_all(pool).await?;
    found.iter().map(desk_row).collect()
}

/// The results waiting at ЦОН to be collected, by arrival, each with whether it is a refusal
/// letter (`refusal_at_con`) rather than a duplicate.
#[tracing::instrument(skip(pool))]
pub async fn on_shelf(pool: &AnyPool) -> Result<Vec<(DeskRow, bool)>, StoreError> {
    let found = sqlx::query(
        "SELECT id, number, institution, request_json, at_con_since AS at, status FROM applications \
         WHERE status IN ('at_con', 'refusal_at_con') ORDER BY at_con_since, number",
    )
    .fetch_all(pool)
    .await?;
    found.iter().map(|r| Ok((desk_row(r)?, r.try_get::<String, _>("status")? == "refusal_at_con"))).collect()
}

/// When each provider's last courier dispatch from `branch` left.
#[tracing::instrument(skip(pool))]
pub async fn last_dispatches(pool: &AnyPool, branch: Option<&Branch>) -> Result<Vec<(String, String)>, StoreError> {
    let sql = format!("SELECT institution, MAX(dispatched_at) AS at FROM courier_dispatches WHERE {} GROUP BY institution", of_branch("branch_number"));
    let found = sqlx::query(&sql).bind(branch_key(branch)).fetch_all(pool).await?;
    found.iter().map(|r| Ok((r.try_get("institution")?, r.try_get("at")?))).collect()
}

/// The ids of one provider's packages waiting for `branch`'s courier, read inside the dispatch.
pub async fn waiting_ids(tx: &mut Transaction<'_, Any>, institution: &str, branch: Option<&Branch>) -> Result<Vec<String>, StoreError> {
    let sql = format!(
        "SELECT a.id FROM applications a WHERE {} AND a.status = 'submitted' AND a.institution = $2 ORDER BY a.submitted_at, a.number",
        of_branch(ACCEPTED_AT_BRANCH)
    );
    Ok(sqlx::query_scalar(&sql).bind(branch_key(branch)).bind(institution).fetch_all(&mut **tx).await?)
}

/// The numbers of a dispatch's packages, in order.
pub async fn numbers_of(tx: &mut Transaction<'_, Any>, dispatch_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT number FROM applications WHERE dispatch_id = $1 ORDER BY number").bind(dispatch_id).fetch_all(&mut **tx).await?)
}

/// A new dispatch of the packages `ids` to `institution` at `at`.
pub async fn record_dispatch(
    tx: &mut Transaction<'_, Any>,
    dispatch_id: &str,
    institution: &str,
    branch: Option<&Branch>,
    at: &str,
    by_staff: &str,
    ids: &[String],
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO courier_dispatches (id, institution, branch_number, dispatched_at, by_staff) VALUES ($1, $2, $3, $4, $5)")
        .bind(dispatch_id)
        .bind(institution)
        .bind(branch.map(Branch::number))
        .bind(at)
        .bind(by_staff)
        .execute(&mut **tx)
        .await?;
    for id in ids {
        sqlx::query("UPDATE applications SET dispatch_id = $1 WHERE id = $2").bind(dispatch_id).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// A dispatch's provider, time and packages (ids by number), if it exists.
#[tracing::instrument(skip(pool))]
pub async fn dispatch(pool: &AnyPool, dispatch_id: &str) -> Result<Option<(String, String, Vec<String>)>, StoreError> {
    let row = sqlx::query("SELECT institution, dispatched_at FROM courier_dispatches WHERE id = $1").bind(dispatch_id).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let ids = sqlx::query_scalar("SELECT id FROM applications WHERE dispatch_id = $1 ORDER BY number").bind(dispatch_id).fetch_all(pool).await?;
    Ok(Some((row.try_get("institution")?, row.try_get("dispatched_at")?, ids)))
}

/// The language the applicant reads (of their SMS and their copy of a note).
pub async fn language_of(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT lang FROM applications WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?)
}

/// A result on its way to ЦОН.
#[derive(Debug, Clone)]
pub struct IncomingRow {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// The provider's code.
    pub institution: String,
    /// The request as stored (for the applicant's name).
    pub request_json: String,
    /// `ready`, `in_transit` or `refused`.
    pub status: String,
    /// A recall's deadline, if one was asked.
    pub recall_by: Option<String>,
    /// The channel it came through.
    pub channel: String,
    /// Where the result is collected.
    pub collection_place: String,
}

/// The results on their way to ЦОН: made for collection there (`ready`), recalled from the
/// provider (`in_transit` once the result was made), and every refusal (`refused`: the caller
/// keeps those whose letter travels to ЦОН, `workflow::refusal_letter_via_con`).
#[tracing::instrument(skip(pool))]
pub async fn incoming(pool: &AnyPool) -> Result<Vec<IncomingRow>, StoreError> {
    let found = sqlx::query(
        "SELECT id, number, institution, request_json, status, recall_by, channel, collection_place FROM applications \
         WHERE (status = 'ready' AND collection_place = 'con') OR (status = 'in_transit' AND result_made = 1) OR status = 'refused' ORDER BY number",
    )
    .fetch_all(pool)
    .await?;
    found
        .iter()
        .map(|r| {
            Ok(IncomingRow {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                institution: r.try_get("institution")?,
                request_json: r.try_get("request_json")?,
                status: r.try_get("status")?,
                recall_by: r.try_get("recall_by")?,
                channel: r.try_get("channel")?,
                collection_place: r.try_get("collection_place")?,
            })
        })
        .collect()
}
