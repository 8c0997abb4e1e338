//! Step 6: every answer, step by step, each step with a `#change-<step>` button that opens it
//! (and "continue" there comes back here), and on the citizen's own device "download a copy".

use leptos::prelude::*;
use telnuska_shared::api::{Channel, CreateApplicationRequest, PersonInput};
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::Reference;

use crate::actions::change;
use crate::components::reactive;
use crate::drafts::download::download;
use crate::fields::cleaned;
use crate::form::{field_key, FileMeta, Step};
use crate::i18n::{name_in, tr, use_lang};
use crate::state::use_form;

fn person_text(p: &PersonInput) -> String {
    let names = [p.last_name.as_str(), p.first_name.as_str(), p.patronymic.as_deref().unwrap_or("")];
    let name = names.iter().filter(|n| !n.trim().is_empty()).copied().collect::<Vec<_>>().join(" ");
    [name, p.iin.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
}

fn coded(lang: Lang, list: &[telnuska_shared::reference::CodedName], code: Option<&str>) -> String {
    code.and_then(|c| list.iter().find(|x| x.code == c)).map(|x| name_in(lang, &x.name).to_string()).unwrap_or_default()
}

/// `(label, value)` rows of one step's answers (also the staff console's view of an application),
/// regions and institutions named as `lists` (the lists in force) have them.
pub fn rows(lang: Lang, lists: &Reference, step: Step, req: &CreateApplicationRequest, files: &[FileMeta]) -> Vec<(String, String)> {
    let r = lists;
    let tt = |key: &str| t(lang, key).to_string();
    let mut rows = Vec::new();
    match step {
        Step::Service => rows.push((tt("field.service"), name_in(lang, &r.service(req.service).name).to_string())),
        Step::Applicant => {
            let relationship = req.relationship.map(|x| tt(&format!("relationship.{}", x.code()))).unwrap_or_default();
            rows.push((tt("field.relationship"), relationship));
            let a = &req.applicant;
            let title = if req.representative.is_some() { "title.graduate" } else { "title.applicant" };
            rows.push((tt(title), person_text(&a.person())));
            if let Some(p) = &req.pupil {
                rows.push((tt("title.pupil"), person_text(p)));
            }
            if let Some(p) = &req.representative {
                rows.push((tt("title.representative"), person_text(p)));
            }
            // The contacts of whoever applies: a representative's are theirs, never the graduate's.
            let (phone, email) = req.contacts();
            let (phone_key, email_key) = if req.acting_representative().is_some() {
                ("field.representative.phone", "field.representative.email")
            } else {
                ("field.applicant.phone", "field.applicant.email")
            };
            rows.push((tt(phone_key), phone.to_string()));
            // Optional: left empty, it is "not given" in plain text, not a missing answer in red.
            rows.push((tt(email_key), email.filter(|e| !e.trim().is_empty()).map_or_else(|| tt("answer.missing"), str::to_string)));
            // The graduate's own phone, when a representative gave theirs apart.
            if phone != a.phone && !a.phone.is_empty() {
                rows.push((tt("field.graduate.phone"), a.phone.clone()));
            }
        }
        Step::Documents => {
            rows.push((tt("field.document_kind"), coded(lang, &r.document_kinds, req.document_kind.map(|k| k.code()))));
            for (i, d) in req.documents.iter().enumerate() {
                let region = r.region(&d.region).map(|x| name_in(lang, &x.name).to_string()).unwrap_or_default();
                let unlisted = d.unlisted_institution.clone();
                let institution = r.institution(&d.institution).map(|x| name_in(lang, &x.name).to_string()).or(unlisted).unwrap_or_default();
                let degree = r.degree(&d.degree).map(|x| name_in(lang, &x.name).to_string()).unwrap_or_default();
                let year = d.graduation_year.map(|y| y.to_string()).unwrap_or_default();
                // The region and what is printed on the document each under its label (a
                // school's "certificate number"), so that no number is mistaken for another.
                let labelled = |part: &str, value: String| {
                    (!value.is_empty()).then(|| format!("{}: {value}", t(lang, &field_key("field", &format!("documents.{i}.{part}"), req.service))))
                };
                let parts = [
                    labelled("region", region),
                    Some(institution),
                    Some(degree),
                    Some(d.specialty.clone()),
                    labelled("series", d.series.clone()),
                    labelled("number", d.number.clone()),
                    labelled("registration_number", d.registration_number.clone()),
                    Some(year),
                ];
                let text = parts.into_iter().flatten().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("; ");
                rows.push((t(lang, "field.document_n").replace("{n}", &(i + 1).to_string()), text));
            }
        }
        Step::Reason => {
            rows.push((tt("field.reason"), coded(lang, &r.reasons, req.reason.map(|x| x.code()))));
            for c in &req.corrections {
                let label = c.data.map(|d| tt(&format!("corrected_data.{}", d.code()))).unwrap_or_else(|| tt("field.corrections.data"));
                rows.push((label, [c.as_printed.trim(), "→", c.should_be.trim(), ";", c.proof.trim()].join(" ")));
            }
            if let Some(n) = &req.name_on_document {
                rows.push((tt("title.name_on_document"), person_text(n)));
            }
            for a in &req.attachments {
                let name = files.iter().find(|f| f.id == a.id).map(|f| f.name.clone()).unwrap_or_else(|| tt("answer.yes"));
                rows.push((tt(&format!("attachment.kind.{}", a.kind.code())), name));
            }
        }
        Step::Consents => {
            let yes_no = |v: bool| tt(if v { "answer.yes" } else { "answer.no" });
            rows.push((tt("field.consents.accuracy"), yes_no(req.consents.accuracy)));
            rows.push((tt("field.consents.personal_data"), yes_no(req.consents.personal_data)));
        }
        Step::Review | Step::Sign => {}
    }
    rows
}

/// `<div id="review">`: one section per step with its answers and its "change" button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let sections = move || {
        let lang = lang.get();
        let req = form.request.with(cleaned);
        let files = form.files.get();
        let lists = form.lists.reference();
        let sections = Step::ALL
            .into_iter()
            .filter(|s| *s < Step::Review)
            .map(|step| {
                let title = t(lang, &format!("step.{}", step.code()));
                let heading_id = format!("review-{}-title", step.code());
                let labelled = heading_id.clone();
                let list = rows(lang, lists, step, &req, &files)
                    .into_iter()
                    .map(|(label, value)| {
                        let missing = value.trim().is_empty();
                        let value = if missing { t(lang, "answer.missing").to_string() } else { value };
                        view! { <dt>{label}</dt><dd class:review__missing=missing>{value}</dd> }
                    })
                    .collect_view();
                view! {
                    <section class="review__section" aria-labelledby=labelled>
                        <div class="review__head">
                            <h2 class="review__title" id=heading_id>{title}</h2>
                            <button type="button" class="link-button" id=format!("change-{}", step.code()) on:click=move |_| change(form, step)>
                                {t(lang, "button.change")}
                                <span class="visually-hidden">{format!(": {title}")}</span>
                            </button>
                        </div>
                        <dl class="review__list">{list}</dl>
                    </section>
                }
            })
            .collect_view();
        Some(sections.into_any())
    };
    // A copy to keep or print: the citizen's own device only (a kiosk or a field device keeps
    // nothing of a person's in clear).
    let copy = (form.setup.channel == Channel::Portal).then(|| {
        view! {
            <button type="button" class="button button--secondary" id="download-review" on:click=move |_| drop(download(lang.get_untracked(), form.lists.reference_untracked(), &form.draft()))>
                {tr("drafts.download")}
            </button>
        }
    });
    view! { <div class="review" id="review">{reactive(sections)}</div> {copy} }
}
