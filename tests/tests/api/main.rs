//! Black-box API tests: the real server binary on 127.0.0.1:0, each test on a fresh SQLite
//! database and again on a fresh PostgreSQL database.

mod admin;
mod applications;
mod attachments;
mod auth;
mod bad_input;
mod citizen_details;
mod command_line;
mod config;
mod desk;
mod desk_courier;
mod desk_intake;
mod desk_refusal;
mod desk_shelf;
mod durability;
mod faults;
mod field_handover;
mod graduates;
mod hardening;
mod identity;
mod jobs;
mod kiosks;
mod migrations;
mod monitoring;
mod office_intake;
mod openapi;
mod operations;
mod otp_binding;
mod oversight;
mod provider_console;
mod provider_evidence;
mod proxy;
mod queue;
mod receipts;
mod reference;
mod registers;
mod replays;
mod rules;
mod schema_check;
mod secrets_at_rest;
mod staff_accounts;
mod sync;
mod tracking;
mod workflow;

/// Runs each listed async test function once per backend, as `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(telnuska_tests::Backend::Sqlite).await })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(telnuska_tests::Backend::Postgres).await })+
        }
    };
}
