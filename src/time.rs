//! Times the server gives as Unix seconds, shown in the agent's language and time zone.

use wasm_bindgen::JsValue;

/// `seconds` as the browser writes a date and time in `locale`, and as ISO 8601 (for
/// `<time datetime>`).
pub fn local_time(seconds: i64, locale: &str) -> (String, String) {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let shown = date
        .to_locale_string(locale, &JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default();
    (shown, date.to_iso_string().as_string().unwrap_or_default())
}
