//! Step 1: which service, from the service catalogue (those offered through the form's channel).

use leptos::prelude::*;
use telnuska_shared::api::{Channel, ServiceCode};
use telnuska_shared::i18n::{t_count, Lang};
use telnuska_shared::reference::{compiled, CodedName};

use crate::components::radio_group::RadioGroup;
use crate::fields::set_service;

/// The term of a service, under its name.
fn term(lang: Lang, code: &str) -> String {
    let days = ServiceCode::from_code(code).map_or(0, |c| compiled().service(c).term_working_days);
    t_count(lang, "hint.service.term", u64::from(days))
}

/// The services offered through `channel`, as the step lists them.
pub fn offered(channel: Channel) -> Vec<CodedName> {
    compiled().services.iter().filter(|s| s.channels.contains(&channel)).map(|s| CodedName { code: s.code.code().into(), name: s.name.clone() }).collect()
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
            set=|r, v, lists| {
                if let Some(code) = ServiceCode::from_code(&v) {
                    set_service(r, code, lists);
                }
            }
            hint=term
        />
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::form::Draft;
    use crate::reference_cache::ReferenceLists;
    use crate::state::{FormSetup, FormState, SubmitStatus};

    /// A form of `channel` as a staff page mounts it: its own setup, nothing kept, nothing sent.
    fn form_through(channel: Channel) -> FormState {
        let draft = Draft { id: "d1".into(), idempotency_key: Some("k1".into()), ..Draft::new() };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        FormState::new(draft, today, ReferenceLists::new(), SubmitStatus::Idle, FormSetup { channel, keep: None, send: None, keep_file: None })
    }

    #[test]
    fn the_form_steps_take_the_channel_they_are_mounted_with() {
        for channel in [Channel::Portal, Channel::Con, Channel::Field, Channel::Kiosk] {
            let form = form_through(channel);
            assert_eq!(form.setup.channel, channel);
            assert_eq!(form.request.get_untracked().channel, channel, "the application goes through {channel:?}");
            assert_eq!(form.unsigned().channel, channel);
            // A correction is asked for on the portal only (the service catalogue); a duplicate anywhere.
            let listed: Vec<String> = offered(channel).into_iter().map(|s| s.code).collect();
            assert!(listed.iter().any(|code| code == "higher_duplicate"), "{channel:?}: {listed:?}");
            assert_eq!(listed.iter().any(|code| code == "correction"), channel == Channel::Portal, "{channel:?}: {listed:?}");
        }
    }
}
