//! Room for the drafts: the app asks the browser to keep its storage (`navigator.storage.persist()`,
//! so drafts are not evicted under pressure), reads how much is left
//! (`navigator.storage.estimate()`) and tells the person when it is short or when a write
//! failed, so they can download a copy before anything is lost.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Below this much free room the notice shows: 20 MB. A draft is a few kilobytes (files go to
/// the server, not here), but the service worker keeps the app (about 1 MB, twice during an
/// update) in the same quota, and when a disk is nearly full browsers evict a whole site's
/// data at once; 20 MB leaves time to act while still fitting small private-mode quotas.
pub const LOW_FREE_BYTES: u64 = 20 * 1024 * 1024;

/// What is wrong with the room for drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceIssue {
    /// Little room is left.
    Short,
    /// The last write to IndexedDB failed.
    WriteFailed,
}

/// What the person is told of the room for drafts: made by the root component, which outlives
/// every page that shows it, and in context with the outbox ([`crate::outbox::Outbox::space`]),
/// which writes beside the drafts.
#[derive(Clone, Copy)]
pub struct Space(RwSignal<Option<SpaceIssue>>);

/// Whether the room is short: less than [`LOW_FREE_BYTES`] free, or more than 90 % of the
/// quota used (the browser may then refuse the next write). A quota of 0 means the browser
/// did not say: nothing is claimed.
pub fn is_short(usage: u64, quota: u64) -> bool {
    quota > 0 && (quota.saturating_sub(usage) < LOW_FREE_BYTES || usage.saturating_mul(10) > quota.saturating_mul(9))
}

impl Space {
    /// Nothing wrong yet (made by the root component: a signal made inside a page would be
    /// disposed with it).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Space(RwSignal::new(None))
    }

    /// What is wrong now, if anything (a view reading it follows it).
    pub fn issue(self) -> Option<SpaceIssue> {
        self.0.get()
    }

    /// Records the outcome of a write: a failure shows at once, a later success clears it.
    pub fn written(self, ok: bool) {
        match (ok, self.0.get_untracked()) {
            (false, _) => self.0.set(Some(SpaceIssue::WriteFailed)),
            (true, Some(SpaceIssue::WriteFailed)) => self.0.set(None),
            _ => {}
        }
    }

    /// Asks for persistent storage, then marks the room short if [`is_short`] says so.
    /// Browsers without the Storage API are left alone.
    pub async fn check(self) {
        if check_short().await && self.0.get_untracked().is_none() {
            self.0.set(Some(SpaceIssue::Short));
        }
    }
}

/// Calls `navigator.storage.<method>()` and awaits its promise.
async fn call(storage: &JsValue, method: &str) -> Option<JsValue> {
    let function = js_sys::Reflect::get(storage, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let promise = function.call0(storage).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    JsFuture::from(promise).await.ok()
}

/// A number field of the estimate, in whole bytes.
fn bytes(estimate: &JsValue, field: &str) -> u64 {
    js_sys::Reflect::get(estimate, &field.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u64
}

/// Asks for persistent storage, then whether the room [`is_short`].
async fn check_short() -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return false };
    let Ok(storage) = js_sys::Reflect::get(&navigator, &"storage".into()) else { return false };
    if storage.is_undefined() {
        return false;
    }
    // Granted or not, the estimate tells what is left.
    let _ = call(&storage, "persist").await;
    let Some(estimate) = call(&storage, "estimate").await else { return false };
    is_short(bytes(&estimate, "usage"), bytes(&estimate, "quota"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn room_is_short_below_20_mb_free_or_above_90_percent_used() {
        assert!(!is_short(5 * MB, 2_000 * MB), "a usual phone");
        assert!(is_short(1_990 * MB, 2_000 * MB), "10 MB left");
        assert!(!is_short(80 * MB, 120 * MB), "40 MB left, two thirds used");
        assert!(is_short(9_500 * MB, 10_000 * MB), "500 MB left, but more than 90 % used");
        assert!(!is_short(8_500 * MB, 10_000 * MB), "85 % used");
        assert!(is_short(0, 19 * MB), "a tiny quota");
        assert!(is_short(30 * MB, 20 * MB), "over the quota");
        assert!(!is_short(0, 0), "the browser did not say");
    }
}
