//! The applicant's identity and contacts.

use leptos::prelude::*;

use crate::components::text_field::TextField;
use crate::form::set_phone;
use crate::i18n::tr;

/// IIN, names, mobile phone and e-mail.
#[component]
pub fn ApplicantFields() -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="applicant-title">
            <h2 class="section__title" id="applicant-title">{tr("title.applicant")}</h2>
            <TextField
                path="applicant.iin"
                label="label.applicant.iin"
                hint="hint.applicant.iin"
                get=|r| r.applicant.iin.clone()
                set=|r, v| r.applicant.iin = v
                inputmode="numeric"
                autocomplete="off"
                class="input input--medium"
            />
            <TextField
                path="applicant.last_name"
                label="label.applicant.last_name"
                get=|r| r.applicant.last_name.clone()
                set=|r, v| r.applicant.last_name = v
                autocomplete="family-name"
            />
            <TextField
                path="applicant.first_name"
                label="label.applicant.first_name"
                get=|r| r.applicant.first_name.clone()
                set=|r, v| r.applicant.first_name = v
                autocomplete="given-name"
            />
            <TextField
                path="applicant.patronymic"
                label="label.applicant.patronymic"
                get=|r| r.applicant.patronymic.clone().unwrap_or_default()
                set=|r, v| r.applicant.patronymic = (!v.is_empty()).then_some(v)
                autocomplete="additional-name"
            />
            <TextField
                path="applicant.phone"
                label="label.applicant.phone"
                hint="hint.applicant.phone"
                get=|r| r.applicant.phone.clone()
                set=set_phone
                kind="tel"
                autocomplete="tel"
                class="input input--medium"
            />
            <TextField
                path="applicant.email"
                label="label.applicant.email"
                get=|r| r.applicant.email.clone().unwrap_or_default()
                set=|r, v| r.applicant.email = (!v.is_empty()).then_some(v)
                kind="email"
                autocomplete="email"
            />
        </section>
    }
}
