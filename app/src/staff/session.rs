//! The staff member's session: who is signed in, with which role, until when. Kept in
//! sessionStorage (this tab only, gone when it closes: staff devices are shared; a field worker's
//! is kept instead sealed under the PIN, see `staff::field`), ended by the
//! server's answer 401 or by its expiry time, whichever comes first. Every staff call goes
//! through [`Session::call`], so an ended session is noticed in one place.

use chrono::{DateTime, Utc};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{LoginRequest, Role};
use telnuska_shared::i18n::t;

use crate::api::{self, ApiError, Method};
use crate::i18n::{format_instant, use_lang};

/// sessionStorage key of the session.
const STORAGE_KEY: &str = "telnuska.staff.session";

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    /// Login.
    pub login: String,
    /// Bearer token.
    pub token: String,
    /// Role.
    pub role: Role,
    /// When the server stops taking the token.
    pub expires_at: DateTime<Utc>,
}

/// The session in context.
#[derive(Clone, Copy)]
pub struct Session {
    /// The signed-in member; `None` before sign-in and once the session has ended.
    pub current: RwSignal<Option<StaffSession>>,
    /// Whose workspace is on screen (kept while the session is renewed, so typed input survives).
    owner: RwSignal<Option<String>>,
    /// The session ended by itself (expiry or the server's 401), not by signing out.
    pub ended: RwSignal<bool>,
    /// The screen's language, held here so that a call made from a task or a timer (outside
    /// the components' context) asks in it.
    lang: RwSignal<telnuska_shared::i18n::Lang>,
    /// Never kept in this tab's storage (see [`provide_session`]).
    seals: bool,
}

/// Provides the session, restored from this tab's storage when still valid. A page that `seals`
/// it takes it out of the storage (a field worker signed in on the office's page and came here:
/// from now on it is kept only sealed under the PIN).
pub fn provide_session(seals: bool) -> Session {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).and_then(|json| serde_json::from_str::<StaffSession>(&json).ok());
    if seals {
        forget();
    }
    let stored = stored.filter(|s| s.expires_at > Utc::now());
    let session = Session { current: RwSignal::new(None), owner: RwSignal::new(None), ended: RwSignal::new(false), lang: use_lang(), seals };
    provide_context(session);
    if let Some(stored) = stored {
        session.begin(stored);
    }
    session
}

/// The session.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Signs in with the server's answer.
    pub fn begin(self, signed_in: StaffSession) {
        // On the field worker's page the session is kept for the day sealed under the PIN
        // (`staff::field`), never in clear: a reload asks for the PIN.
        if let Some(storage) = storage().filter(|_| !self.seals) {
            let _ = storage.set_item(STORAGE_KEY, &serde_json::to_string(&signed_in).unwrap_or_default());
        }
        if self.owner.get_untracked().as_deref() != Some(signed_in.login.as_str()) {
            self.owner.set(Some(signed_in.login.clone()));
        }
        // The login form takes over at the expiry time, even with no call in between.
        let left = (signed_in.expires_at - Utc::now()).num_milliseconds().clamp(0, i64::from(i32::MAX)) as u32;
        let token = signed_in.token.clone();
        Timeout::new(left, move || {
            if self.current.with_untracked(|c| c.as_ref().is_some_and(|c| c.token == token)) {
                self.end();
            }
        })
        .forget();
        self.ended.set(false);
        self.current.set(Some(signed_in));
    }

    /// Ends the session by itself: the workspace stays (hidden) for the next sign-in.
    pub fn end(self) {
        forget();
        self.current.set(None);
        self.ended.set(true);
    }

    /// Signs out: the server ends the token, and the workspace with what it held is dropped.
    pub fn sign_out(self) {
        if let Some(session) = self.current.get_untracked() {
            let lang = use_lang().get_untracked();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::staff_call::<()>(Method::POST, "/api/auth/logout", &session.token, None, lang).await;
            });
        }
        forget();
        self.ended.set(false);
        self.owner.set(None);
        self.current.set(None);
    }

    /// The login whose workspace is mounted.
    pub fn workspace_owner(self) -> Option<String> {
        self.owner.get()
    }

    /// A call of the staff API as the signed-in member; a 401 ends the session (the caller gets
    /// the error too and keeps what was typed).
    pub async fn call<T: serde::de::DeserializeOwned>(self, method: Method, path: &str, body: Option<String>) -> Result<T, ApiError> {
        let Some(session) = self.current.get_untracked() else { return Err(ApiError::Status(401)) };
        let lang = self.lang.get_untracked();
        let result = api::staff_call(method, path, &session.token, body, lang).await;
        self.notice(result)
    }

    /// Sends the application accepted at a counter (see [`api::staff_create_application`]); a
    /// 401 ends the session as in [`Session::call`].
    pub async fn create_application(
        self,
        body: String,
        idempotency_key: &str,
        lang: telnuska_shared::i18n::Lang,
    ) -> Result<telnuska_shared::api::CreatedApplication, ApiError> {
        let Some(session) = self.current.get_untracked() else { return Err(ApiError::Status(401)) };
        let result = api::staff_create_application(body, &session.token, idempotency_key, lang).await;
        self.notice(result)
    }

    /// A `POST` of `file` as the body (a register, a spreadsheet) as the signed-in member; a 401
    /// ends the session as in [`Session::call`].
    pub async fn upload<T: serde::de::DeserializeOwned>(self, path: &str, file: &web_sys::File) -> Result<T, ApiError> {
        let Some(session) = self.current.get_untracked() else { return Err(ApiError::Status(401)) };
        let lang = self.lang.get_untracked();
        let result = api::staff_upload(path, &session.token, file, lang).await;
        self.notice(result)
    }

    /// `result` of a call, the session ended when it was a 401.
    fn notice<T>(self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if matches!(&result, Err(e) if e.status() == Some(401)) {
            self.end();
        }
        result
    }
}

/// Signs in with `login` and `password`.
pub async fn sign_in(login: String, password: String, lang: telnuska_shared::i18n::Lang) -> Result<StaffSession, ApiError> {
    let answer = api::staff_login(&LoginRequest { login: login.clone(), password }, lang).await?;
    Ok(StaffSession { login, token: answer.token, role: answer.role, expires_at: answer.expires_at })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// Who is signed in, until when, and "Sign out".
#[component]
pub fn SessionBar(session: StaffSession) -> impl IntoView {
    let lang = use_lang();
    let context = use_session();
    let until = move || {
        let lang = lang.get();
        t(lang, "staff.session.until").replace("{login}", &session.login).replace("{time}", &format_instant(lang, session.expires_at))
    };
    view! {
        <p class="staff-session" id="staff-session">{until}</p>
        <button type="button" class="button button--secondary" id="staff-logout" on:click=move |_| context.sign_out()>
            {crate::i18n::tr("staff.logout")}
        </button>
    }
}
