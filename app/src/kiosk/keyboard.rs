//! The on-screen keyboard of a kiosk: the Kazakh letters (ә ғ қ ң ө ұ ү һ і) above the Russian
//! layout, a Latin layout (e-mail) and digits (IIN, phone, SMS code). It types into the input
//! that last had the focus, as a physical keyboard would: the text goes in at the caret and the
//! input hears an `input` event, so the form reads it like anything typed. A key never takes the
//! focus (its `mousedown` is cancelled), and a physical keyboard keeps working beside it.

use leptos::prelude::*;
use telnuska_shared::i18n::t;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{text, tr, use_lang};

/// Which keys are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The Kazakh letters and the Russian layout.
    Cyrillic,
    /// Latin letters, for an e-mail address.
    Latin,
    /// Digits, for the IIN, the phone and the SMS code.
    Digits,
}

/// The rows of letter keys of each layout (lower case; shift gives upper case).
pub fn rows(layout: Layout) -> &'static [&'static str] {
    match layout {
        Layout::Cyrillic => &["әіңғүұқөһ", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбюё"],
        Layout::Latin => &["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm@._"],
        Layout::Digits => &["123", "456", "789", "+0-"],
    }
}

/// The layout an input wants: digits for numeric ones (`inputmode`, `type="tel"`), Latin for
/// an e-mail address, else the letters.
pub fn layout_for(kind: &str, inputmode: &str) -> Option<Layout> {
    match (kind, inputmode) {
        (_, "numeric" | "tel" | "decimal") | ("tel" | "number", _) => Some(Layout::Digits),
        ("email", _) | (_, "email") => Some(Layout::Latin),
        ("text" | "search" | "", _) => Some(Layout::Cyrillic),
        _ => None,
    }
}

/// The text input that last had the focus: what the keys type into.
#[derive(Clone, Copy)]
struct Target(StoredValue<Option<web_sys::HtmlInputElement>, LocalStorage>);

/// Puts `typed` in place of the selection of `input` (or deletes the character before the caret
/// when `typed` is empty and nothing is selected), then tells the input, as typing would.
fn type_into(input: &web_sys::HtmlInputElement, typed: &str) {
    let value: Vec<char> = input.value().chars().collect();
    // Inputs of some types have no selection (e-mail): they are typed at the end.
    let caret = |v: Result<Option<u32>, JsValue>| v.ok().flatten().map(|n| n as usize).unwrap_or(value.len()).min(value.len());
    let (mut start, end) = (caret(input.selection_start()), caret(input.selection_end()));
    if typed.is_empty() && start == end {
        start = start.saturating_sub(1);
    }
    let next: String = value[..start].iter().copied().chain(typed.chars()).chain(value[end..].iter().copied()).collect();
    input.set_value(&next);
    let at = (start + typed.chars().count()) as u32;
    let _ = input.set_selection_range(at, at);
    let init = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&init, &JsValue::from_str("bubbles"), &JsValue::TRUE);
    let event_class = js_sys::Reflect::get(&web_sys::window().map(JsValue::from).unwrap_or_default(), &JsValue::from_str("InputEvent"));
    if let Some(event) = event_class
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        .and_then(|c| js_sys::Reflect::construct(&c, &js_sys::Array::of2(&JsValue::from_str("input"), &init)).ok())
    {
        let _ = input.dispatch_event(event.unchecked_ref::<web_sys::Event>());
    }
}

/// A key that types `typed`, labelled by what it shows (or `label_key` from the catalogue).
fn key(target: Target, shown: String, typed: String, label_key: Option<&'static str>, class: &'static str) -> AnyView {
    let lang = use_lang();
    let label = move || label_key.map(|k| t(lang.get(), k));
    view! {
        <button
            type="button"
            class=class
            aria-label=label
            on:mousedown=|ev| ev.prevent_default()
            on:click=move |_| {
                if let Some(input) = target.0.get_value() {
                    let _ = input.focus();
                    type_into(&input, &typed);
                }
            }
        >
            {shown}
        </button>
    }
    .into_any()
}

/// The keyboard: a row of layouts, the letter rows, and shift, space and delete.
#[component]
pub fn Keyboard() -> impl IntoView {
    let lang = use_lang();
    let target = Target(StoredValue::new_local(None));
    let layout = RwSignal::new(Layout::Cyrillic);
    let shift = RwSignal::new(false);
    // Follows the focus: the last text input focused is the one typed into, in its layout.
    let focus = window_event_listener(leptos::ev::focusin, move |ev| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(wanted) = layout_for(&input.type_(), &input.get_attribute("inputmode").unwrap_or_default()) {
            layout.set(wanted);
            target.0.set_value(Some(input));
        }
    });
    on_cleanup(move || focus.remove());
    let layouts = [(Layout::Cyrillic, "АӘБ"), (Layout::Latin, "ABC"), (Layout::Digits, "123")]
        .into_iter()
        .map(|(option, shown)| {
            view! {
                <button
                    type="button"
                    class="key key--layout"
                    aria-pressed=move || if layout.get() == option { "true" } else { "false" }
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=move |_| layout.set(option)
                >
                    {shown}
                </button>
            }
        })
        .collect_view();
    let letters = move || {
        let upper = shift.get();
        rows(layout.get())
            .iter()
            .map(|row| {
                let keys = row
                    .chars()
                    .map(|c| {
                        let typed: String = if upper { telnuska_shared::letter_case::upper_char(c).to_string() } else { c.to_string() };
                        key(target, typed.clone(), typed, None, "key")
                    })
                    .collect_view();
                view! { <div class="keyboard__row">{keys}</div> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="keyboard" aria-label=tr("kiosk.keyboard")>
            <div class="keyboard__row">{layouts}</div>
            {text_rows(letters)}
            <div class="keyboard__row">
                <button
                    type="button"
                    class="key key--wide"
                    aria-pressed=move || if shift.get() { "true" } else { "false" }
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=move |_| shift.update(|s| *s = !*s)
                >
                    {text(move || format!("⇧ {}", t(lang.get(), "kiosk.key.shift")))}
                </button>
                {key(target, "␣".into(), " ".into(), Some("kiosk.key.space"), "key key--space")}
                {key(target, "⌫".into(), String::new(), Some("kiosk.key.delete"), "key key--wide")}
            </div>
        </section>
    }
}

/// The letter rows, redrawn when the layout or shift changes.
fn text_rows(rows: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    crate::components::reactive(move || Some(rows()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letters_hold_every_kazakh_letter_and_the_russian_layout() {
        let letters: String = rows(Layout::Cyrillic).concat();
        for c in "әғқңөұүһі".chars().chain("йцукенгшщзхъфывапролджэячсмитьбюё".chars()) {
            assert!(letters.contains(c), "{c}");
        }
        assert!(rows(Layout::Digits).concat().chars().filter(char::is_ascii_digit).count() == 10);
    }

    #[test]
    fn numeric_inputs_open_the_digits_and_e_mail_the_latin_letters() {
        assert_eq!(layout_for("text", "numeric"), Some(Layout::Digits));
        assert_eq!(layout_for("tel", ""), Some(Layout::Digits));
        assert_eq!(layout_for("email", ""), Some(Layout::Latin));
        assert_eq!(layout_for("text", ""), Some(Layout::Cyrillic));
        assert_eq!(layout_for("checkbox", ""), None);
    }
}
