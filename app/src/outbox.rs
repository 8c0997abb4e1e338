//! The outbox: a signed application is written to IndexedDB (store `outbox`) with its
//! idempotency key *before* the first attempt to send it, and removed only once the server has
//! answered for good. It is sent at once, then again on the `online` event, on every app start
//! and with backoff, each retry after a probe of `GET /api/health` (never trusting
//! `navigator.onLine`). The same body under the same key makes a repeat harmless, so it is never
//! sent twice, and a closed tab loses nothing. Its draft stays stored until the server accepts
//! it; a refusal puts the server's verdict into that draft (whichever tab sent it, whether or
//! not the application is on screen), so the person finds it on the start page to correct.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use telnuska_shared::api::{CreatedApplication, Problem, ProblemFieldError};
use telnuska_shared::i18n::Lang;
use telnuska_shared::wire_time::parse_instant;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiError};
use crate::database::{self, text, OUTBOX};
use crate::drafts::{self, space::Space};
use crate::form::{handed_back, Draft};
use crate::notice::Notice;
use crate::submitted::{remember_submitted, SubmittedRecord};

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

/// A stored [`OutboxItem`]; `None` if it lacks a field.
fn stored_item(value: JsValue) -> Option<OutboxItem> {
    let queued_at: DateTime<Utc> = parse_instant(&text(&value, "queued_at")?)?;
    Some(OutboxItem {
        key: text(&value, "key")?,
        body: text(&value, "body")?,
        lang: text(&value, "lang")?,
        queued_at,
        hash: text(&value, "hash")?,
        draft_id: text(&value, "draft_id"),
    })
}

/// Stores an item (before the first attempt to send it).
async fn store(space: Space, item: &OutboxItem) -> Result<(), String> {
    let result = database::put(OUTBOX, &item.key, database::to_js(item)?).await;
    space.written(result.is_ok());
    result
}

/// The stored items, oldest first (an insertion by time: the queue is short).
async fn stored() -> Vec<OutboxItem> {
    let mut items: Vec<OutboxItem> = Vec::new();
    for item in database::all(OUTBOX).await.into_iter().filter_map(stored_item) {
        let at = items.iter().position(|i| i.queued_at > item.queued_at).unwrap_or(items.len());
        items.insert(at, item);
    }
    items
}

/// The server accepted `item`: its draft, if still the one queued, is done with.
async fn forget_draft(item: &OutboxItem) {
    let stored = drafts::load_draft(item.draft_id()).await;
    if stored.is_some_and(|d| d.idempotency_key.as_deref() == Some(&item.key)) {
        let _ = drafts::delete_draft(item.draft_id()).await;
    }
}

/// The server refused `item` for good: its draft gets the verdict back ([`handed_back`]).
async fn hand_back(space: Space, item: &OutboxItem, errors: Vec<ProblemFieldError>, refused: bool) {
    let stored = drafts::load_draft(item.draft_id()).await;
    if let Some(draft) = handed_back(stored, item.draft_id(), &item.key, &item.body, errors, refused) {
        let _ = drafts::save_draft(space, &Draft { updated_at: Some(Utc::now()), ..draft }).await;
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

/// The queue's bookkeeping (nothing on screen reads it).
#[derive(Default)]
struct Queue {
    /// The items to send, oldest first.
    pending: Vec<OutboxItem>,
    /// A [`Outbox::flush`] is under way.
    running: bool,
    /// Attempts in a row that did not get through.
    failures: u32,
    /// A retry is set.
    retry_set: bool,
}

/// The outbox of the page: made by the root component ([`provide_outbox`]), which owns it for
/// the page's life, and handed to the tasks that send.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Final answers by idempotency key.
    pub outcomes: RwSignal<Vec<(String, Outcome)>>,
    /// Why the last attempt did not get through (no network, a fault of the server), until one does.
    pub waiting: RwSignal<Option<Notice>>,
    /// The room for drafts, told of every write.
    pub space: Space,
    queue: StoredValue<Queue>,
}

/// Makes the outbox and provides it; sending starts with [`Outbox::pending`].
pub fn provide_outbox(space: Space) -> Outbox {
    let outbox = Outbox { outcomes: RwSignal::new(Vec::new()), waiting: RwSignal::new(None), space, queue: StoredValue::new(Queue::default()) };
    provide_context(outbox);
    let online = window_event_listener(leptos::ev::online, move |_| {
        outbox.queue.update_value(|q| q.failures = 0);
        outbox.kick();
    });
    // The listener lives as long as the page.
    std::mem::forget(online);
    outbox
}

/// The outbox of the page.
pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// SHA-256 of `text` in hex, by the browser (`crypto.subtle`).
pub async fn sha256_hex(text: &str) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", text.as_bytes()).ok()?;
    let buffer = JsFuture::from(promise).await.ok()?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(crate::form::hex(&js_sys::Uint8Array::new(&buffer).to_vec()))
}

