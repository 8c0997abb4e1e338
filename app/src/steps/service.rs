//! Step 1: which service, from the service catalogue (those offered on the portal).

use leptos::prelude::*;
use telnuska_shared::api::ServiceCode;
use telnuska_shared::i18n::{t_count, Lang};
use telnuska_shared::reference::{reference, CodedName};

use crate::components::radio_group::RadioGroup;
use crate::fields::set_service;

/// The term of a service, under its name.
fn term(lang: Lang, code: &str) -> String {
    let days = ServiceCode::from_code(code).map_or(0, |c| reference().service(c).term_working_days);
    t_count(lang, "hint.service.term", u64::from(days))
}

/// `#f-service-<code>` radios; nothing is chosen until the person clicks one.
#[component]
pub fn ServiceStep() -> impl IntoView {
    let channel = crate::state::use_form().setup.channel;
    let options: Vec<CodedName> =
        reference().services.iter().filter(|s| s.channels.contains(&channel)).map(|s| CodedName { code: s.code.code().into(), name: s.name.clone() }).collect();
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
