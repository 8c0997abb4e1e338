//! The document asked for and its details: kind, region, university, degree, specialty,
//! series, number, registration number and year (000, "details of the education document").

use leptos::prelude::*;
use telnuska_shared::api::DocumentKind;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::{reference, InstitutionKind};

use crate::components::field_notices::FieldNotices;
use crate::components::radio_group::RadioGroup;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::form::{digits, document, document_mut};
use crate::i18n::{name_in, tr, use_lang};
use crate::state::use_form;

/// Which institutions award this service's documents.
const KIND: InstitutionKind = InstitutionKind::University;

/// The document-kind radios and the fields of the one document entry.
#[component]
pub fn DocumentFields() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let r = reference();
    let kinds = r.document_kinds.iter().filter(|k| k.code != DocumentKind::Certificate.code()).cloned().collect::<Vec<_>>();
    let regions = Signal::derive(move || {
        let lang = lang.get();
        std::iter::once((String::new(), t(lang, "option.choose").to_string()))
            .chain(r.regions.iter().map(|g| (g.code.clone(), name_in(lang, &g.name).to_string())))
            .collect::<Vec<_>>()
    });
    let institutions = Signal::derive(move || {
        let lang = lang.get();
        let region = form.request.with(|req| document(req).region);
        let prompt = if region.is_empty() { "option.choose_region_first" } else { "option.choose" };
        let mut list: Vec<(String, String)> =
            r.institutions_in(&region, KIND).map(|i| (i.code.clone(), name_in(lang, &i.name).to_string())).collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        std::iter::once((String::new(), t(lang, prompt).to_string())).chain(list).collect::<Vec<_>>()
    });
    let degrees = Signal::derive(move || {
        let lang = lang.get();
        std::iter::once((String::new(), t(lang, "option.choose").to_string()))
            .chain(r.degrees.iter().filter(|d| d.institution_kind == KIND).map(|d| (d.code.clone(), name_in(lang, &d.name).to_string())))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="section" aria-labelledby="document-title">
            <h2 class="section__title" id="document-title">{tr("title.document")}</h2>
            <RadioGroup
                path="document_kind"
                legend="label.document_kind"
                options=kinds
                get=|r| r.document_kind.map(|k| k.code().to_string()).unwrap_or_default()
                set=|r, v| r.document_kind = DocumentKind::from_code(&v)
            />
            <FieldNotices path="document_kind" />
            <SelectField
                path="documents.0.region"
                label="label.documents.region"
                options=regions
                get=|r| document(r).region
                set=|r, v| {
                    let doc = document_mut(r);
                    // A university of another region would be refused (institution.wrong_region).
                    let keeps = reference().institution(&doc.institution).is_some_and(|i| i.region == v);
                    if !keeps {
                        doc.institution.clear();
                    }
                    doc.region = v;
                }
            />
            <SelectField
                path="documents.0.institution"
                label="label.documents.institution"
                options=institutions
                get=|r| document(r).institution
                set=|r, v| document_mut(r).institution = v
            />
            <SelectField
                path="documents.0.degree"
                label="label.documents.degree"
                options=degrees
                get=|r| document(r).degree
                set=|r, v| document_mut(r).degree = v
            />
            <TextField
                path="documents.0.specialty"
                label="label.documents.specialty"
                hint="hint.documents.specialty"
                get=|r| document(r).specialty
                set=|r, v| document_mut(r).specialty = v
            />
            <TextField
                path="documents.0.series"
                label="label.documents.series"
                get=|r| document(r).series
                set=|r, v| document_mut(r).series = v
                autocomplete="off"
                class="input input--short"
            />
            <TextField
                path="documents.0.number"
                label="label.documents.number"
                get=|r| document(r).number
                set=|r, v| document_mut(r).number = v
                autocomplete="off"
                class="input input--medium"
            />
            <TextField
                path="documents.0.registration_number"
                label="label.documents.registration_number"
                get=|r| document(r).registration_number
                set=|r, v| document_mut(r).registration_number = v
                autocomplete="off"
                class="input input--medium"
            />
            <TextField
                path="documents.0.graduation_year"
                label="label.documents.graduation_year"
                hint="hint.documents.graduation_year"
                get=|r| document(r).graduation_year.map(|y| y.to_string()).unwrap_or_default()
                set=|r, v| document_mut(r).graduation_year = digits(&v, 4).parse().ok()
                inputmode="numeric"
                autocomplete="off"
                maxlength=4
                class="input input--short"
            />
        </section>
    }
}
