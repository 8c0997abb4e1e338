//! Keystroke-to-message latency and layout shift of the citizen's form on a slow phone: headless
//! Chromium with its CPU slowed 4× (the CDP command `Emulation.setCPUThrottlingRate`, rate 4, as
//! DevTools' "4× slowdown"), no network throttling (the server is local).
//!
//! - **Latency**, INP-style: a field already left once (so its errors show) holds a valid value;
//!   one keystroke makes it wrong (its message appears), the next makes it right again (the
//!   message goes). The time runs from the key event's own `timeStamp` (a capturing `keydown`
//!   listener) to the first paint that shows the change: a `MutationObserver` sees the message's
//!   element appear or go, then `requestAnimationFrame` (the frame that draws it) and a
//!   `setTimeout(0)` in it (run once that frame is painted) read `performance.now()`. A debounced
//!   or deferred validation is counted in full, unlike Event Timing's durations, which end at the
//!   first paint after the handlers, whatever it shows. Those are collected too
//!   (`PerformanceObserver` for `event` entries, `durationThreshold` 16, the smallest allowed) over
//!   the whole session, keyboard and pointer interactions apart, as INP counts them.
//! - **Fields**: the IIN and the phone (step 2), the diploma's blank number and the year of
//!   graduation (step 3: the form's only date a citizen types); the IIN and the phone lose their
//!   last digit, the year too, the number gains a `*`.
//! - **Layout shift**: a `PerformanceObserver` for `layout-shift` entries from the navigation on
//!   (`buffered`), over a scripted session: the first screen giving way to the app, "continue" on
//!   each step with its required inputs empty (the error summary and every inline error appear),
//!   wrong values typed and corrected, the keystrokes above. CLS is the sum of the values of the
//!   shifts without recent input (`hadRecentInput` false: not within 500 ms of a keystroke or a
//!   click); the sum of all shifts is printed beside it, with the largest shifts' elements, since
//!   a shift the person caused themselves is excluded from CLS but still moves what they read.
//!
//! Setting `TELNUSKA_BENCH_ONLY=interaction` runs only this part of the load benchmark.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use telnuska_tests::browser::Browser;
use telnuska_tests::TestApp;

use crate::spread;

/// DevTools' "4× slowdown" of the CPU.
const CPU_SLOWDOWN: f64 = 4.0;
/// Scripted sessions, each in a fresh profile.
const SESSIONS: usize = 3;
/// Keystroke pairs (wrong, then right again) per field and session.
const PAIRS: usize = 3;
/// Longest wait for one keystroke's message (a busy machine), before the run is given up.
const MESSAGE_LIMIT: Duration = Duration::from_secs(20);
/// The goals of issue 21: a message within 50 ms of the keystroke, CLS at most 0.1.
const LATENCY_GOAL_MS: f64 = 50.0;
const CLS_GOAL: f64 = 0.1;

/// WebDriver's keys: Backspace and End.
const BACKSPACE: &str = "\u{E003}";
const END: &str = "\u{E010}";

/// Injected into every new document: the layout shifts and Event Timing entries from the
/// navigation on, and the keystroke probe ([`keystroke`] arms it before each key).
const PROBE: &str = r##"(() => {
  const probe = { shifts: [], interactions: {}, armed: null, result: null };
  window.__telnuskaInteraction = probe;
  const describe = (node) => {
    if (!node || !node.tagName) return "(gone)";
    const cls = typeof node.className === "string" && node.className ? "." + node.className.trim().split(/\s+/).join(".") : "";
    return node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") + cls;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      probe.shifts.push({
        value: e.value,
        recent: e.hadRecentInput,
        at: e.startTime,
        page: location.pathname,
        sources: (e.sources || []).map((s) => describe(s.node) + " " + Math.round(s.previousRect.y) + "→" + Math.round(s.currentRect.y)),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
  const keyboard = ["keydown", "keyup", "keypress"];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.interactionId) continue;
      const kind = keyboard.includes(e.name) ? "keyboard" : "pointer";
      const known = probe.interactions[e.interactionId];
      if (!known || known.duration < e.duration) probe.interactions[e.interactionId] = { kind, duration: e.duration };
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: true });
  document.addEventListener("keydown", (e) => {
    const armed = probe.armed;
    if (armed && armed.start === null) armed.start = e.timeStamp;
  }, true);
  const check = () => {
    const armed = probe.armed;
    if (!armed || armed.start === null || armed.seen) return;
    const message = document.getElementById(armed.id + "-error");
    const shown = message !== null && message.textContent.trim() !== "";
    if (shown !== armed.wantMessage) return;
    armed.seen = true;
    requestAnimationFrame(() => setTimeout(() => { probe.result = performance.now() - armed.start; }, 0));
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  probe.arm = (id, wantMessage) => { probe.result = null; probe.armed = { id, wantMessage, start: null, seen: false }; };
})();"##;

