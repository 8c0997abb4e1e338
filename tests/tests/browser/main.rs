//! Browser tests: the real server with the built app, driven in headless Chromium as a person
//! would use it on a phone.

mod accessibility;
mod addresses;
mod admin;
mod citizen_form;
mod desk;
mod desk_intake;
mod desk_refusal;
mod desk_shelf;
mod details;
mod drafts;
mod eds;
mod field;
mod field_handover;
mod first_screen;
mod flow;
mod install;
mod interaction;
mod kiosk;
mod offline;
mod outbox_faults;
mod oversight;
mod provider_console;
mod reference;
mod services;
mod signing;
mod staff;
mod texts;
mod track;
