//! EMB-3: English or Simplified Chinese. The choice lives in the URL (`?lang=`), the same
//! parameter the workbench uses, so a reload or a shared link keeps it.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::location::Location;
use leptos_router::NavigateOptions;

use crate::i18n::*;
use crate::routes::{set_query_param, with_query};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let location = use_location();
    let on_change = move |ev| {
        navigate(
            &language_url(&location, &event_target_value(&ev)),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    let is = move |locale: Locale| move || i18n.get_locale() == locale;
    view! {
        <div class="language-switch">
            <label for="language-switch">{tr!(i18n, language)}</label>
            <select id="language-switch" on:change=on_change>
                // Each language is named in itself, so an agent can find their own.
                <option value="en" lang="en" prop:selected=is(Locale::en)>"English"</option>
                <option value="zh-CN" lang="zh-CN" prop:selected=is(Locale::zh_CN)>"简体中文"</option>
            </select>
        </div>
    }
}

/// The current page's URL with `?lang=` set to `tag`: how the language is switched, by the
/// agent or by the workbench (EMB-3).
pub fn language_url(location: &Location, tag: &str) -> String {
    let search = set_query_param(&location.search.get_untracked(), "lang", tag);
    with_query(&location.pathname.get_untracked(), &search)
}

/// Applies `?lang=` whenever it changes; without it the browser's language decides.
#[component]
pub fn LanguageFromQuery() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // An Effect, not a direct call: the i18n provider sets the browser's language in an effect
    // of its own, created earlier, which would otherwise undo this on the first tick.
    Effect::new(move |_| {
        let requested = location
            .query
            .read()
            .get_str("lang")
            .and_then(|lang| lang.parse::<Locale>().ok());
        if let Some(locale) = requested {
            i18n.set_locale(locale);
        }
    });
}
