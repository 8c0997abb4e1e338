//! The state every handler shares: the database, the clock, the calendar, the reference data,
//! the configuration.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use sqlx::AnyPool;
use telnuska_shared::calendar::Calendar;
use telnuska_shared::reference::Reference;

use crate::clock::Clock;
use crate::config::Config;
use crate::sms::SmsGateway;
use crate::store::writes::{WriteGate, WriteTx};
use crate::store::StoreError;

/// Shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub pool: AnyPool,
    /// Where its write transactions queue (one at a time on SQLite).
    pub writes: WriteGate,
    /// "Now".
    pub clock: Clock,
    /// Working days in force; replaced whole when an administrator amends the calendar.
    pub calendar: Arc<RwLock<Arc<Calendar>>>,
    /// The reference data in force (the compiled-in catalogues with the institutions
    /// administrators added); replaced whole when they change ([`AppState::refresh_reference`]).
    pub reference: Arc<RwLock<Arc<Reference>>>,
    /// Taken while the added institutions are read and put in force, so that an older read never
    /// replaces a newer one.
    pub reference_refresh: Arc<tokio::sync::Mutex<()>>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Where SMS messages go.
    pub sms: SmsGateway,
    /// Checks EDS signatures.
    pub signatures: Arc<dyn crate::signing::SignatureVerifier>,
    /// Publishes college diplomas to the "Digital documents" service.
    pub digital_documents: Arc<dyn crate::digital::DigitalDocuments>,
    /// Reports each stage to the state monitoring system.
    pub monitoring: Arc<dyn crate::monitoring::MonitoringSink>,
    /// Finds people by IIN for the ЦОН desk.
    pub identity_registry: Arc<dyn crate::identity::IdentityRegistry>,
}

impl AppState {
    /// Begins a transaction that writes, in turn with the others (see [`WriteGate`]).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        self.writes.begin(&self.pool).await
    }

    /// The calendar in force now.
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar.read().map_or_else(|poisoned| poisoned.into_inner().clone(), |c| c.clone())
    }

    /// Puts a new calendar in force.
    pub fn set_calendar(&self, calendar: Calendar) {
        let mut slot = self.calendar.write().unwrap_or_else(PoisonError::into_inner);
        *slot = Arc::new(calendar);
    }

    /// The reference data in force now: what validates applications, names institutions and is
    /// served as `GET /api/reference`. No database read: see [`AppState::refresh_reference`].
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Reads the added institutions and puts them in force if they changed: after this instance
    /// changed them, and every `TELNUSKA_REFERENCE_REFRESH_SECS` for another instance's changes
    /// ([`refresh_reference_periodically`]). Nothing is rebuilt when nothing changed.
    pub async fn refresh_reference(&self) -> Result<(), StoreError> {
        let _turn = self.reference_refresh.lock().await;
        let added = crate::store::institutions::list_added(&self.pool).await?;
        if !self.reference().holds_added(&added) {
            let newer = Arc::new(Reference::with_added_institutions(added));
            *self.reference.write().unwrap_or_else(PoisonError::into_inner) = newer;
        }
        Ok(())
    }
}

/// Keeps the reference data in step with the database every `interval` (another instance on the
/// same PostgreSQL may have added institutions).
pub async fn refresh_reference_periodically(state: AppState, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    // The first tick is immediate, and the start has just read them.
    ticker.tick().await;
    loop {
        ticker.tick().await;
        if let Err(e) = state.refresh_reference().await {
            tracing::error!(error = %e, "reading the added institutions failed; the lists in force stay");
        }
    }
}
