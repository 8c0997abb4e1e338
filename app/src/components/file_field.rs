//! The file of one required attachment kind: choose a file (or take a photo), prepared on the
//! device and uploaded at once (or kept as the form's setup says); the id the server returns goes
//! into the draft's `attachments`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::{AttachmentKind, AttachmentRef};
use telnuska_shared::i18n::{t, Lang};

use crate::components::field_error::{described_by, field_error, has_error};
use crate::components::reactive;
use crate::fields::intern;
use crate::form::{attachment_path, file_input_id, hint_id, FileMeta};
use crate::i18n::{text, tr, use_lang};
use crate::notice::Notice;
use crate::state::use_form;
use crate::upload;

/// Where the upload of this kind stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Progress {
    Idle,
    Working,
    Failed(Notice),
}

/// Size for people: `1.2 MB`, `350 KB` (units from the catalogue).
fn size_text(lang: Lang, bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        // Tenths by integers: float formatting would add kilobytes of wasm.
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{}.{} {}", tenths / 10, tenths % 10, t(lang, "unit.mb"))
    } else {
        format!("{} {}", bytes.div_ceil(1024), t(lang, "unit.kb"))
    }
}

/// `#f-attachments-<kind>-file`: a PDF or a picture, with `capture` so that a phone offers its
/// camera (browsers still offer files when PDFs are accepted too); the attached file's name,
/// progress and errors.
#[component]
pub fn FileField(kind: AttachmentKind) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let path = intern(&attachment_path(kind));
    let input_id = file_input_id(kind);
    let hint = hint_id(path);
    let status_id = format!("{}-status", input_id);
    let has_error = has_error(path);
    let progress = RwSignal::new(Progress::Idle);
    let attached = move || {
        let id = form.request.with(|r| r.attachments.iter().find(|a| a.kind == kind).map(|a| a.id.clone()))?;
        Some(form.files.with(|files| files.iter().find(|f| f.id == id).cloned()).unwrap_or(FileMeta { id, name: String::new(), size: 0 }))
    };
    let chosen = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|list| list.get(0)) else { return };
        progress.set(Progress::Working);
        let lang = lang.get_untracked();
        spawn_local(async move {
            match upload::upload(&file, form.setup.keep_file, lang).await {
                Ok((uploaded, name)) => {
                    let id = uploaded.id.clone();
                    form.files.update(|files| {
                        files.retain(|f| f.id != id);
                        files.push(FileMeta { id: id.clone(), name, size: uploaded.size });
                    });
                    form.edit(path, |r| {
                        r.attachments.retain(|a| a.kind != kind);
                        r.attachments.push(AttachmentRef { kind, id });
                    });
                    form.touch(path);
                    progress.set(Progress::Idle);
                }
                Err(notice) => progress.set(Progress::Failed(notice)),
            }
            // The same file may be chosen again after a failure.
            input.set_value("");
        });
    };
    let status = move || match progress.get() {
        Progress::Idle => None,
        Progress::Working => Some(("status", t(lang.get(), "upload.working"))),
        Progress::Failed(notice) => Some(("status status--error", notice.text(lang.get()))),
    };
    let described = described_by(path, Some(format!("{hint} {status_id}")));
    view! {
        <div class="field" class:field--error=has_error>
            <label class="label" for=input_id.clone()>{tr(intern(&format!("attachment.kind.{}", kind.code())))}</label>
            <p class="hint" id=hint.clone()>{tr("hint.attachment.file")}</p>
            {field_error(path)}
            {reactive(move || attached().map(|file| view! {
                <p class="file-attached" id=format!("{}-name", file_input_id(kind))>
                    {tr("upload.attached")}" "<strong>{file.name.clone()}</strong>
                    {text(move || if file.size > 0 { format!(" ({})", size_text(lang.get(), file.size)) } else { String::new() })}
                </p>
            }.into_any()))}
            <input
                type="file"
                class="file-input"
                id=input_id
                name=path
                accept="image/*,application/pdf"
                capture="environment"
                aria-describedby=described
                on:change=chosen
            />
            <p class="live" id=status_id role="status" aria-live="polite">
                {reactive(move || status().map(|(class, text)| view! { <span class=class>{text}</span> }.into_any()))}
            </p>
        </div>
    }
}
