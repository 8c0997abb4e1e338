//! One "details of the education document" entry: region, institution of that region and of
//! the service's kind, degree, specialty, series, number, registration number and year.

use leptos::prelude::*;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::{reference, InstitutionKind};

use crate::components::reactive;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::dom;
use crate::fields::{intern, provider_kind, remove_document, DocPart, Field};
use crate::form::field_key;
use crate::i18n::{name_in, text, use_lang};
use crate::state::use_form;

/// `(code, name)` options with the prompt first, sorted by name in the language. An insertion
/// sort: the lists are short, and the standard sort would add kilobytes of wasm.
fn options(prompt: &'static str, lang: telnuska_shared::i18n::Lang, items: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = vec![(String::new(), t(lang, prompt).to_string())];
    for item in items {
        let at = list[1..].iter().position(|x| x.1 > item.1).map_or(list.len(), |i| i + 1);
        list.insert(at, item);
    }
    list
}

/// `<fieldset id="document-N">` with the entry's inputs and, when there are several, a
/// `#remove-document-N` button.
#[component]
pub fn DocumentEntry(index: usize) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let service = form.request.with_untracked(|r| r.service);
    let kind: InstitutionKind = provider_kind(service);
    let r = reference();
    // The short names of the summary serve as labels too (one text per kind of institution).
    let label = move |part: DocPart| intern(&field_key("field", Field::Doc(0, part).path(), service));
    let regions = Signal::derive(move || {
        let lang = lang.get();
        options("option.choose", lang, r.regions.iter().map(|g| (g.code.clone(), name_in(lang, &g.name).to_string())))
    });
    let institutions = Signal::derive(move || {
        let lang = lang.get();
        let region = form.request.with(|req| Field::Doc(index, DocPart::Region).get(req));
        let prompt = if region.is_empty() { "option.choose_region_first" } else { "option.choose" };
        options(prompt, lang, r.institutions_in(&region, kind).map(|i| (i.code.clone(), name_in(lang, &i.name).to_string())))
    });
    let degrees = Signal::derive(move || {
        let lang = lang.get();
        options("option.choose", lang, r.degrees.iter().filter(|d| d.institution_kind == kind).map(|d| (d.code.clone(), name_in(lang, &d.name).to_string())))
    });
    let several = move || form.request.with(|req| req.documents.len() > 1);
    let remove = move |_| {
        form.edit("documents", |req| remove_document(req, index));
        dom::focus_later("add-document");
    };
    let legend = move || t(lang.get(), "field.document_n").replace("{n}", &(index + 1).to_string());
    view! {
        <fieldset class="fieldset document" id=format!("document-{index}")>
            <legend class="legend legend--large">{text(legend)}</legend>
            <SelectField field=Field::Doc(index, DocPart::Region) label="label.documents.region" options=regions />
            <SelectField field=Field::Doc(index, DocPart::Institution) label=label(DocPart::Institution) options=institutions />
            <SelectField field=Field::Doc(index, DocPart::Degree) label=label(DocPart::Degree) options=degrees />
            {(kind != InstitutionKind::School).then(|| view! {
                <TextField field=Field::Doc(index, DocPart::Specialty) label="label.documents.specialty" hint="hint.documents.specialty" />
            })}
            <TextField field=Field::Doc(index, DocPart::Series) label=label(DocPart::Series) autocomplete="off" class="input input--short" />
            <TextField field=Field::Doc(index, DocPart::Number) label=label(DocPart::Number) autocomplete="off" class="input input--medium" />
            <TextField
                field=Field::Doc(index, DocPart::RegistrationNumber)
                label="label.documents.registration_number"
                autocomplete="off"
                class="input input--medium"
            />
            <TextField
                field=Field::Doc(index, DocPart::GraduationYear)
                label="label.documents.graduation_year"
                hint="hint.documents.graduation_year"
                inputmode="numeric"
                autocomplete="off"
                maxlength=4
                class="input input--short"
            />
            {reactive(move || several().then(|| view! {
                <button type="button" class="button button--secondary" id=format!("remove-document-{index}") on:click=remove>
                    {text(move || t(lang.get(), "button.remove_document").replace("{n}", &(index + 1).to_string()))}
                </button>
            }.into_any()))}
        </fieldset>
    }
}
