//! Handing things to the agent from the browser: file downloads and the clipboard.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlDocument, HtmlInputElement, Url};

/// Saves `bytes` as a file named `filename`, as a download the browser handles.
pub fn download(bytes: &[u8], mime: &str, filename: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.set_hidden(true);
    let body = document()
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The browser reads the file after this task; free it a moment later.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        Duration::from_secs(10),
    );
    Ok(())
}

/// How a copy went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copied {
    /// Through the Clipboard API.
    Clipboard,
    /// The clipboard was refused; the selected text was copied the old way.
    Selection,
    /// Nothing could copy: the text is selected for the agent to copy with the keyboard.
    SelectedForKeyboard,
}

/// Copies `text`, shown in the read-only input `input_id`: by the Clipboard API, else (no
/// secure context, permission refused) by selecting the input and the `copy` command, else by
/// leaving the input focused and selected so that Ctrl+C (⌘C) copies it.
pub async fn copy_text(text: &str, input_id: &str) -> Copied {
    let navigator = window().navigator();
    // `navigator.clipboard` is missing outside secure contexts; calling it then would throw.
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_clipboard
        && JsFuture::from(navigator.clipboard().write_text(text))
            .await
            .is_ok()
    {
        return Copied::Clipboard;
    }
    let Some(input) = document()
        .get_element_by_id(input_id)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    else {
        return Copied::SelectedForKeyboard;
    };
    let _ = input.focus();
    input.select();
    let copied = document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    if copied {
        Copied::Selection
    } else {
        Copied::SelectedForKeyboard
    }
}
