//! A section of the staff workspace (its path, name and roles) and the screen a page shows for
//! it: what the workspaces declare, the home lists ([`super::home::SECTIONS`]) and each page holds
//! ([`super::StaffPage`]).

use leptos::prelude::*;
use telnuska_shared::api::Role;

/// A screen of the workspace, as the home lists it.
#[derive(Clone, Copy)]
pub struct Section {
    /// Its path (`/staff/queue`); deeper paths (`/staff/queue/<id>`) belong to it too.
    pub path: &'static str,
    /// Catalogue key of its name.
    pub title: &'static str,
    /// Who may open it.
    pub roles: &'static [Role],
}

/// A section with its screen, as one page holds it.
pub struct Screen {
    /// The section.
    pub section: Section,
    /// The screen.
    pub view: fn() -> AnyView,
}

impl Section {
    /// Whether `path` is this section's.
    pub fn holds(&self, path: &str) -> bool {
        path == self.path || path.strip_prefix(self.path).is_some_and(|rest| rest.starts_with('/'))
    }
}
