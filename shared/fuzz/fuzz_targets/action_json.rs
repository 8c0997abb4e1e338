//! Any bytes as a staff action's JSON body, taken at any moment (the first 8 bytes) against every
//! state and role: the workflow answers, it never panics.
#![no_main]

use chrono::{DateTime, NaiveDate, Utc};
use libfuzzer_sys::fuzz_target;
use telnuska_shared::api::{ApplicationStatus, Channel, CollectionPlace, Role, ServiceCode};
use telnuska_shared::calendar::Calendar;
use telnuska_shared::workflow::{transition, Action, Context};

fuzz_target!(|data: &[u8]| {
    let Some((moment, body)) = data.split_first_chunk::<8>() else { return };
    let Ok(action) = serde_json::from_slice::<Action>(body) else { return };
    let now = DateTime::from_timestamp(i64::from_le_bytes(*moment) % 8_000_000_000_000, 0).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let calendar = Calendar::builtin();
    for service in ServiceCode::ALL {
        for (collection, channel) in CollectionPlace::ALL.iter().flat_map(|p| Channel::ALL.iter().map(move |c| (p, c))) {
            let due_on = now.date_naive().checked_add_days(chrono::Days::new(15)).unwrap_or(NaiveDate::MAX);
            let ctx = Context {
                now,
                calendar: &calendar,
                service: *service,
                channel: *channel,
                collection: *collection,
                objection_until: Some(now),
                due_on,
                result_made: false,
                hearing_at: Some(now),
                at_con_since: Some(now),
            };
            for status in ApplicationStatus::ALL {
                for role in Role::ALL {
                    let _ = transition(*status, &action, *role, &ctx);
                }
            }
        }
    }
});
