//! The field worker's workspace (`/staff/field`): applications accepted at the applicant's door
//! while offline, kept sealed on the device under a key from the worker's PIN ([`vault`]), and
//! pushed when the network is back ([`queue`]). The workspace locks after a while idle; the PIN
//! opens it again, with the staff session kept (sealed) for the day.

pub mod crypto;
pub mod deliveries;
mod form;
mod idle;
mod measure;
mod pin;
pub mod queue;
mod screens;
pub mod vault;

use leptos::prelude::*;
use leptos::task::spawn_local;

use telnuska_shared::i18n::Lang;

use crate::i18n::use_lang;
use crate::staff::field::queue::FieldItem;
use crate::staff::login::LoginForm;
use crate::staff::router::use_path;
use crate::staff::section::{Screen, Section};
use crate::staff::session::{use_session, Session, StaffSession};
use crate::staff::StaffPage;
use telnuska_shared::api::Role;

/// Path of the workspace.
pub const PATH: &str = "/staff/field";

/// The workspace, as the home lists it.
pub const SECTION: Section = Section { path: PATH, title: "field.title", roles: &[Role::Field] };

/// The field worker's page (`/staff/field`): the workspace, the PIN instead of the login on a
/// locked device, and the session never kept in clear.
pub const PAGE: StaffPage = StaffPage {
    page: telnuska_shared::pages::FIELD,
    screens: &[Screen { section: SECTION, view: section }],
    provide: provide_field,
    signed_out: || view! { <SignedOut /> }.into_any(),
    seals_session: true,
};
/// Name of the sealed staff session among the vault's settings.
const SESSION: &str = "session";
/// Name of the device's id (clear: a random id) among the vault's settings.
const DEVICE: &str = "device";

/// Where the device's field workspace stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the device's storage.
    Checking,
    /// No PIN set on this device yet.
    NoPin,
    /// A PIN is set and the key is not in memory.
    Locked,
    /// Unlocked.
    Open,
    /// Erased after too many wrong PINs.
    Wiped,
}

/// The field workspace in context (above the login, which it replaces by the PIN when locked).
#[derive(Clone, Copy)]
pub struct Field {
    /// Where it stands.
    pub phase: RwSignal<Phase>,
    /// The items, opened (empty while locked).
    pub items: RwSignal<Vec<FieldItem>>,
    /// The results to hand over at home, opened (empty while locked).
    pub deliveries: RwSignal<Vec<deliveries::Delivery>>,
    /// The delivery whose hand-over form is open.
    pub handing_over: RwSignal<Option<String>>,
    /// The item whose form is on screen.
    pub editing: RwSignal<Option<String>>,
    /// A push is on its way.
    pub syncing: RwSignal<bool>,
    /// The last sync could not reach the server.
    pub offline: RwSignal<bool>,
    /// The device's clock minus the server's, in seconds, at the last sync.
    pub clock_offset: RwSignal<Option<i64>>,
    /// The worker's last touch or key (milliseconds since the epoch), for the idle lock.
    pub active_at: StoredValue<f64>,
    /// The staff session (ended by the lock, begun again by the PIN).
    session: Session,
    /// The screen's language (the server answers in it).
    lang: RwSignal<Lang>,
}

/// Provides the workspace and starts the idle lock.
pub fn provide_field() {
    // The form's lists (regions, institutions), kept on the device for the offline day.
    crate::reference_cache::provide_lists();
    let field = Field {
        phase: RwSignal::new(Phase::Checking),
        items: RwSignal::new(Vec::new()),
        deliveries: RwSignal::new(Vec::new()),
        handing_over: RwSignal::new(None),
        editing: RwSignal::new(None),
        syncing: RwSignal::new(false),
        offline: RwSignal::new(false),
        clock_offset: RwSignal::new(None),
        active_at: StoredValue::new(js_sys::Date::now()),
        session: use_session(),
        lang: use_lang(),
    };
    provide_context(field);
    spawn_local(async move {
        let phase = if vault::is_unlocked() {
            Phase::Open
        } else if vault::is_set_up().await {
            Phase::Locked
        } else {
            Phase::NoPin
        };
        field.phase.set(phase);
    });
    idle::watch(field);
    measure::expose();
    // Back online: what waits goes at once.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| field.sync()));
}

/// The workspace.
pub fn use_field() -> Field {
    expect_context::<Field>()
}