/// One measured keystroke.
struct Keystroke {
    field: &'static str,
    ms: f64,
}

/// What one scripted session measured.
pub struct Session {
    keystrokes: Vec<Keystroke>,
    /// Sum of the shifts without recent input.
    cls: f64,
    /// Sum of every shift, with those right after an input.
    all_shifts: f64,
    /// Every shift: value, whether right after an input, what moved.
    shifts: Vec<(f64, bool, String)>,
    /// Longest Event Timing duration of a keyboard interaction (0 if none reached 16 ms).
    worst_keyboard_ms: f64,
    /// Longest of a pointer interaction.
    worst_pointer_ms: f64,
}

/// A field measured: its input's id, what it holds, and the keystroke that makes it wrong and the
/// one that makes it right again.
struct Measured {
    name: &'static str,
    id: &'static str,
    value: &'static str,
    wrong: &'static str,
    right: &'static str,
}

const IIN: Measured = Measured { name: "IIN", id: "f-applicant-iin", value: "010101599904", wrong: BACKSPACE, right: "4" };
const PHONE: Measured = Measured { name: "phone", id: "f-applicant-phone", value: "8 701 123 45 67", wrong: BACKSPACE, right: "7" };
const NUMBER: Measured = Measured { name: "diploma number", id: "f-documents-0-number", value: "0012345", wrong: "*", right: BACKSPACE };
const YEAR: Measured = Measured { name: "graduation year", id: "f-documents-0-graduation_year", value: "2015", wrong: BACKSPACE, right: "5" };
const FIELDS: [&Measured; 4] = [&IIN, &PHONE, &NUMBER, &YEAR];

/// Runs [`SESSIONS`] scripted sessions against the app.
pub async fn measure(app: &TestApp) -> Vec<Session> {
    let mut sessions = Vec::new();
    for run in 1..=SESSIONS {
        let session = session(app).await;
        let (median, _, worst) = spread(session.keystrokes.iter().map(|k| k.ms));
        eprintln!(
            "  interaction session {run}: keystroke median {median:.1} ms, worst {worst:.1} ms; CLS {:.4} (all shifts {:.4})",
            session.cls, session.all_shifts
        );
        sessions.push(session);
    }
    sessions
}

/// "Continue" on a step with its required inputs empty: the summary and the inline errors appear.
async fn continue_empty(b: &Browser) {
    b.click("#step-next").await;
    b.wait_for("#error-summary").await;
}

/// "Continue" once the step is right: waits for an element of the next one.
async fn continue_to(b: &Browser, then: &str) {
    b.click("#step-next").await;
    b.wait_for(then).await;
}

/// Types `value` into the input `id` and leaves it, then waits until it shows no error.
async fn fill(b: &Browser, id: &str, value: &str) {
    b.type_into(&format!("#{id}"), value).await;
    b.eventually(&format!("#{id} is accepted"), || async { !b.exists(&format!("#{id}-error")).await }).await;
}

