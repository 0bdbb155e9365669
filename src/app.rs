//! The whole app: language, session, and the routes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, NavigateOptions};

use crate::chunks::{chunk_view, split_point};
use crate::components::language_switch::LanguageFromQuery;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::shell::Shell;
use crate::pages::sign_in::SignInPage;
use crate::routes::{with_query, Tab};
use crate::session::Auth;
use crate::tabs::agent_info::AgentInfoTab;
use crate::tabs::agent_parameters::AgentParametersTab;
use crate::tabs::personalized_settings::PersonalizedSettingsTab;
use crate::unsaved::UnsavedChanges;
use crate::workbench::{provide_workbench, WorkbenchBridge};

#[component]
pub fn App() -> impl IntoView {
    provide_context(Auth::default());
    provide_context(UnsavedChanges::default());
    provide_workbench();
    view! {
        <I18nContextProvider>
            <Router>
                <LanguageFromQuery/>
                <WorkbenchBridge/>
                <DocumentTitle/>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ToAgentInfo/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("/agent-info") view=AgentInfoTab/>
                        <Route path=path!("/personalized-settings") view=|| chunk_view(personalized_settings)/>
                        <Route path=path!("/agent-parameters") view=|| chunk_view(agent_parameters)/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || t_string!(i18n, app_title)/> }
}

#[component]
fn ToAgentInfo() -> impl IntoView {
    let search = use_location().search.get_untracked();
    view! {
        <Redirect
            path=with_query(&Tab::AgentInfo.path(), &search)
            options=NavigateOptions { replace: true, ..Default::default() }
        />
    }
}

// OPS-7: the first screen is Agent Info; each other tab is a chunk of its own.
split_point! {
    pub fn personalized_settings() -> AnyView {
        view! { <PersonalizedSettingsTab/> }.into_any()
    }
    preloaded by preload_personalized_settings
}

split_point! {
    pub fn agent_parameters() -> AnyView {
        view! { <AgentParametersTab/> }.into_any()
    }
    preloaded by preload_agent_parameters
}
