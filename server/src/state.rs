//! The state every handler shares: the database, the clock, the calendar, the configuration.

use std::sync::Arc;

use sqlx::AnyPool;
use telnuska_shared::calendar::Calendar;

use crate::clock::Clock;
use crate::config::Config;
use crate::sms::SmsGateway;

/// Shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub pool: AnyPool,
    /// "Now".
    pub clock: Clock,
    /// Working days.
    pub calendar: Arc<Calendar>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Where SMS messages go.
    pub sms: SmsGateway,
}
