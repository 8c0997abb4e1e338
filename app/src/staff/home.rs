//! The workspace: the screen the path names among the role's [`SECTIONS`], else the role's home
//! (its sections as links). Every staff page lists every section, so the home is the same
//! everywhere; a page holds the screens of only some of them (see [`super::StaffPage`]), and a
//! link to another page's screen loads that page.

use leptos::prelude::*;
use telnuska_shared::api::Role;
use telnuska_shared::i18n::t;

use crate::i18n::{tr, use_lang};
use crate::staff::router::{link, use_path};
use crate::staff::section::Section;
use crate::staff::session::use_session;
use crate::staff::use_staff_page;

/// Every section of the staff workspace, in the order the home lists them.
pub const SECTIONS: &[Section] = &[
    crate::staff::provider::QUEUE,
    crate::staff::desk::OFFICE_INTAKE,
    crate::staff::desk::INTAKE,
    crate::staff::desk::DISPATCH,
    crate::staff::desk::RECEIVE,
    crate::staff::desk::SHELF,
    crate::staff::field::SECTION,
    crate::staff::oversight::SECTION,
    crate::staff::admin::STAFF,
    crate::staff::admin::CALENDAR,
];

/// The sections `role` may open.
pub fn sections_for(role: Role) -> impl Iterator<Item = &'static Section> {
    SECTIONS.iter().filter(move |s| s.roles.contains(&role))
}

/// The screen of the current path, or the home.
#[component]
pub fn Workspace() -> impl IntoView {
    let session = use_session();
    let path = use_path();
    let screens = use_staff_page().screens;
    let role = move || session.current.with(|s| s.as_ref().map(|s| s.role));
    move || {
        let role = role()?;
        let opened = path.with(|p| screens.iter().find(|s| s.section.holds(p))).filter(|s| s.section.roles.contains(&role));
        Some(match opened {
            Some(screen) => (screen.view)(),
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
