//! The head's figures as a table, one row per service.

use leptos::prelude::*;
use telnuska_shared::api::{OversightView, ServiceFigures};
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::compiled;

use crate::api::Method;
use crate::i18n::{tr, use_lang};
use crate::staff::session::use_session;

/// The service's name in `lang`.
fn service_name(lang: Lang, f: &ServiceFigures) -> String {
    let names = &compiled().service(f.service).name;
    match lang {
        Lang::Kk => names.kk.clone(),
        Lang::Ru => names.ru.clone(),
        Lang::En => names.en.clone(),
    }
}

/// "3 of 4 (75 %)", or a dash when nothing was delivered.
fn on_time_text(f: &ServiceFigures) -> String {
    match f.on_time_share {
        Some(share) => format!("{} / {} ({:.0} %)", f.delivered_on_time, f.delivered, share * 100.0),
        None => "—".to_string(),
    }
}

/// `#oversight`: the figures of each service on the day, loaded once the screen opens.
#[component]
pub fn HeadsView() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let figures: RwSignal<Option<Result<OversightView, ()>>> = RwSignal::new(None);
    wasm_bindgen_futures::spawn_local(async move {
        let answer = session.call::<OversightView>(Method::GET, "/api/oversight", None).await;
        figures.set(Some(answer.map_err(|_| ())));
    });
    let rows = move || {
        let lang = lang.get();
        figures.with(|f| match f {
            Some(Ok(view)) => view
                .services
                .iter()
                .map(|f| {
                    let median = f.median_working_days.map_or_else(|| "—".to_string(), |m| format!("{m:.1}"));
                    view! {
                        <tr>
                            <th scope="row">{service_name(lang, f)}</th>
                            <td>{f.open}</td>
                            <td>{f.at_risk}</td>
                            <td>{f.overdue}</td>
                            <td>{on_time_text(f)}</td>
                            <td>{median}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let as_of = move || figures.with(|f| f.as_ref().and_then(|f| f.as_ref().ok()).map(|v| v.as_of.format("%d.%m.%Y").to_string()).unwrap_or_default());
    let failed = move || matches!(figures.get(), Some(Err(())));
    view! {
        <section id="oversight" aria-labelledby="oversight-title">
            <h1 id="oversight-title">{tr("oversight.heading")}</h1>
            <p class="error-message" role="alert" hidden=move || !failed()>{tr("oversight.failed")}</p>
            <table class="staff-table" id="oversight-figures" aria-busy=move || figures.with(Option::is_none).to_string()>
                <caption>{move || t(lang.get(), "oversight.caption").replace("{date}", &as_of())}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr("oversight.col.service")}</th>
                        <th scope="col">{tr("oversight.col.open")}</th>
                        <th scope="col">{tr("oversight.col.at_risk")}</th>
                        <th scope="col">{tr("oversight.col.overdue")}</th>
                        <th scope="col">{tr("oversight.col.on_time")}</th>
                        <th scope="col">{tr("oversight.col.median")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
