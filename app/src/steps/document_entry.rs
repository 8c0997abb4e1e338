//! One "details of the education document" entry: region, institution of that region and of
//! the service's kind (with a search that narrows the list), degree, specialty, series, number,
//! registration number and year.
//!
//! The institution list is a native `<select>` narrowed by a search input above it: robust on
//! every phone and screen reader, unlike a custom combobox. When the search leaves exactly one
//! institution it is not chosen for the person: choosing stays their act, so nothing changes
//! in the form without them noticing; the polite count says "1" and the list holds just it.

use leptos::prelude::*;
use telnuska_shared::i18n::t;
use telnuska_shared::i18n::Lang;
use telnuska_shared::reference::{collate, compiled, institution_matches, InstitutionKind};

use crate::components::reactive;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::dom;
use crate::fields::{intern, is_unlisted, remove_document, DocPart, Field, UNLISTED};
use crate::form::provider_kind;
use crate::form::{field_id, field_key};
use crate::i18n::{name_in, text, tr, use_lang};
use crate::reference_cache::{use_lists, Lists};
use crate::state::use_form;

/// `(code, name)` options with the prompt first, sorted by name in the language's alphabet
/// (`collate`: Ә after А, Қ after К…). An insertion sort: the lists are short, and the standard
/// sort would add kilobytes of wasm.
fn options(prompt: &'static str, lang: Lang, items: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = vec![(String::new(), t(lang, prompt).to_string())];
    for item in items {
        let at = list[1..].iter().position(|x| collate(lang, &x.1, &item.1).is_gt()).map_or(list.len(), |i| i + 1);
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
    let lists = form.lists;
    let service = form.request.with_untracked(|r| r.service);
    let kind: InstitutionKind = provider_kind(service);
    // The label of the summary serves here too (one text per kind of institution).
    let label = move |part: DocPart| intern(&field_key("field", Field::Doc(0, part).path(), service));
    // Each list reads the lists in force, so it is redrawn when a newer bundle is installed. The
    // lists are memos: a keystroke elsewhere in the form leaves them, and their options, alone.
    let regions = Memo::new(move |_| {
        let lang = lang.get();
        options("option.choose", lang, lists.reference().regions.iter().map(|g| (g.code.clone(), name_in(lang, &g.name).to_string())))
    });
    let query = RwSignal::new(String::new());
    let region = form.value_of(move |req| Field::Doc(index, DocPart::Region).get(req));
    let chosen = form.value_of(move |req| Field::Doc(index, DocPart::Institution).get(req));
    // What the search finds in the region, and the chosen institution even if it does not.
    let institutions = Memo::new(move |_| {
        let lang = lang.get();
        let (region, query, chosen) = (region.get(), query.get(), chosen.get());
        let prompt = if region.is_empty() { "option.choose_region_first" } else { "option.choose" };
        let found = lists.reference().institutions_in(&region, kind).filter(|i| i.code == chosen || institution_matches(&query, i));
        let mut list = options(prompt, lang, found.map(|i| (i.code.clone(), name_in(lang, &i.name).to_string())));
        // Never a dead end: the last option asks for the name as printed.
        list.push((UNLISTED.to_string(), t(lang, "label.unlisted_institution").to_string()));
        list
    });
    let found = move || lists.reference().institutions_matching(&region.get(), kind, &query.get()).count();
    // A memo: the search is drawn once when a region is chosen, not again at every answer.
    let has_region = Memo::new(move |_| region.with(|r| !r.is_empty()));
    let degrees = Memo::new(move |_| {
        let lang = lang.get();
        options(
            "option.choose",
            lang,
            compiled().degrees.iter().filter(|d| d.institution_kind == kind).map(|d| (d.code.clone(), name_in(lang, &d.name).to_string())),
        )
    });
    let unlisted = form.value_of(move |req| is_unlisted(req, index));
    let several = form.value_of(|req| req.documents.len() > 1);
    let remove = move |_| {
        form.edit("documents", |req| remove_document(req, index));
        dom::focus_later("add-document");
    };
    let legend = move || t(lang.get(), "field.document_n").replace("{n}", &(index + 1).to_string());
    view! {
        <fieldset class="fieldset document" id=format!("document-{index}")>
            <legend class="legend legend--large">{text(legend)}</legend>
            {lists_status(index)}
            <SelectField field=Field::Doc(index, DocPart::Region) label="label.documents.region" options=regions />
            {reactive(move || has_region.get().then(|| institution_search(index, query, found)))}
            <SelectField field=Field::Doc(index, DocPart::Institution) label=label(DocPart::Institution) options=institutions />
            {chosen_name(index)}
            // Hidden rather than drawn on demand: one view less in the download.
            <div hidden=move || !unlisted.get()>
                <TextField
                    field=Field::Unlisted(index)
                    label="label.documents.unlisted_institution"
                    hint="hint.documents.unlisted_institution"
                    autocomplete="off"
                />
            </div>
            <TextField field=Field::Doc(index, DocPart::InstitutionAsNamed) label="field.documents.institution_as_named" autocomplete="off" />
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
            {reactive(move || several.get().then(|| view! {
                <button type="button" class="button button--secondary" id=format!("remove-document-{index}") on:click=remove>
                    {text(move || t(lang.get(), "button.remove_document").replace("{n}", &(index + 1).to_string()))}
                </button>
            }.into_any()))}
        </fieldset>
    }
}

/// The chosen institution's whole name under the list, where a long name wraps on a narrow
/// screen (a closed `<select>` cuts it); empty while none is chosen.
fn chosen_name(index: usize) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let field = Field::Doc(index, DocPart::Institution);
    let code = form.value_of(move |req| field.get(req));
    let name = move || code.with(|code| form.lists.reference().institution(code).map(|i| name_in(lang.get(), &i.name).to_string()).unwrap_or_default());
    view! { <p class="hint chosen" id=format!("{}-chosen", field_id(field.path()))>{text(name)}</p> }
}

