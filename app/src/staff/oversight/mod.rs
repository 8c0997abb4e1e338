//! The head's view and the provider's evidence: per service, what is open, at risk and overdue,
//! the share delivered on time and the median working days to a result (`GET /api/oversight`);
//! and, for the provider's staff, the upload of the register of issued documents that each
//! application is matched against (`POST /api/registers/graduates`), and the issue journal of
//! their duplicates (`GET /api/journal`).

mod figures;
mod journal;
pub(crate) mod register_upload;

use leptos::prelude::*;
use telnuska_shared::api::Role;

use crate::staff::section::Section;
use crate::staff::session::use_session;

/// Who opens the head's view: ЦОН staff and administrators (every application), the provider's
/// staff (their institutions).
pub const ROLES: &[Role] = &[Role::Operator, Role::Provider, Role::Admin];

/// The head's view at `/staff/oversight`.
pub const SECTION: Section = Section { path: "/staff/oversight", title: "staff.section.oversight", roles: ROLES };

/// The screen at `/staff/oversight`.
pub fn screen() -> AnyView {
    view! { <Oversight /> }.into_any()
}

/// The figures, and the register upload for the provider's staff.
#[component]
fn Oversight() -> impl IntoView {
    let session = use_session();
    let provider = move || session.current.with(|s| s.as_ref().is_some_and(|s| s.role == Role::Provider));
    view! {
        <figures::HeadsView />
        <Show when=provider>
            <register_upload::RegisterUpload />
            <journal::Journal />
        </Show>
    }
}
