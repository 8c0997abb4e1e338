//! The drafts on this device (store `drafts` of [`crate::database`], keyed by draft id);
//! [`space`] watches the room left for them and [`download`] gives the person a copy of a draft.

pub mod download;
pub mod space;

use crate::database::{self, from_js, to_js, DRAFTS};
use crate::form::Draft;
use space::Space;

/// Every stored draft this version can read, migrated to its shape (a draft of a newer shape
/// stays stored, untouched).
pub async fn load_drafts() -> Vec<Draft> {
    database::all(DRAFTS).await.iter().filter_map(from_js::<Draft>).filter_map(Draft::restored).collect()
}

/// One draft, migrated.
pub async fn load_draft(id: &str) -> Option<Draft> {
    from_js::<Draft>(&database::get(DRAFTS, id).await?)?.restored()
}

/// Stores the draft under its id. A failure (storage full, private mode) is reported to the
/// person ([`space::Space::written`]) and returned.
pub async fn save_draft(space: Space, draft: &Draft) -> Result<(), String> {
    let result = database::put(DRAFTS, &draft.id, to_js(draft)?).await;
    space.written(result.is_ok());
    result
}

/// Deletes a draft (the person asked to, or its application was accepted).
pub async fn delete_draft(id: &str) -> Result<(), String> {
    database::delete(DRAFTS, id).await
}
