//! Step 2: who applies (the relationships the service takes), the identities that follow from
//! it (the pupil when a parent or guardian applies, the representative when one acts), and
//! the contacts.

use leptos::prelude::*;
use telnuska_shared::api::Relationship;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::compiled;

use crate::components::radio_group::RadioGroup;
use crate::components::reactive;
use crate::components::text_field::TextField;
use crate::fields::{set_relationship, Field, PersonPart, Who};
use crate::i18n::{text, tr, use_lang};
use crate::state::use_form;
use crate::steps::catalogued;

/// IIN and names of one person.
fn person_fields(who: Who, title: &'static str) -> impl IntoView {
    let patronymic = if who == Who::Applicant { "label.applicant.patronymic" } else { "label.person.patronymic" };
    let heading = ["person-", Field::Person(who, PersonPart::Iin).path().split('.').next().unwrap_or(""), "-title"].concat();
    let (labelled, heading_id) = (heading.clone(), heading);
    view! {
        <section class="section" aria-labelledby=labelled>
            <h2 class="section__title" id=heading_id>{tr(title)}</h2>
            <TextField
                field=Field::Person(who, PersonPart::Iin)
                label="label.applicant.iin"
                hint="hint.applicant.iin"
                inputmode="numeric"
                autocomplete="off"
                class="input input--medium"
            />
            <TextField field=Field::Person(who, PersonPart::LastName) label="label.applicant.last_name" autocomplete=if who == Who::Applicant { "family-name" } else { "off" } />
            <TextField field=Field::Person(who, PersonPart::FirstName) label="label.applicant.first_name" autocomplete=if who == Who::Applicant { "given-name" } else { "off" } />
            <TextField field=Field::Person(who, PersonPart::Patronymic) label=patronymic autocomplete=if who == Who::Applicant { "additional-name" } else { "off" } />
        </section>
    }
}

/// Relationship radios, the identities and the contacts.
#[component]
pub fn ApplicantStep() -> impl IntoView {
    let form = use_form();
    let service = form.request.with_untracked(|r| r.service);
    let options = compiled().service(service).relationships.iter().map(|r| catalogued(r.code(), "relationship")).collect::<Vec<_>>();
    let relationship = form.value_of(|r| r.relationship);
    let lang = use_lang();
    // Three slots of one view type: the renderer is compiled once for all of them.
    let person = move |who: Who, title: fn(Option<Relationship>) -> Option<&'static str>| {
        reactive(move || title(relationship.get()).map(|title| person_fields(who, title).into_any()))
    };
    view! {
        <RadioGroup
            path="relationship"
            legend="label.relationship"
            options=options
            get=|f| f.request.with(|r| r.relationship.map(|x| x.code().to_string()).unwrap_or_default())
            set=|r, v, _| set_relationship(r, Relationship::from_code(&v))
        />
        {person(Who::Representative, |r| (r == Some(Relationship::Representative)).then_some("title.representative"))}
        {person(Who::Applicant, |r| Some(if r == Some(Relationship::Representative) { "title.graduate" } else { "title.applicant" }))}
        {person(Who::Pupil, |r| matches!(r, Some(Relationship::Parent | Relationship::Guardian)).then_some("title.pupil"))}
        <section class="section" aria-labelledby="contacts-title">
            // A representative gives their own contacts: the SMS go to the person who applies.
            <h2 class="section__title" id="contacts-title">
                {text(move || t(lang.get(), if relationship.get() == Some(Relationship::Representative) { "title.representative_contacts" } else { "title.contacts" }))}
            </h2>
            <TextField
                field=Field::Phone
                label="label.applicant.phone"
                hint="hint.applicant.phone"
                kind="tel"
                autocomplete="tel"
                class="input input--medium"
            />
            <TextField field=Field::Email label="label.applicant.email" kind="email" autocomplete="email" />
        </section>
    }
}
