//! The three tabs, following the WAI-ARIA tabs pattern: one tab stop (roving tabindex), Left and
//! Right Arrow move between tabs and select them, Home and End jump to the first and last.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::routes::Tab;

/// The ID of the one tab panel; its content follows the selected tab.
pub const PANEL_ID: &str = "tab-panel";

pub fn tab_id(tab: Tab) -> String {
    format!("tab-{}", tab.slug())
}

/// The tab that a key moves to from `current`, if the key is one the pattern uses.
pub fn tab_for_key(current: Tab, key: &str) -> Option<Tab> {
    match key {
        "ArrowRight" => Some(current.next()),
        "ArrowLeft" => Some(current.previous()),
        "Home" => Tab::ALL.first().copied(),
        "End" => Tab::ALL.last().copied(),
        _ => None,
    }
}

#[component]
pub fn TabList(#[prop(into)] selected: Signal<Tab>, on_select: Callback<Tab>) -> impl IntoView {
    let i18n = use_i18n();
    let on_keydown = move |ev: KeyboardEvent| {
        // Alt+Left is the browser's Back; Ctrl/Meta combinations belong to the browser too.
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        if let Some(target) = tab_for_key(selected.get_untracked(), &ev.key()) {
            ev.prevent_default();
            on_select.run(target);
            focus_tab(target);
        }
    };
    view! {
        <div
            role="tablist"
            class="tabs"
            aria-label=move || t_string!(i18n, tabs.label)
            on:keydown=on_keydown
        >
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    let is_selected = move || selected.get() == tab;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=tab_id(tab)
                            aria-controls=PANEL_ID
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            tabindex=move || if is_selected() { "0" } else { "-1" }
                            on:click=move |_| on_select.run(tab)
                        >
                            {tab_label(tab)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

pub fn tab_label(tab: Tab) -> AnyView {
    let i18n = use_i18n();
    match tab {
        Tab::AgentInfo => tr!(i18n, tabs.agent_info).into_any(),
        Tab::PersonalizedSettings => tr!(i18n, tabs.personalized_settings).into_any(),
        Tab::AgentParameters => tr!(i18n, tabs.agent_parameters).into_any(),
    }
}

fn focus_tab(tab: Tab) {
    if let Some(element) = document()
        .get_element_by_id(&tab_id(tab))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_keys_move_and_others_do_not() {
        assert_eq!(
            tab_for_key(Tab::AgentInfo, "ArrowRight"),
            Some(Tab::PersonalizedSettings)
        );
        assert_eq!(
            tab_for_key(Tab::AgentInfo, "ArrowLeft"),
            Some(Tab::AgentParameters)
        );
        assert_eq!(
            tab_for_key(Tab::AgentParameters, "Home"),
            Some(Tab::AgentInfo)
        );
        assert_eq!(
            tab_for_key(Tab::AgentInfo, "End"),
            Some(Tab::AgentParameters)
        );
        assert_eq!(tab_for_key(Tab::AgentInfo, "Enter"), None);
        assert_eq!(tab_for_key(Tab::AgentInfo, "ArrowDown"), None);
    }
}
