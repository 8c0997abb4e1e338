//! Step 1: which service, from the service catalogue (those offered through the form's channel).

use leptos::prelude::*;
use telnuska_shared::api::{Channel, ServiceCode};
use telnuska_shared::i18n::{t_count, Lang};
use telnuska_shared::reference::{reference, CodedName};

use crate::components::radio_group::RadioGroup;
use crate::fields::set_service;

/// The term of a service, under its name.
fn term(lang: Lang, code: &str) -> String {
    let days = ServiceCode::from_code(code).map_or(0, |c| reference().service(c).term_working_days);
    t_count(lang, "hint.service.term", u64::from(days))
}

/// The services offered through `channel`, as the step lists them.
pub fn offered(channel: Channel) -> Vec<CodedName> {
    reference().services.iter().filter(|s| s.channels.contains(&channel)).map(|s| CodedName { code: s.code.code().into(), name: s.name.clone() }).collect()
}

/// `#f-service-<code>` radios of the services offered through the form's channel (its
/// [`crate::state::FormSetup`]); nothing is chosen until the person clicks one.
#[component]
pub fn ServiceStep() -> impl IntoView {
    let options = offered(crate::state::use_form().setup.channel);
    view! {
        <RadioGroup
            path="service"
            legend="label.service"
            options=options
            get=|f| {
                let chosen = f.touched.with(|t| t.iter().any(|p| p == "service"));
                if chosen { f.request.with(|r| r.service.code().to_string()) } else { String::new() }
            }
            set=|r, v| {
                if let Some(code) = ServiceCode::from_code(&v) {
                    set_service(r, code);
                }
            }
            hint=term
        />
    }
}
