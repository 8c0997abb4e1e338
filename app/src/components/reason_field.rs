//! The reason for the duplicate, with the documents that reason requires (000: for damage or a
//! change of name the original is attached; files cannot be attached in this slice yet).

use leptos::prelude::*;
use telnuska_shared::api::{AttachmentKind, Reason};
use telnuska_shared::application::required_attachments;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::reference;

use crate::components::field_notices::FieldNotices;
use crate::components::radio_group::RadioGroup;
use crate::form::ATTACHMENTS_NOTE_ID;
use crate::i18n::use_lang;
use crate::state::use_form;

/// The sentence saying that a document of `kind` is needed.
fn needed_key(kind: AttachmentKind) -> String {
    match kind {
        AttachmentKind::OriginalDocument => "note.original_document".into(),
        AttachmentKind::NameChangeCertificate => "note.name_change_certificate".into(),
        other => format!("attachment.kind.{}", other.code()),
    }
}

/// The reasons of a diploma duplicate (not `data_error`, which is the correction service's).
#[component]
pub fn ReasonField() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let options = reference().reasons.iter().filter(|r| r.code != Reason::DataError.code()).cloned().collect::<Vec<_>>();
    let needed = move || form.request.with(required_attachments);
    let note = move || {
        let needed = needed();
        (!needed.is_empty()).then(|| {
            let lang = lang.get();
            view! {
                <div class="notice" id=ATTACHMENTS_NOTE_ID tabindex="-1">
                    {needed.into_iter().map(|kind| view! { <p>{t(lang, &needed_key(kind))}</p> }).collect_view()}
                    <p>{t(lang, "note.attachments_later")}</p>
                </div>
            }
        })
    };
    view! {
        <RadioGroup
            path="reason"
            legend="label.reason"
            options=options
            get=|r| r.reason.map(|x| x.code().to_string()).unwrap_or_default()
            set=|r, v| r.reason = Reason::from_code(&v)
        />
        <FieldNotices path="reason" />
        {note}
    }
}
