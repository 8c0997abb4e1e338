//! The two confirmations of the portal form (000): accuracy and personal data.

use leptos::prelude::*;

use crate::components::checkbox_field::CheckboxField;
use crate::i18n::tr;

/// `consents.accuracy` and `consents.personal_data`.
#[component]
pub fn ConsentFields() -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="consents-title">
            <h2 class="section__title" id="consents-title">{tr("title.consents")}</h2>
            <CheckboxField
                path="consents.accuracy"
                label="label.consents.accuracy"
                get=|r| r.consents.accuracy
                set=|r, v| r.consents.accuracy = v
            />
            <CheckboxField
                path="consents.personal_data"
                label="label.consents.personal_data"
                get=|r| r.consents.personal_data
                set=|r, v| r.consents.personal_data = v
            />
        </section>
    }
}
