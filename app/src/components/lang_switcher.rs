//! The kk / ru / en switcher; each language is named in itself.

use leptos::prelude::*;
use telnuska_shared::i18n::{t, Lang};

use crate::i18n::{switch_lang, tr, use_lang};

/// Three buttons (`lang-kk`, `lang-ru`, `lang-en`); the current one is `aria-pressed`.
#[component]
pub fn LangSwitcher() -> impl IntoView {
    let lang = use_lang();
    let buttons = Lang::ALL
        .into_iter()
        .map(|option| {
            let code = option.code();
            view! {
                <button
                    type="button"
                    class="lang-button"
                    id=format!("lang-{code}")
                    lang=code
                    aria-pressed=move || if lang.get() == option { "true" } else { "false" }
                    on:click=move |_| switch_lang(lang, option)
                >
                    {t(option, &format!("lang.{code}"))}
                </button>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switcher" aria-label=tr("label.language")>
            {buttons}
        </nav>
    }
}
