//! Step 3: which document is asked for (the kinds the service issues), and the details of each
//! document, with "add another document" (000: "ДОБАВИТЬ").

use leptos::prelude::*;
use telnuska_shared::api::DocumentKind;
use telnuska_shared::application::MAX_DOCUMENTS;
use telnuska_shared::reference::compiled;

use crate::components::field_notices::field_notices;
use crate::components::radio_group::RadioGroup;
use crate::components::reactive;
use crate::dom;
use crate::fields::{add_document, DocPart, Field};
use crate::form::{field_id, ADD_DOCUMENT_ID};
use crate::i18n::tr;
use crate::state::use_form;
use crate::steps::document_entry::DocumentEntry;

/// The document-kind radios, one entry per document and the button that adds one.
#[component]
pub fn DocumentsStep() -> impl IntoView {
    let form = use_form();
    let service = compiled().service(form.request.with_untracked(|r| r.service));
    let kinds = compiled()
        .document_kinds
        .iter()
        .filter(|k| DocumentKind::from_code(&k.code).is_some_and(|k| service.document_kinds.contains(&k)))
        .cloned()
        .collect::<Vec<_>>();
    let count = form.value_of(|r| r.documents.len());
    let add = move |_| {
        let mut added = None;
        form.edit("documents", |r| added = add_document(r));
        if let Some(i) = added {
            dom::focus_later_owned(field_id(Field::Doc(i, DocPart::Region).path()));
        }
    };
    view! {
        <RadioGroup
            path="document_kind"
            legend="label.document_kind"
            options=kinds
            get=|f| f.request.with(|r| r.document_kind.map(|k| k.code().to_string()).unwrap_or_default())
            set=|r, v, _| r.document_kind = DocumentKind::from_code(&v)
        />
        {field_notices("document_kind")}
        {reactive(move || Some((0..count.get()).map(|index| view! { <DocumentEntry index=index /> }).collect_view().into_any()))}
        {reactive(move || (count.get() < MAX_DOCUMENTS).then(|| view! {
            <button type="button" class="button button--secondary" id=ADD_DOCUMENT_ID on:click=add>
                {tr("button.add_document")}
            </button>
        }.into_any()))}
    }
}
