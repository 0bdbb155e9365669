//! The Agent Personal Center app: Leptos, rendered in the browser.
//!
//! `api` is the only HTTP layer; `session` and `routes` hold app state and URLs as plain Rust;
//! `pages` are whole pages, `tabs` one module per tab, `components` the reusable parts, and
//! `softphone` the browser softphone that lives while the agent is signed in. Every
//! validation rule comes from the `pc-model` crate.

/// Translated text as a `Signal<&'static str>`: all call sites share one render path, where a
/// `t!` closure is monomorphized into a render path of its own at each site (measured: wasm
/// 871 -> 844 KB raw, -2 KB brotli). Keys with `{{ values }}` still use `t!`.
macro_rules! tr {
    ($i18n:ident, $($key:tt)+) => {
        leptos::prelude::Signal::derive(move || $crate::i18n::t_string!($i18n, $($key)+))
    };
}

pub mod api;
pub mod app;
pub mod change;
pub mod components;
pub mod focus;
pub mod form;
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
