use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::routes::Tab;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page-message">
            <h1>{tr!(i18n, not_found)}</h1>
            <p><A href=Tab::AgentInfo.path()>{tr!(i18n, go_to_agent_info)}</A></p>
        </main>
    }
}
