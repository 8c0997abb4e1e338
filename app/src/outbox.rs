//! The outbox: a signed application is written to IndexedDB (store `outbox`) with its
//! idempotency key *before* the first attempt to send it, and removed only once the server has
//! answered for good. It is sent at once, then again on the `online` event, on every app start
//! and with backoff, each retry after a probe of `GET /api/health` (never trusting
//! `navigator.onLine`). The same body under the same key makes a repeat harmless, so it is never
//! sent twice, and a closed tab loses nothing. Its draft stays stored until the server accepts
//! it; a refusal puts the server's verdict into that draft (whichever tab sent it, whether or
//! not the application is on screen), so the person finds it on the start page to correct.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use telnuska_shared::api::{CreatedApplication, Problem, ProblemFieldError};
use telnuska_shared::i18n::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiError};
use crate::drafts::{self, SubmittedRecord};
use crate::form::{handed_back, Draft};
use crate::state::Notice;

/// First wait before a retry; it doubles up to [`MAX_BACKOFF_MS`].
const FIRST_BACKOFF_MS: u64 = 2_000;
/// Longest wait between two retries.
const MAX_BACKOFF_MS: u64 = 30_000;

/// An application waiting to be sent, exactly as it will go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    /// `Idempotency-Key`.
    pub key: String,
    /// The JSON body, sent byte for byte on every attempt.
    pub body: String,
    /// `Accept-Language` of the answer (a code: `kk`, `ru`, `en`).
    pub lang: String,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// SHA-256 of `body`, hex.
    pub hash: String,
    /// The draft it was sent from (absent in items queued before drafts had ids: the key then).
    pub draft_id: Option<String>,
}

/// What the person is shown of a queued application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// `Idempotency-Key`.
    pub key: String,
    /// SHA-256 of what was queued, hex.
    pub hash: String,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
}

impl OutboxItem {
    /// The receipt of this item.
    pub fn receipt(&self) -> Receipt {
        Receipt { key: self.key.clone(), hash: self.hash.clone(), queued_at: self.queued_at }
    }

    /// The id of its draft.
    pub fn draft_id(&self) -> &str {
        self.draft_id.as_deref().unwrap_or(&self.key)
    }
}

/// The server accepted `item`: its draft, if still the one queued, is done with.
async fn forget_draft(item: &OutboxItem) {
    let stored = drafts::load_draft(item.draft_id()).await;
    if stored.is_some_and(|d| d.idempotency_key.as_deref() == Some(&item.key)) {
        let _ = drafts::delete_draft(item.draft_id()).await;
    }
}

/// The server refused `item` for good: its draft gets the verdict back ([`handed_back`]).
async fn hand_back(item: &OutboxItem, errors: Vec<ProblemFieldError>, refused: bool) {
    let stored = drafts::load_draft(item.draft_id()).await;
    if let Some(draft) = handed_back(stored, item.draft_id(), &item.key, &item.body, errors, refused) {
        let _ = drafts::save_draft(&Draft { updated_at: Some(Utc::now()), ..draft }).await;
    }
}

/// The server's final answer to a queued application.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted.
    Created(CreatedApplication),
    /// Refused (422 with the fields to correct, 409 for a reused key, …): nothing was stored.
    Rejected(Problem),
    /// Refused without a readable reason.
    Failed(u16),
}

/// The outbox's signals, in context.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Final answers by idempotency key.
    pub outcomes: RwSignal<Vec<(String, Outcome)>>,
    /// Why the last attempt did not get through (no network, a fault of the server), until one does.
    pub waiting: RwSignal<Option<Notice>>,
}

