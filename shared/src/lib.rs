//! The pure domain of Telnuska, compiled into both the browser app and the server so that
//! both validate an application identically.
//!
//! - [`iin`], [`phone`], [`person_name`], [`email`], [`document`]: raw strings parsed once into
//!   domain types.
//! - [`application`]: the cross-field rules of an application, returning every error at once.
//! - [`reference`]: services, regions, institutions and other catalogues, as data.
//! - [`calendar`]: working days, registration day and due dates (Asia/Almaty).
//! - [`i18n`]: messages in Kazakh, Russian and English for every code.
//! - [`workflow`]: the state machine of an application: states, actions, roles, time guards.
//! - [`api`]: the wire types of the HTTP contract (`shared/API.md`).

pub mod api;
pub mod application;
pub mod calendar;
pub mod document;
pub mod email;
pub mod error;
pub mod i18n;
pub mod iin;
pub mod person_name;
pub mod phone;
pub mod reference;
pub mod workflow;

pub use error::{FieldError, FieldErrors};
