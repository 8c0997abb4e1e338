//! Idle limits of a kiosk session: "are you still here?" after [`WARN_AFTER_SECONDS`] without
//! a touch or a key, and a full wipe after [`WIPE_AFTER_SECONDS`] (a person who walked away
//! leaves nothing for the next one).

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Seconds without a touch or a key before the kiosk asks whether the person is still there.
pub const WARN_AFTER_SECONDS: u32 = 60;
/// Seconds without a touch or a key before everything is wiped.
pub const WIPE_AFTER_SECONDS: u32 = 90;
/// How often the watcher looks at the clock.
const TICK_MS: u32 = 250;

/// The limits in force: the defaults, or shorter ones from the address's `idle=WARN,WIPE`
/// (seconds; for tests and for halls that want a shorter session). A longer limit is never
/// taken from an address: anyone at the kiosk can type one.
pub fn limits(search: &str) -> (u32, u32) {
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|p| p.strip_prefix("idle="))
        .and_then(|v| v.split_once(',').or_else(|| v.split_once("%2C")))
        .and_then(|(w, x)| Some((w.parse::<u32>().ok()?, x.parse::<u32>().ok()?)))
        .filter(|(warn, wipe)| *warn >= 1 && warn < wipe);
    match asked {
        Some((warn, wipe)) => (warn.min(WARN_AFTER_SECONDS), wipe.min(WIPE_AFTER_SECONDS)),
        None => (WARN_AFTER_SECONDS, WIPE_AFTER_SECONDS),
    }
}

/// The clock, in milliseconds.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Watches the person's touches and keys while `active`; `warning` is set after the first
/// limit (and cleared by the next touch), and `wipe` runs after the second.
pub fn watch(active: Signal<bool>, warning: RwSignal<bool>, wipe: impl Fn() + 'static) {
    let (warn_after, wipe_after) = limits(&web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default());
    let last = StoredValue::new(now_ms());
    let touched = move || {
        last.set_value(now_ms());
        if warning.get_untracked() {
            warning.set(false);
        }
    };
    let listeners = [
        window_event_listener(leptos::ev::pointerdown, move |_| touched()),
        window_event_listener(leptos::ev::keydown, move |_| touched()),
        window_event_listener(leptos::ev::input, move |_| touched()),
    ];
    on_cleanup(move || listeners.into_iter().for_each(|l| l.remove()));
    // A session starting counts as a touch.
    Effect::new(move |_| {
        if active.get() {
            last.set_value(now_ms());
        }
    });
    spawn_local(async move {
        loop {
            TimeoutFuture::new(TICK_MS).await;
            let Some(on) = active.try_get_untracked() else { return };
            let Some(since) = last.try_get_value() else { return };
            if !on {
                continue;
            }
            let idle = (now_ms() - since) / 1000.0;
            if idle >= f64::from(wipe_after) {
                last.set_value(now_ms());
                warning.set(false);
                wipe();
            } else if idle >= f64::from(warn_after) && !warning.get_untracked() {
                warning.set(true);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_shorten_the_limits_but_never_lengthen_them() {
        assert_eq!(limits(""), (60, 90));
        assert_eq!(limits("?idle=3,6"), (3, 6));
        assert_eq!(limits("?lang=kk&idle=3%2C6"), (3, 6));
        assert_eq!(limits("?idle=600,900"), (60, 90));
        assert_eq!(limits("?idle=6,3"), (60, 90), "the warning comes before the wipe");
        assert_eq!(limits("?idle=0,3"), (60, 90));
        assert_eq!(limits("?idle=x,3"), (60, 90));
    }
}