thread_local! {
    static PENDING: RefCell<Vec<OutboxItem>> = const { RefCell::new(Vec::new()) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static RETRY_SET: Cell<bool> = const { Cell::new(false) };
    static OUTBOX: Cell<Option<Outbox>> = const { Cell::new(None) };
}

/// Makes the outbox, loads what an earlier visit left in it and starts sending.
pub fn provide_outbox() -> Outbox {
    let outbox = Outbox { outcomes: RwSignal::new(Vec::new()), waiting: RwSignal::new(None) };
    OUTBOX.set(Some(outbox));
    provide_context(outbox);
    let online = window_event_listener(leptos::ev::online, |_| {
        FAILURES.set(0);
        kick();
    });
    // The listener lives as long as the page.
    std::mem::forget(online);
    outbox
}

/// The outbox of the page.
pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// The queued applications (read from IndexedDB on the first call), and sending started.
pub async fn pending() -> Vec<OutboxItem> {
    for item in drafts::outbox().await {
        PENDING.with_borrow_mut(|p| {
            if !p.iter().any(|i| i.key == item.key) {
                p.push(item);
            }
        });
    }
    kick();
    PENDING.with_borrow(Clone::clone)
}

/// SHA-256 of `text` in hex, by the browser (`crypto.subtle`).
pub async fn sha256_hex(text: &str) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", text.as_bytes()).ok()?;
    let buffer = JsFuture::from(promise).await.ok()?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(crate::form::hex(&js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// Queues the item (stored first, so closing the tab now loses nothing) and starts sending.
pub async fn enqueue(item: OutboxItem) {
    PENDING.with_borrow_mut(|p| p.push(item.clone()));
    // Without IndexedDB (private mode) it is still sent from memory while the page is open.
    let _ = drafts::put_outbox(&item).await;
    FAILURES.set(0);
    kick();
}

fn kick() {
    if RUNNING.replace(true) {
        return;
    }
    spawn_local(async {
        flush().await;
        RUNNING.set(false);
    });
}

/// Forgets the answer kept for `key` (the draft is sent again, corrected: the answer to come is
/// the one to follow).
pub fn forget_outcome(key: &str) {
    if let Some(outbox) = OUTBOX.get() {
        outbox.outcomes.update(|o| o.retain(|(k, _)| k != key));
    }
}

fn record(key: &str, outcome: Outcome) {
    if let Some(outbox) = OUTBOX.get() {
        outbox.waiting.set(None);
        outbox.outcomes.update(|o| o.push((key.to_string(), outcome)));
    }
}

async fn finish(key: &str) {
    PENDING.with_borrow_mut(|p| p.retain(|i| i.key != key));
    let _ = drafts::delete_outbox(key).await;
}

fn retry_later(why: Notice) {
    if let Some(outbox) = OUTBOX.get() {
        outbox.waiting.set(Some(why));
    }
    let failures = FAILURES.get() + 1;
    FAILURES.set(failures);
    if RETRY_SET.replace(true) {
        return;
    }
    let delay = FIRST_BACKOFF_MS.saturating_mul(1 << (failures - 1).min(10)).min(MAX_BACKOFF_MS);
    set_timeout(
        || {
            RETRY_SET.set(false);
            kick();
        },
        Duration::from_millis(delay),
    );
}

/// Sends every queued item in order until the queue is empty or the server is out of reach.
async fn flush() {
    while let Some(item) = PENDING.with_borrow(|p| p.first().cloned()) {
        if FAILURES.get() > 0 && !api::reachable().await {
            retry_later(Notice::Key("outbox.waiting_network"));
            return;
        }
        match api::create_application(&item.body, Lang::from_code(&item.lang).unwrap_or_default(), &item.key).await {
            Ok(created) => {
                let _ = drafts::remember_submitted(&SubmittedRecord::of(&created, item.draft_id())).await;
                forget_draft(&item).await;
                finish(&item.key).await;
                FAILURES.set(0);
                record(&item.key, Outcome::Created(created));
            }
            Err(e) if e.is_retryable() => {
                let why = if e == ApiError::Network { "outbox.waiting_network" } else { "outbox.waiting_server" };
                retry_later(Notice::Key(why));
                return;
            }
            Err(ApiError::Problem(problem)) => {
                // The draft first: until the item is gone, a crash only means sending it again.
                hand_back(&item, problem.errors.clone(), true).await;
                finish(&item.key).await;
                record(&item.key, Outcome::Rejected(problem));
            }
            Err(e) => {
                hand_back(&item, Vec::new(), false).await;
                finish(&item.key).await;
                record(&item.key, Outcome::Failed(e.status().unwrap_or_default()));
            }
        }
    }
}
