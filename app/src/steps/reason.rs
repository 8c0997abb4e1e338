//! Step 4: the reason (those the service takes), its notices, and a file for every document
//! that the service, reason and relationship require (`required_attachments`).

use leptos::prelude::*;
use telnuska_shared::api::Reason;
use telnuska_shared::application::required_attachments;
use telnuska_shared::reference::reference;

use crate::components::field_notices::field_notices;
use crate::components::file_field::FileField;
use crate::components::radio_group::RadioGroup;
use crate::components::reactive;
use crate::fields::{cleaned, prune_attachments};
use crate::i18n::tr;
use crate::state::use_form;

/// Reason radios, then the required documents.
#[component]
pub fn ReasonStep() -> impl IntoView {
    let form = use_form();
    let service = reference().service(form.request.with_untracked(|r| r.service));
    let options = reference().reasons.iter().filter(|r| Reason::from_code(&r.code).is_some_and(|r| service.reasons.contains(&r))).cloned().collect::<Vec<_>>();
    let needed = Memo::new(move |_| form.request.with(|r| required_attachments(&cleaned(r))));
    let files = move || {
        let needed = needed.get();
        (!needed.is_empty()).then(|| {
            view! {
                <section class="section" aria-labelledby="attachments-title">
                    <h2 class="section__title" id="attachments-title">{tr("title.attachments")}</h2>
                    <p class="hint">{tr("hint.attachments")}</p>
                    {needed.into_iter().map(|kind| view! { <FileField kind=kind /> }).collect_view()}
                </section>
            }
            .into_any()
        })
    };
    view! {
        <RadioGroup
            path="reason"
            legend="label.reason"
            options=options
            get=|f| f.request.with(|r| r.reason.map(|x| x.code().to_string()).unwrap_or_default())
            set=|r, v| {
                r.reason = Reason::from_code(&v);
                prune_attachments(r);
            }
        />
        {field_notices("reason")}
        {reactive(files)}
    }
}
