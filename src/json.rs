//! JSON in the app: the browser's own `JSON.parse` and `JSON.stringify`, with
//! serde-wasm-bindgen between JavaScript values and Rust types, so the app carries no JSON text
//! parser or printer of its own (issue 16: smaller than serde_json's, see docs/spec.md).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `value` as a JavaScript value of JSON's kinds only: plain objects rather than `Map`s, `null`
/// for `None`, numbers for integers.
pub fn to_value(value: &impl Serialize) -> Result<JsValue, String> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())
}

/// `T` read from a JavaScript value, e.g. what `Response.json()` or `postMessage` delivered.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// `value` as JSON text.
pub fn to_text(value: &impl Serialize) -> Result<String, String> {
    js_sys::JSON::stringify(&to_value(value)?)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "the value has no JSON text".to_owned())
}

/// `T` read from JSON text.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "the text is not JSON".to_owned())?;
    from_value(value)
}
