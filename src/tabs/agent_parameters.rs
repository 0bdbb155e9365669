//! The Agent Parameters tab (PAR). Not built yet: it says so rather than pretending.

use leptos::prelude::*;

use crate::i18n::*;

#[component]
pub fn AgentParametersTab() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="not-ready">
            <h2>{tr!(i18n, not_ready.heading)}</h2>
            <p>{tr!(i18n, not_ready.agent_parameters)}</p>
        </section>
    }
}
