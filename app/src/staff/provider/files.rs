//! The application's attached files, shown in the page: each is fetched with the session's
//! token (a plain link would carry none; the server records the reading in the access log) and
//! shown from a local object URL — an image as an image, a PDF in a frame, with a link to open
//! it in a tab of its own.

use leptos::prelude::*;
use telnuska_shared::api::AttachmentRef;
use telnuska_shared::i18n::{t, Lang};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::staff::session::{use_session, Session};

/// A file fetched for the page: its object URL and content type.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    url: String,
    content_type: String,
}

/// `GET path` as the signed-in member, the body kept as a local object URL with the type the
/// server gave; `None` when it could not be fetched (a 401 ends the session).
async fn fetch_file(session: Session, path: &str) -> Option<Shown> {
    let token = session.current.get_untracked()?.token;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let headers = web_sys::Headers::new().ok()?;
    headers.append("Authorization", &format!("Bearer {token}")).ok()?;
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    let response: web_sys::Response = JsFuture::from(web_sys::window()?.fetch_with_str_and_init(path, &init)).await.ok()?.unchecked_into();
    if response.status() == 401 {
        session.end();
    }
    if !response.ok() {
        return None;
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob().ok()?).await.ok()?.unchecked_into();
    Some(Shown { content_type: blob.type_(), url: web_sys::Url::create_object_url_with_blob(&blob).ok()? })
}

/// `#application-files`: each attached file with a button that shows it in the page.
#[component]
pub fn Files(app_id: String, attachments: Vec<AttachmentRef>, lang: Lang) -> impl IntoView {
    let items = attachments
        .into_iter()
        .enumerate()
        .map(|(i, a)| view! { <File path=format!("/api/applications/{app_id}/attachments/{}", a.id) name=t(lang, &format!("attachment.kind.{}", a.kind.code())).to_string() index=i lang=lang /> })
        .collect_view();
    view! {
        <section aria-labelledby="application-files-title" id="application-files">
            <h2 id="application-files-title">{t(lang, "staff.app.attachments")}</h2>
            <ul class="staff-files">{items}</ul>
        </section>
    }
}

/// One file: its kind, the button, and the file once fetched.
#[component]
fn File(path: String, name: String, index: usize, lang: Lang) -> impl IntoView {
    let session = use_session();
    let shown: RwSignal<Option<Result<Shown, ()>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let show = move |_| {
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let file = fetch_file(session, &path.get_value()).await;
            shown.set(Some(file.ok_or(())));
            busy.set(false);
        });
    };
    on_cleanup(move || {
        if let Some(Some(Ok(file))) = shown.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&file.url);
        }
    });
    let title = name.clone();
    let body = move || {
        shown.get().map(|file| match file {
            Ok(Shown { url, content_type }) if content_type.starts_with("image/") => {
                view! { <img src=url alt=title.clone() style:max-width="100%" style:display="block" /> }.into_any()
            }
            Ok(Shown { url, .. }) => view! {
                <iframe src=url.clone() title=title.clone() style:width="100%" style:height="32rem" style:border="1px solid"></iframe>
                <a href=url target="_blank" rel="noopener">{t(lang, "staff.files.open")}</a>
            }
            .into_any(),
            Err(()) => view! { <p class="error-message" role="alert">{t(lang, "staff.files.failed")}</p> }.into_any(),
        })
    };
    view! {
        <li data-file=index.to_string()>
            <span>{name.clone()}</span>" "
            <button type="button" class="button button--secondary" id=format!("file-{index}") disabled=move || busy.get() on:click=show
                hidden=move || shown.with(|s| matches!(s, Some(Ok(_))))>
                {t(lang, "staff.files.show")}<span class="visually-hidden">{format!(": {name}")}</span>
            </button>
            {body}
        </li>
    }
}