/// "Loading the lists…" or "connect once" (with a button to try again) while the device has no
/// regions and institutions; nothing once it has them.
fn lists_status(index: usize) -> impl IntoView {
    let lists = use_lists();
    reactive(move || {
        let state = lists.get();
        let unavailable = state == Lists::Unavailable;
        (state != Lists::Ready).then(|| {
            view! {
                <div class="notice" class:notice--error=unavailable role=if unavailable { "alert" } else { "status" } id=format!("lists-status-{index}")>
                    <p>{tr(if unavailable { "lists.unavailable" } else { "lists.loading" })}</p>
                    {unavailable.then(|| view! {
                        <button type="button" class="button button--secondary" id=format!("lists-retry-{index}") on:click=move |_| lists.start()>
                            {tr("lists.retry")}
                        </button>
                    })}
                </div>
            }
            .into_any()
        })
    })
}

/// `#f-documents-N-institution-search`: narrows the institution list as the person types, with
/// the number found announced politely.
fn institution_search(index: usize, query: RwSignal<String>, found: impl Fn() -> usize + Send + Sync + 'static) -> AnyView {
    let lang = use_lang();
    let select = field_id(Field::Doc(index, DocPart::Institution).path());
    let id = format!("{select}-search");
    let (hint, count) = (format!("{id}-hint"), format!("{id}-count"));
    view! {
        <div class="field">
            <label class="label" for=id.clone()>{tr("lists.search_label")}</label>
            <p class="hint" id=hint.clone()>{tr("lists.search_hint")}</p>
            <input
                class="input"
                type="search"
                id=id
                autocomplete="off"
                spellcheck="false"
                aria-controls=select
                aria-describedby=format!("{hint} {count}")
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <p class="hint" id=count aria-live="polite">
                {text(move || t(lang.get(), "lists.found").replace("{n}", &found().to_string()))}
            </p>
        </div>
    }
    .into_any()
}
