//! Step 5: the two confirmations of the portal form (000): accuracy and personal data.

use leptos::prelude::*;

use crate::components::checkbox_field::CheckboxField;

/// `consents.accuracy` and `consents.personal_data`.
#[component]
pub fn ConsentsStep() -> impl IntoView {
    view! {
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
    }
}
