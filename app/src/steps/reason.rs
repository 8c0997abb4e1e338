//! Step 4: the reason (those the service takes), its notices, what a correction puts right
//! (which data, as printed, as it should be, what proves it), the name on the original when it
//! differs from the current one (always asked for a change of name), a file for every document
//! that the service, reason and relationship require (`required_attachments`), and where a paper
//! result is collected: a ЦОН branch or the provider (audit item 3).

use leptos::prelude::*;
use telnuska_shared::api::{CorrectedData, Reason, ServiceCode};
use telnuska_shared::application::required_attachments;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::compiled;

use crate::components::checkbox_field::CheckboxField;
use crate::components::field_notices::field_notices;
use crate::components::file_field::FileField;
use crate::components::radio_group::RadioGroup;
use crate::components::reactive;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::fields::{asks_name_on_document, cleaned, prune_attachments, CorrectionPart, Field, PersonPart, Who};
use crate::i18n::{tr, use_lang};
use crate::state::use_form;

/// The correction's inputs (one entry: most corrections are about one thing).
fn correction_section() -> impl IntoView {
    let lang = use_lang();
    let data = Signal::derive(move || {
        let lang = lang.get();
        std::iter::once((String::new(), t(lang, "option.choose").to_string()))
            .chain(CorrectedData::ALL.iter().map(|d| (d.code().to_string(), t(lang, &format!("corrected_data.{}", d.code())).to_string())))
            .collect::<Vec<_>>()
    });
    let field = |part| Field::Correction(0, part);
    view! {
        <section class="section" aria-labelledby="correction-title">
            <h2 class="section__title" id="correction-title">{tr("title.correction")}</h2>
            <SelectField field=field(CorrectionPart::Data) label="label.corrections.data" options=data />
            <TextField field=field(CorrectionPart::AsPrinted) label="label.corrections.as_printed" autocomplete="off" />
            <TextField field=field(CorrectionPart::ShouldBe) label="label.corrections.should_be" autocomplete="off" />
            <TextField field=field(CorrectionPart::Proof) label="label.corrections.proof" hint="hint.corrections.proof" autocomplete="off" />
        </section>
    }
}

/// "The document is in another name", and the name as printed on the original when it is.
fn name_on_document_section() -> impl IntoView {
    let form = use_form();
    let asked = form.value_of(asks_name_on_document);

    // A change of name always asks: the box then stays ticked.
    view! {
        <CheckboxField
            path="name_on_document"
            label="label.name_differs"
            get=asks_name_on_document
            set=|r, on| r.name_on_document = on.then(Default::default)
        />
        // Hidden rather than drawn on demand: one view less in the download.
        <section class="section" aria-labelledby="name-on-document-title" hidden=move || !asked.get()>
            <h2 class="section__title" id="name-on-document-title">{tr("title.name_on_document")}</h2>
            <p class="hint">{tr("hint.name_on_document")}</p>
            <TextField field=Field::Person(Who::Document, PersonPart::LastName) label="label.applicant.last_name" autocomplete="off" />
            <TextField field=Field::Person(Who::Document, PersonPart::FirstName) label="label.applicant.first_name" autocomplete="off" />
            <TextField field=Field::Person(Who::Document, PersonPart::Patronymic) label="label.person.patronymic" autocomplete="off" />
        </section>
    }
}

/// Reason radios, then what the reason asks, then the required documents.
#[component]
pub fn ReasonStep() -> impl IntoView {
    let form = use_form();
    let service_code = form.request.with_untracked(|r| r.service);
    let service = compiled().service(service_code);
    let options = compiled().reasons.iter().filter(|r| Reason::from_code(&r.code).is_some_and(|r| service.reasons.contains(&r))).cloned().collect::<Vec<_>>();
    let needed = form.value_of(|r| required_attachments(&cleaned(r)));
    let files = move || {
        let needed = needed.get();
        (!needed.is_empty()).then(|| {
            view! {
                <section class="section" aria-labelledby="attachments-title">
                    <h2 class="section__title" id="attachments-title">{tr("title.attachments")}</h2>
                    <p class="hint">{tr("hint.attachments")}</p>
                    {needed.into_iter().map(|kind| view! { <FileField kind=kind /> }).collect_view()}
                </section>
            }
            .into_any()
        })
    };
    let correction = service_code == ServiceCode::Correction;
    view! {
        <RadioGroup
            path="reason"
            legend=if correction { "label.reason.correction" } else { "label.reason" }
            options=options
            get=|f| f.request.with(|r| r.reason.map(|x| x.code().to_string()).unwrap_or_default())
            set=|r, v, _| {
                r.reason = Reason::from_code(&v);
                prune_attachments(r);
            }
        />
        {field_notices("reason")}
        {correction.then(correction_section)}
        {(!correction).then(name_on_document_section)}
        {reactive(files)}
        {service.collected_on_paper().then(collection)}
    }
}

/// The places of collection with their catalogue keys, the prompt first.
const PLACES: [(&str, &str); 3] = [("", "option.choose"), ("con", "collection.con"), ("provider", "collection.provider")];

/// Where the result is collected; a ЦОН branch is named.
fn collection() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let places = Signal::derive(move || {
        let lang = lang.get();
        PLACES.iter().map(|(code, key)| (code.to_string(), t(lang, key).to_string())).collect::<Vec<_>>()
    });
    let at_con = form.value_of(|r| Field::CollectionPlace.get(r) == "con");
    view! {
        <SelectField field=Field::CollectionPlace label="field.collection" options=places />
        {reactive(move || at_con.get().then(|| view! { <TextField field=Field::CollectionBranch label="field.collection.branch" autocomplete="off" /> }.into_any()))}
    }
}
