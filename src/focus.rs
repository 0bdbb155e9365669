//! Moving keyboard focus, after a change of view or to the field at fault.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the element with `id`, if there is one that can take focus.
pub fn focus_element(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
