//! The background job: flags applications at risk and overdue, returns documents unclaimed for
//! a month to the provider, drains the SMS and monitoring outboxes, removes uploads nobody referred to and rows
//! past their retention period (`store::retention`). With several server instances on one
//! PostgreSQL only one runs a pass at a time (an advisory lock).

use std::time::Duration;

use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, Role};
use telnuska_shared::deadlines::{deadline_state, DeadlineState};
use telnuska_shared::workflow::{self, Action};

use crate::config::DatabaseKind;
use crate::sms;
use crate::state::AppState;
use crate::store::applications::{self as store, Actor};
use crate::store::StoreError;
use crate::store::{intake, notifications, Statement};

/// Advisory lock key of the job ("TELN" in ASCII).
const JOB_LOCK_KEY: i64 = 0x5445_4C4E;

/// Statuses in which the provider still owes the result.
pub(crate) const OWED: [&str; 6] = ["submitted", "in_transit", "registered", "in_review", "hearing_scheduled", "ready"];

/// What one pass did.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct JobReport {
    /// Whether this instance ran the pass (false: another instance holds the lock).
    pub ran: bool,
    /// Applications now at risk.
    pub at_risk: u64,
    /// Applications now overdue.
    pub overdue: u64,
    /// Documents returned to the provider.
    pub returned: u64,
    /// SMS delivery.
    pub sms: sms::DrainReport,
    /// Stages reported to the state monitoring system.
    pub monitoring: sms::DrainReport,
    /// Uploaded files no application referred to within a day, removed.
    pub orphan_attachments: u64,
    /// Rows past their retention period, removed.
    pub removed: crate::store::retention::RetentionReport,
}

/// Runs passes forever at `interval`.
pub async fn run_periodically(state: AppState, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        match run_once(&state).await {
            Ok(report) if report.ran => tracing::debug!(?report, "job pass"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "job pass failed"),
        }
    }
}

/// One pass, under the cluster-wide lock.
pub async fn run_once(state: &AppState) -> Result<JobReport, StoreError> {
    let mut lock = state.pool.begin().await?;
    if state.config.database_kind == DatabaseKind::Postgres {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(JOB_LOCK_KEY).fetch_one(&mut *lock).await?;
        if !got {
            return Ok(JobReport::default());
        }
    }
    let mut report = JobReport { ran: true, ..JobReport::default() };
    // Other instances' amendments reach this one here at the latest.
    state.set_calendar(crate::store::calendar::load(&state.pool).await?);
    (report.at_risk, report.overdue) = flag_deadlines(state).await?;
    report.returned = return_unclaimed(state).await?;
    report.sms = sms::drain(&state.pool, &state.writes, &state.sms, state.clock.now()).await?;
    report.monitoring = crate::monitoring::drain(&state.pool, &state.writes, state.monitoring.as_ref(), state.clock.now()).await?;
    let cutoff = state.clock.now() - chrono::Duration::hours(intake::ORPHAN_ATTACHMENT_HOURS);
    report.orphan_attachments = intake::delete_orphan_attachments(&state.pool, &state.writes, cutoff).await?;
    report.removed = crate::store::retention::purge(&state.pool, &state.writes, state.clock.now()).await?;
    lock.commit().await?;
    Ok(report)
}

/// Recomputes `deadline_state` of every application that still owes a result: the worst of its
/// term and of the derived deadlines that run in its status (shared's `deadline_state`).
async fn flag_deadlines(state: &AppState) -> Result<(u64, u64), StoreError> {
    let today = state.clock.today();
    let calendar = state.calendar();
    let mut owed = Statement::new(
        "SELECT id, status, result_made, due_on, deadline_state, register_by, review_by, recall_by, objection_by FROM applications WHERE status IN (",
    );
    owed.push_list(OWED).push(")");
    let (mut at_risk, mut overdue) = (0, 0);
    let mut changed = Vec::new();
    for row in owed.build()?.fetch_all(&state.pool).await? {
        let Ok(due_on) = row.try_get::<String, _>("due_on")?.parse::<chrono::NaiveDate>() else { continue };
        let Some(status) = ApplicationStatus::from_code(&row.try_get::<String, _>("status")?) else { continue };
        let result_made = row.try_get::<i64, _>("result_made")? != 0;
        let flag = deadline_state(&calendar, today, status, result_made, due_on, &store::watched(&row)?);
        match flag {
            DeadlineState::Overdue => overdue += 1,
            DeadlineState::AtRisk => at_risk += 1,
            DeadlineState::OnTime => {}
        }
        if row.try_get::<String, _>("deadline_state")? != flag.code() {
            changed.push((row.try_get::<String, _>("id")?, flag.code()));
        }
    }
    if !changed.is_empty() {
        let mut written = state.writes.autocommit(&state.pool).await?;
        for (id, flag) in changed {
            sqlx::query("UPDATE applications SET deadline_state = $1 WHERE id = $2").bind(flag).bind(id).execute(written.conn()).await?;
        }
        written.finish().await?;
    }
    Ok((at_risk, overdue))
}

/// Moves documents (and refusal letters) that waited a month at ЦОН back to the provider,
/// through the workflow.
async fn return_unclaimed(state: &AppState) -> Result<u64, StoreError> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM applications WHERE status IN ('at_con', 'refusal_at_con')").fetch_all(&state.pool).await?;
    let mut returned = 0;
    for id in ids {
        let mut tx = state.begin_write().await?;
        if return_one(state, &mut tx, &id).await? {
            tx.commit().await?;
            returned += 1;
        }
    }
    Ok(returned)
}

async fn return_one(state: &AppState, tx: &mut Transaction<'_, Any>, id: &str) -> Result<bool, StoreError> {
    let Some(facts) = store::workflow_facts(tx, id).await? else { return Ok(false) };
    let now = state.clock.now();
    let calendar = state.calendar();
    let ctx = facts.context(now, &calendar);
    let action = Action::ReturnToProvider;
    let Ok(next) = workflow::transition(facts.status, &action, Role::System, &ctx) else { return Ok(false) };
    debug_assert!(matches!(next, ApplicationStatus::ReturnedToProvider | ApplicationStatus::RefusalReturned));
    let actor = Actor { role: Role::System, id: None, channel: facts.channel };
    let step = store::Transition { from: facts.status, to: next, action: &action, started: workflow::deadlines_started(&action, &ctx) };
    store::apply_transition(tx, id, &step, &actor, now).await?;
    notifications::enqueue_for_transition(tx, state.config.links_base(), &state.reference(), id, next, &action, now).await?;
    Ok(true)
}
