//! The kiosk of a ЦОН hall (`/kiosk`): one device, many people in a row, nothing of one left
//! for the next. The citizen's form steps with `FormSetup { channel: Kiosk, keep: None }` (no
//! draft is ever written) and a sender that goes straight to the server with the kiosk's token;
//! the language chosen on the first screen; an on-screen keyboard; a "finish and clear" button,
//! and after a while without a touch "are you still here?", then a full wipe ([`idle`],
//! [`device::clear_storage`]). A page of its own (`src/bin/kiosk.rs`), so none of it reaches the citizen.

pub mod device;
pub mod idle;
pub mod keyboard;
pub mod receipt;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use telnuska_shared::api::Channel;
use telnuska_shared::i18n::{error_message, t, Lang};

use crate::components::reactive;
use crate::form::Draft;
use crate::i18n::{load_catalogue, provide_lang, switch_lang, text, tr, use_lang};
use crate::pages::apply::Steps;
use crate::state::{provide_form, FormSetup, SubmitStatus};
use crate::{api, dom};

/// The kiosk's form: the kiosk channel, nothing kept, sent straight to the server.
const KIOSK_FORM: FormSetup = FormSetup { channel: Channel::Kiosk, keep: None, send: Some(receipt::send), keep_file: None };

/// `GET /api/kiosk`: the kiosk the token names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct KioskInfo {
    name: String,
    branch: String,
}

/// Whether this device may serve people.
#[derive(Debug, Clone, PartialEq)]
enum Registration {
    /// Asking the server.
    Checking,
    /// A registered kiosk.
    Registered(KioskInfo),
    /// No token, or one the server refuses: the catalogue key of why.
    Refused(&'static str),
}

/// Asks the server who this kiosk is.
async fn check(token: Option<String>, lang: Lang) -> Registration {
    let Some(token) = token else { return Registration::Refused("kiosk.no_token") };
    match api::kiosk_call::<KioskInfo>(api::Method::GET, "/api/kiosk", None, &token, None, lang).await {
        Ok(info) => Registration::Registered(info),
        Err(api::ApiError::Network) => Registration::Refused("kiosk.offline"),
        Err(_) => Registration::Refused("error.kiosk.token_invalid"),
    }
}

/// The kiosk: its name, the start screen (the language) or one person's session, and the idle
/// watcher that wipes a session left alone.
#[component]
pub fn KioskApp() -> impl IntoView {
    crate::reference_cache::provide_lists().start();
    device::adopt_stylesheet();
    let lang = provide_lang();
    // The page's language only: a kiosk remembers no one's choice.
    Effect::new(move |_| {
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", lang.get().code());
        }
    });
    let registration = RwSignal::new(Registration::Checking);
    let token = device::token();
    spawn_local(async move {
        // The start screen speaks all three languages at once.
        for other in Lang::ALL {
            load_catalogue(other).await;
        }
        registration.set(check(token, lang.get_untracked()).await);
    });
    // 0: the start screen; each person's session has a number of its own, so that a new one
    // is a new form (the last one's state is dropped with its view).
    let session = RwSignal::new(0_u64);
    let warning = RwSignal::new(false);
    let wipe = move || {
        session.set(0);
        warning.set(false);
        lang.set(Lang::Kk);
        device::clean_address();
        if let Some(active) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()) {
            if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(active) {
                let _ = element.blur();
            }
        }
        spawn_local(device::clear_storage());
        dom::scroll_top();
    };
    idle::watch(Signal::derive(move || session.get() > 0), warning, wipe);
    let start = move |chosen: Lang| {
        switch_lang(lang, chosen);
        session.update(|s| *s += 1);
    };
    let name = move || match registration.get() {
        Registration::Registered(info) => format!("{} · {}", info.name, info.branch),
        _ => String::new(),
    };
    let body = move || {
        Some(match (registration.get(), session.get()) {
            (Registration::Checking, _) => crate::components::loading(),
            (Registration::Refused(key), _) => refused(key),
            (Registration::Registered(_), 0) => start_screen(start),
            (Registration::Registered(_), _) => view! { <Session finish=Callback::new(move |()| wipe()) /> }.into_any(),
        })
    };
    view! {
        <header class="site-header kiosk-header">
            <p class="site-title">{tr("kiosk.title")}</p>
            <p class="kiosk-header__name">{text(name)}</p>
            <button type="button" class="button button--warning kiosk-finish" id="kiosk-finish" hidden=move || session.get() == 0 on:click=move |_| wipe()>
                {tr("kiosk.finish")}
            </button>
        </header>
        <main id="main" class="kiosk-main">{reactive(body)}</main>
        {move || warning.get().then(|| still_here(warning))}
    }
}

/// Why this device serves nobody.
fn refused(key: &'static str) -> AnyView {
    let lang = use_lang();
    let message = move || if let Some(code) = key.strip_prefix("error.") { error_message(lang.get(), code) } else { t(lang.get(), key) };
    view! {
        <section class="notice notice--error" id="kiosk-refused" role="alert">
            <h1 class="title">{tr("kiosk.unavailable")}</h1>
            <p>{text(message)}</p>
        </section>
    }
    .into_any()
}

/// The first screen: the language, each named in itself.
fn start_screen(start: impl Fn(Lang) + Copy + 'static) -> AnyView {
    let buttons = Lang::ALL
        .into_iter()
        .map(|option| {
            let code = option.code();
            view! {
                <button type="button" class="button kiosk-lang" id=format!("kiosk-lang-{code}") lang=code on:click=move |_| start(option)>
                    {t(option, &format!("lang.{code}"))}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="kiosk-start" aria-labelledby="kiosk-welcome">
            <h1 class="title" id="kiosk-welcome">
                {Lang::ALL.into_iter().map(|l| view! { <span lang=l.code() class="kiosk-start__line">{t(l, "kiosk.welcome")}</span> }).collect_view()}
            </h1>
            <div class="kiosk-start__languages">{buttons}</div>
        </section>
    }
    .into_any()
}

/// "Are you still here?": any touch answers it (the idle watcher closes it); the button is the
/// obvious one.
fn still_here(warning: RwSignal<bool>) -> AnyView {
    view! {
        <div class="kiosk-dialog" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-still-here" aria-describedby="kiosk-still-here-hint">
            <h2 id="kiosk-still-here">{tr("kiosk.idle.title")}</h2>
            <p id="kiosk-still-here-hint">{tr("kiosk.idle.hint")}</p>
            <button type="button" class="button" id="kiosk-continue" on:click=move |_| warning.set(false)>{tr("kiosk.idle.continue")}</button>
        </div>
    }
    .into_any()
}

/// One person's application: the form's steps and the keyboard, then the receipt.
#[component]
fn Session(finish: Callback<()>) -> impl IntoView {
    let form = provide_form(Draft::new(), SubmitStatus::Idle, KIOSK_FORM);
    // Redrawn only when accepted (not at each step of sending, which would rebuild the form).
    let done = Memo::new(move |_| match form.submit.get() {
        SubmitStatus::Done(created, _) => Some(created),
        _ => None,
    });
    let body = move || {
        Some(match done.get() {
            Some(created) => receipt::receipt(created, finish),
            // The form scrolls above the keyboard, which never covers the input typed into.
            None => view! {
                <div class="kiosk-session">
                    <div class="kiosk-form"><Steps /></div>
                    <keyboard::Keyboard />
                </div>
            }
            .into_any(),
        })
    };
    reactive(body)
}
