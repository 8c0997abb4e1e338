//! The pure domain of Telnuska, compiled into both the browser app and the server so that
//! both validate an application identically.
//!
//! - [`iin`], [`phone`], [`person_name`], [`email`], [`document`]: raw strings parsed once into
//!   domain types.
//! - [`application_number`]: the application's number (`TN-2026-000123`), read as people type it.
//! - [`application`]: the cross-field rules of an application, returning every error at once.
//! - [`reference`](mod@reference): services, regions, institutions and other catalogues, as data.
//! - [`calendar`]: working days, registration day and due dates (Asia/Almaty).
//! - [`deadlines`]: every deadline derived from the due date (review, send to ЦОН, hearing,
//!   objection, storage, recall).
//! - [`i18n`]: messages in Kazakh, Russian and English for every code.
//! - [`workflow`]: the state machine of an application: states, actions, roles, time guards.
//! - [`api`]: the wire types of the HTTP contract (`docs/API.md`).
//!
//! Nothing here does I/O, reads a clock or keeps anything that changes: the caller passes "today"
//! and the reference data in force in [`application::ValidationContext`] and instants to
//! [`calendar::Calendar`], so the browser (wasm32) and the server (native) give identical answers;
//! `tests/vectors/*.json` proves it by running the same cases on both.
//!
//! ```
//! use telnuska_shared::{iin::Iin, phone::Phone};
//!
//! assert_eq!(Phone::parse("8 (701) 123-45-67").unwrap().as_ref(), "+77011234567");
//! assert_eq!(Iin::parse("850315100017").map_err(|e| e.to_string()), Err("the check digit does not match".into()));
//! ```
#![doc = include_str!(concat!(env!("OUT_DIR"), "/error_codes.md"))]
#![warn(missing_docs)]

pub mod api;
pub mod application;
pub mod application_number;
pub mod branch;
pub mod calendar;
pub mod checklist;
pub mod deadlines;
pub mod device_time;
pub mod document;
pub mod email;
pub mod error;
pub mod graduate_register;
pub mod handover;
pub mod i18n;
pub mod iin;
pub mod lang;
pub mod letter_case;
pub mod oversight;
pub mod pages;
pub mod person_name;
pub mod phone;
pub mod plural;
pub mod reference;
pub mod sms_text;
pub mod wire_time;
pub mod workflow;

pub use error::{FieldError, FieldErrors};
