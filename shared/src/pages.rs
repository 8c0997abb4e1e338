//! The pages of the browser app and the paths each one boots at. Each page is a WebAssembly
//! download of its own, so a person loads only the screens of their role: the citizen's app, the
//! staff office (login, the provider's queue, oversight, administration), the ЦОН desk, the field
//! worker and the kiosk. The build (which page to write), the server (which page a path gets), the
//! service worker (which page to fall back on offline) and the app (whether a link stays in the
//! page or loads another) all read this one table.

/// One page: its file in `dist/` and the paths it is served at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Name of the build's output (`<entry>.js`, `<entry>_bg.wasm`), and of the app's binary.
    pub entry: &'static str,
    /// The HTML file in `dist/`.
    pub file: &'static str,
    /// It boots at this path and every path under it (`/staff/desk`, `/staff/desk/…`).
    pub prefix: &'static str,
}

/// The citizen's app: every path no other page claims.
pub const CITIZEN: Page = Page { entry: "app", file: "index.html", prefix: "/" };
/// The citizen's page at every address but `/` (a step of a draft, a tracking link): the same
/// page without `index.html`'s first screen, the service choice, which the app would replace
/// with what the address names.
pub const CITIZEN_ELSEWHERE: &str = "app.html";
/// The staff office: login and home for every role, the provider's screens, oversight, admin.
pub const STAFF: Page = Page { entry: "staff", file: "staff.html", prefix: "/staff" };
/// The ЦОН operator's desk.
pub const DESK: Page = Page { entry: "desk", file: "desk.html", prefix: "/staff/desk" };
/// The field worker's offline workspace.
pub const FIELD: Page = Page { entry: "field", file: "field.html", prefix: "/staff/field" };
/// The kiosk of a ЦОН hall.
pub const KIOSK: Page = Page { entry: "kiosk", file: "kiosk.html", prefix: "/kiosk" };

/// Every page, the most specific prefix first (the order [`page_at`] tries them in).
pub const PAGES: [Page; 5] = [DESK, FIELD, STAFF, KIOSK, CITIZEN];

impl Page {
    /// Whether `path` is this page's (its prefix, or a path under it).
    pub fn serves(&self, path: &str) -> bool {
        self.prefix == "/" || path == self.prefix || path.strip_prefix(self.prefix).is_some_and(|rest| rest.starts_with('/'))
    }
}

/// The page that boots at `path`.
pub fn page_at(path: &str) -> Page {
    PAGES.into_iter().find(|page| page.serves(path)).unwrap_or(CITIZEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_boots_the_page_of_its_screens() {
        for (path, page) in [
            ("/", CITIZEN),
            ("/track/TN-2026-000001", CITIZEN),
            ("/staffing", CITIZEN),
            ("/staff", STAFF),
            ("/staff/queue/abc", STAFF),
            ("/staff/oversight", STAFF),
            ("/staff/desk", DESK),
            ("/staff/desk/shelf/abc", DESK),
            ("/staff/deskwork", STAFF),
            ("/staff/field", FIELD),
            ("/staff/field/item", FIELD),
            ("/kiosk", KIOSK),
            ("/kiosk/", KIOSK),
        ] {
            assert_eq!(page_at(path), page, "{path}");
        }
    }

    #[test]
    fn every_page_boots_at_its_own_prefix_and_has_its_own_files() {
        for page in PAGES {
            assert_eq!(page_at(page.prefix), page, "{} is shadowed", page.prefix);
            assert_eq!(PAGES.iter().filter(|p| p.entry == page.entry || p.file == page.file).count(), 1, "{} once", page.entry);
        }
        // The citizen's page without its first screen is a file of its own, no other page's.
        assert!(PAGES.iter().all(|page| page.file != CITIZEN_ELSEWHERE));
    }
}