impl Field {
    /// Reads the items again from the vault.
    pub fn reload(self) {
        spawn_local(async move {
            let mut items = vault::items::<FieldItem>().await.unwrap_or_default();
            items.sort_by(|a, b| b.draft.updated_at.cmp(&a.draft.updated_at).then_with(|| a.draft.id.cmp(&b.draft.id)));
            self.items.set(items);
            self.deliveries.set(deliveries::on_device().await);
        });
    }

    /// Locks: the key is forgotten, what was opened is dropped from the screen and the session
    /// leaves memory (it stays sealed on the device for the PIN to bring back).
    pub fn lock(self) {
        if self.phase.get_untracked() != Phase::Open {
            return;
        }
        vault::lock();
        self.items.set(Vec::new());
        self.deliveries.set(Vec::new());
        self.handing_over.set(None);
        self.phase.set(Phase::Locked);
        if self.session.current.get_untracked().is_some() {
            self.session.end();
        }
    }

    /// The workspace opened: the session comes back from the device if none is signed in.
    pub fn opened(self) {
        self.active_at.set_value(js_sys::Date::now());
        self.phase.set(Phase::Open);
        self.reload();
        let session = self.session;
        spawn_local(async move {
            if session.current.get_untracked().is_none() {
                if let Some(kept) = vault::setting::<StaffSession>(SESSION).await.filter(|s| s.expires_at > chrono::Utc::now()) {
                    session.begin(kept);
                }
            }
            self.sync();
        });
    }

    /// Pushes the queued items (one push at a time), then shows what the server said.
    pub fn sync(self) {
        if self.syncing.get_untracked() || self.phase.get_untracked() != Phase::Open {
            return;
        }
        let session = self.session;
        if session.current.get_untracked().is_none() {
            return;
        }
        self.syncing.set(true);
        spawn_local(async move {
            let device = match vault::clear_setting(DEVICE).await {
                Some(id) => id,
                None => {
                    let id = crate::form::uuid_v4(crate::dom::random_bytes());
                    let _ = vault::put_clear_setting(DEVICE, &id).await;
                    id
                }
            };
            let lang = self.lang.get_untracked();
            let mut report = queue::sync(session, lang, &device).await;
            // Then the hand-overs done at doors, and the list of what waits at ЦОН, fresh.
            if let (false, Some(token)) = (report.offline, session.current.get_untracked().map(|s| s.token)) {
                let pushed = deliveries::push(&token, lang, &device).await;
                let listed = if pushed.is_ok() { deliveries::refresh(&token, lang).await } else { pushed };
                report.offline = matches!(listed, Err(crate::api::ApiError::Network));
            }
            self.offline.set(report.offline);
            if report.clock_offset.is_some() {
                self.clock_offset.set(report.clock_offset);
            }
            self.syncing.set(false);
            self.reload();
        });
    }
}

/// The workspace's screen: the PIN to set, the PIN to type, the list or a form.
pub fn section() -> AnyView {
    view! { <FieldSection /> }.into_any()
}

#[component]
fn FieldSection() -> impl IntoView {
    let field = use_field();
    let session = use_session();
    // The form's lists (regions, institutions) are kept on the device for the offline day.
    crate::reference_cache::use_lists().start_unless_ready();
    // A session signed in with the password while open is kept (sealed) for the day.
    Effect::new(move |_| {
        if let (Phase::Open, Some(current)) = (field.phase.get(), session.current.get()) {
            spawn_local(async move {
                let _ = vault::put_setting(SESSION, &current).await;
            });
        }
    });
    move || match field.phase.get() {
        Phase::Checking => None,
        Phase::NoPin | Phase::Wiped => Some(view! { <pin::SetPin /> }.into_any()),
        Phase::Locked => Some(view! { <pin::Unlock /> }.into_any()),
        Phase::Open => Some(match field.editing.get() {
            Some(id) => view! { <form::FieldForm id=id /> }.into_any(),
            None => view! { <screens::Queue /> }.into_any(),
        }),
    }
}

/// What shows while no one is signed in: the PIN on a locked field device (at the field
/// workspace's address), else the login.
#[component]
pub fn SignedOut() -> impl IntoView {
    let field = use_field();
    let path = use_path();
    let at_field = move || path.with(|p| p == PATH || p.starts_with("/staff/field/"));
    move || match field.phase.get() {
        Phase::Locked if at_field() => view! { <pin::Unlock /> }.into_any(),
        Phase::Wiped => view! { <pin::Wiped /> <LoginForm /> }.into_any(),
        _ => view! { <LoginForm /> }.into_any(),
    }
}
