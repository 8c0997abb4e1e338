//! The idle lock: a field device left alone (put down at a door, left in a car) locks after
//! [`LOCK_AFTER_MS`] without a touch or a key, including time spent in another tab or app.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use crate::staff::field::{Field, Phase};

/// Idle time before the workspace locks (the rule: 5 minutes).
pub const LOCK_AFTER_MS: f64 = 5.0 * 60.0 * 1000.0;
/// localStorage key that may shorten (never lengthen) the idle time, e.g. for a test or a
/// stricter device policy.
const LOCK_AFTER_KEY: &str = "telnuska.field.lock_after_ms";
/// How often the idle time is checked.
const CHECK_EVERY_MS: u32 = 1_000;

/// The idle time in force: the device's setting if shorter than the rule, else the rule.
fn lock_after_ms() -> f64 {
    let set = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LOCK_AFTER_KEY).ok().flatten())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms > 0.0);
    set.map_or(LOCK_AFTER_MS, |ms| ms.min(LOCK_AFTER_MS))
}

/// Locks `field` once idle for too long.
fn check(field: Field) {
    if field.phase.get_untracked() == Phase::Open && js_sys::Date::now() - field.active_at.get_value() > lock_after_ms() {
        field.lock();
    }
}

/// Counts every touch and key as activity and checks the idle time every second and whenever
/// the tab comes back on screen (timers of a hidden tab may be held back by the browser).
pub fn watch(field: Field) {
    // The workspace lives as long as the page: the listeners and the timer too.
    let active = move || field.active_at.set_value(js_sys::Date::now());
    std::mem::forget(window_event_listener(leptos::ev::pointerdown, move |_| active()));
    std::mem::forget(window_event_listener(leptos::ev::keydown, move |_| active()));
    std::mem::forget(window_event_listener(leptos::ev::input, move |_| active()));
    std::mem::forget(window_event_listener(leptos::ev::visibilitychange, move |_| check(field)));
    Interval::new(CHECK_EVERY_MS, move || check(field)).forget();
}