/// One key pressed in the focused input; the page's own time from the key to the painted change.
async fn keystroke(b: &Browser, field: &Measured, key: &str, want_message: bool) -> f64 {
    b.client
        .execute("window.__telnuskaInteraction.arm(arguments[0], arguments[1]); return true", vec![json!(field.id), json!(want_message)])
        .await
        .expect("arm");
    b.wait_for(&format!("#{}", field.id)).await.send_keys(key).await.expect("press a key");
    let started = Instant::now();
    loop {
        if let Some(ms) = b.script("return window.__telnuskaInteraction.result").await.as_f64() {
            return ms;
        }
        let what = if want_message { "appear" } else { "go" };
        assert!(started.elapsed() < MESSAGE_LIMIT, "the message of #{} did not {what} within {MESSAGE_LIMIT:?}", field.id);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// [`PAIRS`] wrong-then-right keystrokes in `field` (filled and left before).
async fn keystrokes(b: &Browser, field: &'static Measured, into: &mut Vec<Keystroke>) {
    let input = b.wait_for(&format!("#{}", field.id)).await;
    input.click().await.expect("focus the input");
    input.send_keys(END).await.expect("caret to the end");
    for _ in 0..PAIRS {
        for (key, want_message) in [(field.wrong, true), (field.right, false)] {
            let ms = keystroke(b, field, key, want_message).await;
            into.push(Keystroke { field: field.name, ms });
        }
    }
    assert_eq!(b.value(&format!("#{}", field.id)).await, field.value, "the keystrokes left #{} as it was", field.id);
}

/// The scripted session: the first step, the applicant and the diploma, with every kind of error
/// shown and cleared; the keystrokes measured on the way.
async fn session(app: &TestApp) -> Session {
    let b = Browser::start().await;
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": CPU_SLOWDOWN })).await;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": PROBE })).await;
    b.open(&app.url("/")).await;
    let mut measured = Vec::new();

    continue_empty(&b).await;
    b.click("#f-service-higher_duplicate").await;
    b.eventually("the choice clears the summary", || async { !b.exists("#error-summary").await }).await;
    continue_to(&b, "#f-relationship-self").await;

    b.click("#f-relationship-self").await;
    continue_empty(&b).await;
    b.type_into("#f-applicant-iin", "010101599905").await;
    b.wait_for("#f-applicant-iin-error").await;
    b.wait_for("#f-applicant-iin").await.clear().await.expect("clear the IIN");
    fill(&b, IIN.id, IIN.value).await;
    fill(&b, "f-applicant-last_name", "Сейітқали").await;
    fill(&b, "f-applicant-first_name", "Әсел").await;
    fill(&b, PHONE.id, PHONE.value).await;
    keystrokes(&b, &IIN, &mut measured).await;
    keystrokes(&b, &PHONE, &mut measured).await;
    continue_to(&b, "#f-document_kind-diploma").await;

    b.click("#f-document_kind-diploma").await;
    continue_empty(&b).await;
    b.select("#f-documents-0-region", "almaty_city").await;
    b.select("#f-documents-0-institution", "kaznmu").await;
    b.select("#f-documents-0-degree", "bachelor").await;
    fill(&b, "f-documents-0-specialty", "Жалпы медицина").await;
    fill(&b, "f-documents-0-series", "BD").await;
    fill(&b, NUMBER.id, NUMBER.value).await;
    fill(&b, "f-documents-0-registration_number", "1234").await;
    b.type_into(&format!("#{}", YEAR.id), "1915").await;
    b.wait_for(&format!("#{}-error", YEAR.id)).await;
    b.wait_for(&format!("#{}", YEAR.id)).await.clear().await.expect("clear the year");
    fill(&b, YEAR.id, YEAR.value).await;
    keystrokes(&b, &NUMBER, &mut measured).await;
    keystrokes(&b, &YEAR, &mut measured).await;
    continue_to(&b, "#f-reason-loss").await;

    // Observer callbacks run after their frame: one more frame, then the entries.
    let seen = b
        .client
        .execute_async("requestAnimationFrame(() => setTimeout(() => arguments[0](window.__telnuskaInteraction), 50))", vec![])
        .await
        .expect("read the entries");
    b.close().await;
    let shifts = seen["shifts"].as_array().cloned().unwrap_or_default();
    let value = |s: &Value| s["value"].as_f64().unwrap_or(0.0);
    let recent = |s: &Value| s["recent"].as_bool().unwrap_or(false);
    let interactions: Vec<Value> = seen["interactions"].as_object().map(|o| o.values().cloned().collect()).unwrap_or_default();
    let worst = |kind: &str| interactions.iter().filter(|i| i["kind"] == kind).filter_map(|i| i["duration"].as_f64()).fold(0.0, f64::max);
    Session {
        keystrokes: measured,
        // Folded from +0.0: `sum` of no shifts is -0.0, printed as such.
        cls: shifts.iter().filter(|s| !recent(s)).map(value).fold(0.0, |sum, v| sum + v),
        all_shifts: shifts.iter().map(value).fold(0.0, |sum, v| sum + v),
        shifts: shifts
            .iter()
            .map(|s| {
                let sources = s["sources"].as_array().map(|l| l.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                (value(s), recent(s), format!("{sources} (at {:.0} ms, {})", s["at"].as_f64().unwrap_or(0.0), s["page"].as_str().unwrap_or("")))
            })
            .collect(),
        worst_keyboard_ms: worst("keyboard"),
        worst_pointer_ms: worst("pointer"),
    }
}

