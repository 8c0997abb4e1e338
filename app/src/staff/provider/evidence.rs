//! The evidence beside one application: how each of its documents stands against the
//! institution's register of issued documents (the ground for a refusal on "unreliable data",
//! 003 annex 6 item 9) and whether each stage reached the state monitoring system (003 item 64).

use leptos::prelude::*;
use telnuska_shared::api::{MonitoringState, RegisterMatch, RegisterOutcome, StageMonitoring};
use telnuska_shared::i18n::{t, Lang};

use super::StaffApplication;
use crate::i18n::format_instant;
use crate::staff::oversight::register_upload::column_name;

/// One document's outcome for people: "Partly matches the register. Different: surname, IIN".
fn outcome_text(lang: Lang, m: &RegisterMatch) -> String {
    match m.outcome {
        RegisterOutcome::Matches => t(lang, "evidence.matches").to_string(),
        RegisterOutcome::PartlyMatches => {
            let fields: Vec<&str> = m.differing.iter().map(|f| column_name(lang, f.code())).collect();
            t(lang, "evidence.partly_matches").replace("{fields}", &fields.join(", "))
        }
        RegisterOutcome::NotInRegister => t(lang, "evidence.not_in_register").to_string(),
    }
}

/// Whether a stage was reported, in `lang`.
fn report_text(lang: Lang, stage: &StageMonitoring) -> String {
    match stage.state {
        MonitoringState::Reported => t(lang, "evidence.reported").replace("{when}", &stage.reported_at.map(|at| format_instant(lang, at)).unwrap_or_default()),
        MonitoringState::Waiting => t(lang, "evidence.waiting").to_string(),
        MonitoringState::Failed => t(lang, "evidence.failed").to_string(),
        MonitoringState::NotQueued => t(lang, "evidence.not_queued").to_string(),
    }
}

/// `#application-evidence`: the register match of each document and the monitoring reports.
#[component]
pub fn Evidence(app: StaffApplication, lang: Lang) -> impl IntoView {
    let register = match &app.register {
        None => view! { <p id="register-match">{t(lang, "evidence.no_register")}</p> }.into_any(),
        Some(evidence) => {
            let documents = evidence
                .documents
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    view! {
                        <dt>{t(lang, "evidence.document").replace("{n}", &(i + 1).to_string())}</dt>
                        <dd data-outcome=m.outcome.code()>{outcome_text(lang, m)}</dd>
                    }
                })
                .collect_view();
            view! {
                <p class="staff-muted">{t(lang, "evidence.imported").replace("{when}", &format_instant(lang, evidence.imported_at))}</p>
                <dl class="review__list" id="register-match">{documents}</dl>
            }
            .into_any()
        }
    };
    let stages = app
        .monitoring
        .iter()
        .map(|s| {
            view! {
                <tr data-report=s.state.code()>
                    <td>{format_instant(lang, s.at)}</td>
                    <td>{t(lang, &format!("stage.{}", s.status.code()))}</td>
                    <td>{report_text(lang, s)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="application-evidence-title" id="application-evidence">
            <h2 id="application-evidence-title">{t(lang, "evidence.heading")}</h2>
            <h3>{t(lang, "evidence.register")}</h3>
            {register}
            <h3 id="monitoring-title">{t(lang, "evidence.monitoring")}</h3>
            <div class="staff-table-wrap">
                <table class="staff-table" id="monitoring-reports" aria-labelledby="monitoring-title">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "staff.app.when")}</th>
                            <th scope="col">{t(lang, "evidence.stage")}</th>
                            <th scope="col">{t(lang, "evidence.report")}</th>
                        </tr>
                    </thead>
                    <tbody>{stages}</tbody>
                </table>
            </div>
        </section>
    }
}
