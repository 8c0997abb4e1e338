//! The institution's own steps on one application (004 section 4): a checklist whose lines are
//! recorded as events (who, when), the issue journal's line with the duplicate's own series and
//! number, and a print preview of the stamp the duplicate's blank carries, in the three
//! languages.

use leptos::prelude::*;
use serde_json::{json, Value};
use telnuska_shared::api::InternalStep;
use telnuska_shared::i18n::{t, Lang};

use super::{colleague_text, instant_text, StaffApplication, StepView};

/// The stamp on a duplicate's blank, "Түпнұсқа орнына берілген дубликат № ____" (004 section 3),
/// with the original's number, and the line naming the duplicate's own number, as printed in each
/// language. A legal formula on the blank, not a screen text: all three are shown whatever the
/// screen's language, so they do not come from the catalogue (which holds one language at a time).
const STAMPS: [(Lang, &str, &str); 3] = [
    (Lang::Kk, "Түпнұсқа орнына берілген дубликат № {number}", "Дубликат: {number}"),
    (Lang::Ru, "Дубликат, выданный взамен оригинала № {number}", "Дубликат: {number}"),
    (Lang::En, "Duplicate issued in place of original No. {number}", "Duplicate: {number}"),
];

/// The first year whose graduates' supplements the registrar prepares; the archive prepares
/// those of earlier graduates (004 section 4 step 6).
const REGISTRAR_FROM_YEAR: i32 = 2017;

/// The step's name in `lang`.
pub(super) fn step_name(lang: Lang, step: InternalStep) -> &'static str {
    t(
        lang,
        match step {
            InternalStep::DocumentationRegistered => "staff.step.documentation_registered",
            InternalStep::RectorDecision => "staff.step.rector_decision",
            InternalStep::DiplomaPrepared => "staff.step.diploma_prepared",
            InternalStep::SupplementPrepared => "staff.step.supplement_prepared",
            InternalStep::IssueJournal => "staff.step.issue_journal",
        },
    )
}

/// Who does the step and when (004 section 4), in `lang`; the supplement's maker by the year
/// of graduation.
fn step_hint(lang: Lang, step: InternalStep, graduation_year: Option<i32>) -> &'static str {
    t(
        lang,
        match step {
            InternalStep::DocumentationRegistered => "staff.step.documentation_registered.hint",
            InternalStep::RectorDecision => "staff.step.rector_decision.hint",
            InternalStep::DiplomaPrepared => "staff.step.diploma_prepared.hint",
            InternalStep::SupplementPrepared if graduation_year.is_some_and(|y| y < REGISTRAR_FROM_YEAR) => "staff.step.supplement_prepared.archive",
            InternalStep::SupplementPrepared => "staff.step.supplement_prepared.registrar",
            InternalStep::IssueJournal => "staff.step.issue_journal.hint",
        },
    )
}

/// `#application-steps`: each step with who recorded it and when, a button for those the
/// workflow allows now, the journal's form, and the stamp's print preview once it is written.
#[component]
pub fn Checklist(app: StaffApplication, lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    if app.internal_steps.is_empty() {
        return ().into_any();
    }
    let year = app.request.documents.first().and_then(|d| d.graduation_year);
    let lines = app.internal_steps.iter().map(|s| view! { <StepLine line=s.clone() year=year lang=lang act=act busy=busy /> }).collect_view();
    let journal = app.internal_steps.iter().find_map(|s| s.recorded.as_ref().filter(|_| s.step == InternalStep::IssueJournal).cloned());
    let original = app.request.documents.first().map(|d| format!("{} {}", d.series, d.number).trim().to_string()).unwrap_or_default();
    let preview = journal
        .and_then(|e| e.series.zip(e.number))
        .map(|(series, number)| view! { <StampPreview original=original duplicate=format!("{series} {number}") /> });
    view! {
        <section aria-labelledby="application-steps-title" id="application-steps">
            <h2 id="application-steps-title">{t(lang, "staff.steps.heading")}</h2>
            <ul class="staff-files">{lines}</ul>
            {preview}
        </section>
    }
    .into_any()
}

/// One line of the checklist.
#[component]
fn StepLine(line: StepView, year: Option<i32>, lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let code = line.step.code();
    let done = line.recorded.as_ref().map(|e| {
        let journal = e.series.clone().zip(e.number.clone()).map(|(s, n)| format!(" {s} {n}.")).unwrap_or_default();
        t(lang, "staff.steps.done").replace("{when}", &instant_text(lang, &e.at)).replace("{who}", &colleague_text(lang, e.by.as_ref(), e.by_role)) + &journal
    });
    let record = match (line.may_record, line.step) {
        (false, _) => ().into_any(),
        (true, InternalStep::IssueJournal) => view! { <JournalForm lang=lang act=act busy=busy /> }.into_any(),
        (true, step) => view! {
            <button type="button" class="button button--secondary" id=format!("step-{code}") disabled=move || busy.get()
                on:click=move |_| act(json!({"action": "record_step", "step": step.code()}))>
                {t(lang, "staff.steps.record")}<span class="visually-hidden">{format!(": {}", step_name(lang, step))}</span>
            </button>
        }
        .into_any(),
    };
    view! {
        <li data-step=code data-done=line.recorded.is_some().to_string()>
            <strong>{step_name(lang, line.step)}</strong>
            <br /><span class="staff-muted">{step_hint(lang, line.step, year)}</span>
            {done.map(|d| view! { <br /><span>{d}</span> })}
            <div>{record}</div>
        </li>
    }
}

/// The journal's line: the duplicate's own series and number.
#[component]
fn JournalForm(lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let series = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        act(json!({"action": "record_step", "step": "issue_journal", "series": series.get_untracked().trim(), "number": number.get_untracked().trim()}));
    };
    view! {
        <form class="staff-action" id="form-issue_journal" on:submit=submit novalidate>
            <div class="field">
                <label class="label" for="journal-series">{t(lang, "staff.journal.series")}</label>
                <input class="input" id="journal-series" spellcheck="false" autocomplete="off" prop:value=move || series.get() on:input=move |ev| series.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="label" for="journal-number">{t(lang, "staff.journal.number")}</label>
                <input class="input" id="journal-number" spellcheck="false" autocomplete="off" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button" id="step-issue_journal" disabled=move || busy.get()>{t(lang, "staff.journal.write")}</button>
        </form>
    }
}

/// `#stamp-preview`: the stamp "Duplicate issued in place of original No. …" (004 section 3) as
/// it is printed on the blank, in Kazakh, Russian and English whatever the screen's language,
/// with the duplicate's own series and number; printed with the browser.
#[component]
fn StampPreview(original: String, duplicate: String) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let stamps = STAMPS
        .into_iter()
        .map(|(l, stamp, own)| {
            view! {
                <p lang=l.code() data-lang=l.code()>
                    <strong>{stamp.replace("{number}", &original)}</strong>
                    <br />{own.replace("{number}", &duplicate)}
                </p>
            }
        })
        .collect_view();
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section aria-labelledby="stamp-preview-title" id="stamp-preview">
            <h3 id="stamp-preview-title">{move || t(lang.get(), "staff.stamp.heading")}</h3>
            {stamps}
            <button type="button" class="button button--secondary" id="stamp-print" on:click=print>{move || t(lang.get(), "staff.stamp.print")}</button>
        </section>
    }
}
