//! What the browser component tests share: mounting a view in a fresh container and reading the
//! DOM it renders.

use leptos::prelude::*;
use leptos::task::tick;
use pc_app::i18n::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};

/// A fresh container in the page; the returned handle keeps the view mounted.
pub fn mount<V: IntoView + 'static>(
    view: impl FnOnce() -> V + Send + 'static,
) -> (HtmlElement, impl Drop) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = mount_to(container.clone(), move || {
        view! { <I18nContextProvider>{view()}</I18nContextProvider> }
    });
    (container, handle)
}

pub fn find(container: &HtmlElement, css: &str) -> HtmlElement {
    container
        .query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {css}"))
        .unchecked_into()
}

pub fn text(container: &HtmlElement, css: &str) -> String {
    find(container, css).text_content().unwrap_or_default()
}

/// Chooses `value` in the `<select>` `css` as the browser does: the value changes, then `change`
/// fires.
pub fn choose(container: &HtmlElement, css: &str, value: &str) {
    let select: HtmlSelectElement = find(container, css).unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Lets the reactive system run what the last change scheduled.
pub async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
}