/// Prints the figures of every session.
pub fn report(sessions: &[Session]) {
    let keystrokes: Vec<&Keystroke> = sessions.iter().flat_map(|s| &s.keystrokes).collect();
    println!(
        "keystroke to validation message, headless Chromium, CPU slowed {CPU_SLOWDOWN}× (Emulation.setCPUThrottlingRate), no network throttling; {SESSIONS} sessions, {PAIRS} keystroke pairs per field (the message appears, then goes), key event to the painted change:"
    );
    println!("  {:<30} {:>12} {:>12} {:>12}", "", "keystrokes", "median", "worst");
    for field in FIELDS {
        let (median, _, worst) = spread(keystrokes.iter().filter(|k| k.field == field.name).map(|k| k.ms));
        let count = keystrokes.iter().filter(|k| k.field == field.name).count();
        println!("  {:<30} {:>12} {:>9.1} ms {:>9.1} ms", field.name, count, median, worst);
    }
    let (median, _, worst) = spread(keystrokes.iter().map(|k| k.ms));
    println!("  {:<30} {:>12} {:>9.1} ms {:>9.1} ms   (goal ≤ {LATENCY_GOAL_MS:.0} ms)", "all fields", keystrokes.len(), median, worst);
    let worst_of = |of: fn(&Session) -> f64| sessions.iter().map(of).fold(0.0, f64::max);
    println!(
        "  Event Timing over the whole sessions (every key typed, every click; entries from 16 ms): longest keyboard interaction {:.0} ms, longest click {:.0} ms",
        worst_of(|s| s.worst_keyboard_ms),
        worst_of(|s| s.worst_pointer_ms)
    );
    let (cls, _, cls_worst) = spread(sessions.iter().map(|s| s.cls));
    let (all, _, all_worst) = spread(sessions.iter().map(|s| s.all_shifts));
    println!("layout shift over each session (load, \"continue\" with empty inputs on three steps, wrong values typed and corrected, the keystrokes above):");
    println!("  {:<44} median {cls:.4}, worst {cls_worst:.4}   (goal ≤ {CLS_GOAL})", "CLS (shifts without recent input)");
    println!("  {:<44} median {all:.4}, worst {all_worst:.4}", "all shifts, those right after an input too");
    for (after_input, what) in [(false, "without input"), (true, "after an input")] {
        let mut largest: Vec<&(f64, bool, String)> = sessions.iter().flat_map(|s| &s.shifts).filter(|s| s.1 == after_input).collect();
        largest.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (value, _, sources) in largest.into_iter().take(2) {
            println!("  a largest shift {what}: {value:.4}: {sources}");
        }
    }
}
