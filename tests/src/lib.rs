//! Support for the end-to-end tests in `tests/tests/`: start the real server binary on a free
//! port with a fresh database (SQLite or PostgreSQL), talk to it over HTTP, drive Chromium.

pub mod browser;
pub mod fake_service;
pub mod fault_proxy;
pub mod pdf;
pub mod server;

pub use server::{Backend, TestApp};
