//! The workspace: the screen the path names among the role's [`SECTIONS`], else the role's home
//! (its sections as links).

use leptos::prelude::*;
use telnuska_shared::api::Role;
use telnuska_shared::i18n::t;

use crate::i18n::{tr, use_lang};
use crate::staff::router::{link, use_path};
use crate::staff::session::use_session;

/// A screen of the workspace.
pub struct Section {
    /// Its path (`/staff/queue`); deeper paths (`/staff/queue/<id>`) belong to it too.
    pub path: &'static str,
    /// Catalogue key of its name.
    pub title: &'static str,
    /// Who may open it.
    pub roles: &'static [Role],
    /// The screen.
    pub view: fn() -> AnyView,
}

/// Every screen of the staff bundle, in the order the home lists them.
pub const SECTIONS: &[Section] = &[
    crate::staff::provider::SECTION,
    Section {
        path: crate::staff::desk::intake::PATH,
        title: "staff.desk.intake.title",
        roles: &[Role::Operator],
        view: || view! { <crate::staff::desk::intake::IntakeScreen /> }.into_any(),
    },
    Section {
        path: crate::staff::desk::dispatch::PATH,
        title: "staff.desk.dispatch.title",
        roles: &[Role::Operator],
        view: || view! { <crate::staff::desk::dispatch::DispatchScreen /> }.into_any(),
    },
    crate::staff::desk::RECEIVE,
    crate::staff::desk::SHELF,
    Section { path: crate::staff::field::PATH, title: "field.title", roles: &[Role::Field], view: crate::staff::field::section },
    Section { path: "/staff/oversight", title: "staff.section.oversight", roles: crate::staff::oversight::ROLES, view: crate::staff::oversight::screen },
    Section { path: "/staff/admin/staff", title: "staff.section.admin_staff", roles: crate::staff::admin::ROLES, view: crate::staff::admin::staff_screen },
    Section {
        path: "/staff/admin/calendar",
        title: "staff.section.admin_calendar",
        roles: crate::staff::admin::ROLES,
        view: crate::staff::admin::calendar_screen,
    },
];

/// The sections `role` may open.
pub fn sections_for(role: Role) -> impl Iterator<Item = &'static Section> {
    SECTIONS.iter().filter(move |s| s.roles.contains(&role))
}

/// The section a path belongs to.
pub fn section_at(path: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| path == s.path || path.strip_prefix(s.path).is_some_and(|rest| rest.starts_with('/')))
}

/// The screen of the current path, or the home.
#[component]
pub fn Workspace() -> impl IntoView {
    let session = use_session();
    let path = use_path();
    let role = move || session.current.with(|s| s.as_ref().map(|s| s.role));
    move || {
        let role = role()?;
        let opened = path.with(|p| section_at(p)).filter(|s| s.roles.contains(&role));
        Some(match opened {
            Some(section) => (section.view)(),
            None => view! { <Home role=role /> }.into_any(),
        })
    }
}

/// The role's sections as links.
#[component]
fn Home(role: Role) -> impl IntoView {
    let lang = use_lang();
    let links = sections_for(role)
        .map(|s| {
            view! {
                <li>
                    <a href=s.path on:click=link(s.path)>
                        {move || t(lang.get(), s.title)}
                    </a>
                </li>
            }
        })
        .collect_view();
    let none = sections_for(role).next().is_none();
    view! {
        <h1 id="staff-home-title">{tr("staff.home.heading")}</h1>
        <p class="staff-role">{move || t(lang.get(), &format!("staff.role.{}", role.code()))}</p>
        {none.then(|| view! { <p>{tr("staff.home.none")}</p> })}
        <ul class="staff-sections">{links}</ul>
    }
}
