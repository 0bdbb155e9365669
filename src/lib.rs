//! The Agent Personal Center app: Leptos, rendered in the browser.
//!
//! `api` is the only HTTP layer; `session` and `routes` hold app state and URLs as plain Rust;
//! `pages` are whole pages, `tabs` one module per tab, `components` the reusable parts, and
//! `softphone` the browser softphone that lives while the agent is signed in. Every
//! validation rule comes from the `pc-model` crate.

/// Translated text as a `Signal<&'static str>`: all call sites share one render path, where a
/// `t!` closure is monomorphized into a render path of its own at each site (measured: wasm
/// 871 -> 844 KB raw, -2 KB brotli). Each key is a plain function of the locale, so every call
/// site also shares one derived signal (see `translated`). Keys with `{{ values }}` still use `t!`.
macro_rules! tr {
    ($i18n:ident, $($key:tt)+) => {
        $crate::translated($i18n, |locale| $crate::i18n::td_string!(locale, $($key)+))
    };
}

/// The text of `text` in the page's locale, following it. One closure type for every key: a
/// closure per key made ~400 instantiations of the signal machinery (issue 16).
pub fn translated(
    i18n: leptos_i18n::I18nContext<i18n::Locale>,
    text: fn(i18n::Locale) -> &'static str,
) -> leptos::prelude::Signal<&'static str> {
    leptos::prelude::Signal::derive(move || text(i18n.get_locale()))
}

pub mod api;
pub mod app;
pub mod change;
pub mod chunks;
pub mod components;
pub mod focus;
pub mod form;
pub mod json;
pub mod messages;
pub mod pages;
pub mod qr;
pub mod routes;
pub mod session;
pub mod share;
pub mod softphone;
pub mod tabs;
pub mod time;
pub mod unsaved;
pub mod workbench;

mod i18n_generated {
    // `load_locales!` is marked deprecated in favour of a build script that pulls ~200 crates
    // into the build; the macro generates the same module.
    #![allow(deprecated)]
    leptos_i18n::load_locales!();
}
pub use i18n_generated::i18n;

pub use app::App;
