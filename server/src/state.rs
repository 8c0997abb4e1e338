//! The state every handler shares: the database, the clock, the calendar, the configuration.

use std::sync::{Arc, RwLock};

use sqlx::AnyPool;
use telnuska_shared::calendar::Calendar;

use crate::clock::Clock;
use crate::config::Config;
use crate::sms::SmsGateway;
use crate::store::writes::{WriteGate, WriteTx};

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
        let mut slot = self.calendar.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Arc::new(calendar);
    }
}