impl Outbox {
    /// The queued applications (read from IndexedDB on the first call), and sending started.
    pub async fn pending(self) -> Vec<OutboxItem> {
        for item in stored().await {
            self.queue.update_value(|q| {
                if !q.pending.iter().any(|i| i.key == item.key) {
                    q.pending.push(item);
                }
            });
        }
        self.kick();
        self.queue.with_value(|q| q.pending.clone())
    }

    /// Queues the item (stored first, so closing the tab now loses nothing) and starts sending.
    pub async fn enqueue(self, item: OutboxItem) {
        self.queue.update_value(|q| q.pending.push(item.clone()));
        // Without IndexedDB (private mode) it is still sent from memory while the page is open.
        let _ = store(self.space, &item).await;
        self.queue.update_value(|q| q.failures = 0);
        self.kick();
    }

    fn kick(self) {
        if self.queue.try_update_value(|q| std::mem::replace(&mut q.running, true)) != Some(false) {
            return;
        }
        spawn_local(async move {
            self.flush().await;
            self.queue.update_value(|q| q.running = false);
        });
    }

    /// Forgets the answer kept for `key` (the draft is sent again, corrected: the answer to come
    /// is the one to follow).
    pub fn forget_outcome(self, key: &str) {
        self.outcomes.update(|o| o.retain(|(k, _)| k != key));
    }

    fn record(self, key: &str, outcome: Outcome) {
        self.waiting.set(None);
        self.outcomes.update(|o| o.push((key.to_string(), outcome)));
    }

    async fn finish(self, key: &str) {
        self.queue.update_value(|q| q.pending.retain(|i| i.key != key));
        let _ = database::delete(OUTBOX, key).await;
    }

    fn retry_later(self, why: Notice) {
        self.waiting.set(Some(why));
        let Some((failures, retry_set)) = self.queue.try_update_value(|q| {
            q.failures += 1;
            (q.failures, std::mem::replace(&mut q.retry_set, true))
        }) else {
            return;
        };
        if retry_set {
            return;
        }
        let delay = FIRST_BACKOFF_MS.saturating_mul(1 << (failures - 1).min(10)).min(MAX_BACKOFF_MS);
        set_timeout(
            move || {
                self.queue.update_value(|q| q.retry_set = false);
                self.kick();
            },
            Duration::from_millis(delay),
        );
    }

    /// Sends every queued item in order until the queue is empty or the server is out of reach.
    async fn flush(self) {
        while let Some(item) = self.queue.with_value(|q| q.pending.first().cloned()) {
            if self.queue.with_value(|q| q.failures > 0) && !api::reachable().await {
                self.retry_later(Notice::Key("outbox.waiting_network"));
                return;
            }
            match api::create_application(&item.body, Lang::from_code(&item.lang).unwrap_or_default(), &item.key).await {
                Ok(created) => {
                    let _ = remember_submitted(&SubmittedRecord::of(&created, item.draft_id())).await;
                    forget_draft(&item).await;
                    self.finish(&item.key).await;
                    self.queue.update_value(|q| q.failures = 0);
                    self.record(&item.key, Outcome::Created(created));
                }
                Err(e) if e.is_retryable() => {
                    let why = if e == ApiError::Network { "outbox.waiting_network" } else { "outbox.waiting_server" };
                    self.retry_later(Notice::Key(why));
                    return;
                }
                Err(ApiError::Problem(problem)) => {
                    // The draft first: until the item is gone, a crash only means sending it again.
                    hand_back(self.space, &item, problem.errors.clone(), true).await;
                    self.finish(&item.key).await;
                    self.record(&item.key, Outcome::Rejected(problem));
                }
                Err(e) => {
                    hand_back(self.space, &item, Vec::new(), false).await;
                    self.finish(&item.key).await;
                    self.record(&item.key, Outcome::Failed(e.status().unwrap_or_default()));
                }
            }
        }
    }
}
