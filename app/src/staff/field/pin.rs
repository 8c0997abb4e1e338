//! The PIN: set once at the first sign-in on the device (4 to 8 digits, typed twice), then typed
//! to open the workspace. The fifth wrong PIN in a row erases the device's field data; before that
//! last try the worker is told how many unsent applications it would take with it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::i18n::t;

use crate::i18n::{tr, use_lang};
use crate::staff::field::vault::{self, VaultError};
use crate::staff::field::{use_field, Phase};

/// Shortest and longest PIN.
const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// Whether `pin` is 4 to 8 digits.
pub fn is_valid_pin(pin: &str) -> bool {
    PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// A PIN input.
#[component]
fn PinInput(id: &'static str, label: &'static str, value: RwSignal<String>, #[prop(optional)] hint: Option<&'static str>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{tr(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{tr(h)}</p> })}
            <input class="input input--pin" id=id type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                aria-describedby=hint.map(|_| format!("{id}-hint"))
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// `#field-pin-form`: the PIN typed twice.
#[component]
pub fn SetPin() -> impl IntoView {
    let field = use_field();
    let lang = use_lang();
    let (pin, again) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let (p, a) = (pin.get_untracked(), again.get_untracked());
        let problem = if !is_valid_pin(&p) {
            Some("field.pin.invalid")
        } else if p != a {
            Some("field.pin.mismatch")
        } else {
            None
        };
        if problem.is_some() {
            error.set(problem);
            crate::dom::focus("field-pin-error");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match vault::set_pin(&p).await {
                Ok(()) => field.opened(),
                Err(_) => {
                    error.set(Some("field.storage"));
                    crate::dom::focus("field-pin-error");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" id="field-pin-form" on:submit=submit novalidate>
            <h1 class="title" id="field-title">{tr("field.pin.heading")}</h1>
            <p class="error-message" id="field-pin-error" tabindex="-1" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|key| t(lang.get(), key))}
            </p>
            <PinInput id="field-pin" label="field.pin.label" value=pin hint="field.pin.hint" />
            <PinInput id="field-pin-again" label="field.pin.again" value=again />
            <button type="submit" class="button" id="field-pin-submit" disabled=move || busy.get()>{tr("field.pin.submit")}</button>
        </form>
    }
}

/// `#field-unlock`: the PIN, with the tries left and, before the last, what a wipe would lose.
#[component]
pub fn Unlock() -> impl IntoView {
    let field = use_field();
    let lang = use_lang();
    let pin = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let warning: RwSignal<Option<usize>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let warn_if_last = move || {
        spawn_local(async move {
            if vault::wrong_pins().await + 1 >= vault::MAX_WRONG_PINS {
                warning.set(Some(vault::unsent_count().await));
            }
        });
    };
    warn_if_last();
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let lang = lang.get_untracked();
            match vault::unlock(&typed).await {
                Ok(()) => {
                    pin.set(String::new());
                    field.opened();
                }
                Err(VaultError::WrongPin { left }) => {
                    pin.set(String::new());
                    error.set(Some(t(lang, "field.unlock.wrong").replace("{left}", &left.to_string())));
                    warn_if_last();
                    crate::dom::focus("field-unlock-error");
                }
                Err(VaultError::Wiped) => {
                    field.items.set(Vec::new());
                    field.editing.set(None);
                    field.phase.set(Phase::Wiped);
                    // The session was kept with the data: whoever holds the device signs in again.
                    if field.session.current.get_untracked().is_some() {
                        field.session.end();
                    }
                }
                Err(_) => error.set(Some(t(lang, "field.storage").to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" id="field-unlock" on:submit=submit novalidate>
            <h1 class="title" id="field-title">{tr("field.unlock.heading")}</h1>
            <p class="error-message" id="field-unlock-error" tabindex="-1" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            {move || warning.get().map(|count| view! {
                <div class="notice notice--error" id="field-wipe-warning" role="alert">
                    <p>{move || t(lang.get(), "field.unlock.last").replace("{count}", &count.to_string())}</p>
                </div>
            })}
            <PinInput id="field-unlock-pin" label="field.pin.label" value=pin hint="field.unlock.hint" />
            <button type="submit" class="button" id="field-unlock-submit" disabled=move || busy.get()>{tr("field.unlock.submit")}</button>
        </form>
    }
}

/// Said after a wipe, above the login.
#[component]
pub fn Wiped() -> impl IntoView {
    view! { <p class="notice notice--error" role="alert" id="field-wiped">{tr("field.unlock.wiped")}</p> }
}

#[cfg(test)]
mod tests {
    use super::is_valid_pin;

    #[test]
    fn a_pin_is_four_to_eight_digits() {
        for (pin, valid) in [("1234", true), ("12345678", true), ("123", false), ("123456789", false), ("12a4", false), ("١٢٣٤", false), ("", false)] {
            assert_eq!(is_valid_pin(pin), valid, "{pin:?}");
        }
    }
}
