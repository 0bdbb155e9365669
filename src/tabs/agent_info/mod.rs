//! The Agent Info tab: who the agent is (AGT-1) and what they can do there: client downloads
//! (AGT-2, AGT-3), the softphone password (AGT-4), the softphone registration (AGT-5; with WebRTC
//! the browser's own, RTC-1), the microphone and speaker (RTC-3, with WebRTC), the softphone
//! health (BEY-3; with WebRTC ending in the media test), their phone numbers (AGT-6), and their
//! recent activity (SEC-4).

mod activity;
pub mod devices;
mod downloads;
pub mod health;
pub mod media_test;
pub mod password_form;
mod password_reset;
pub mod phone_form;
mod phone_numbers;
mod registration;
mod softphone_status;

use leptos::prelude::*;
use pc_model::{AgentInfo, AgentRole, AgentType};

use crate::api;
use crate::components::remote::remote;
use crate::i18n::*;
use crate::softphone::use_softphone;

pub use activity::RecentActivity;
pub use devices::AudioDevices;
pub use downloads::DownloadButtons;
pub use health::SoftphoneHealth;
pub use media_test::MediaTest;
pub use password_reset::PasswordReset;
pub use phone_numbers::PhoneNumbers;
pub use registration::SoftphoneRegistration;
pub use softphone_status::SoftphoneStatus;

#[component]
pub fn AgentInfoTab() -> impl IntoView {
    let agent = LocalResource::new(api::agent);
    let downloads = LocalResource::new(api::client_downloads);
    let registration = LocalResource::new(api::registration);
    let password = LocalResource::new(api::password_reset_context);
    // In the order of the AICC guide: identity, client downloads, softphone password, softphone
    // status, phone numbers.
    view! {
        {remote(agent, |agent| view! { <AgentDetails agent/> })}
        {remote(downloads, |downloads| view! { <DownloadButtons downloads/> })}
        {remote(password, |context| view! { <PasswordReset two_factor=context.two_factor/> })}
        {remote(agent, move |agent| match use_softphone().filter(|_| agent.webrtc_enabled) {
            // RTC-1: the softphone is this browser; its registration is the one to show.
            Some(softphone) => view! { <SoftphoneStatus softphone/> }.into_any(),
            None => remote(registration, |initial| view! { <SoftphoneRegistration initial/> })
                .into_any(),
        })}
        {remote(agent, |agent| agent.webrtc_enabled.then(|| view! { <AudioDevices/> }))}
        // BEY-3 for every agent: without WebRTC it checks the settings that concern them; with
        // WebRTC it ends with the media test.
        {remote(agent, |agent| {
            let webrtc = agent.webrtc_enabled;
            view! { <SoftphoneHealth webrtc/> }
        })}
        {remote(agent, |agent| view! { <PhoneNumbers agent=RwSignal::new(agent)/> })}
        <RecentActivity/>
    }
}

#[component]
pub fn AgentDetails(agent: AgentInfo) -> impl IntoView {
    let i18n = use_i18n();
    let skill_queues = if agent.skill_queues.is_empty() {
        view! { <p>{tr!(i18n, agent.no_skill_queues)}</p> }.into_any()
    } else {
        view! {
            <ul class="skill-queues">
                {agent.skill_queues.into_iter().map(|queue| view! { <li>{queue.name}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <dl class="details" data-testid="agent-details">
            <dt>{tr!(i18n, agent.agent_id)}</dt>
            <dd data-field="agent_id">{agent.agent_id}</dd>
            <dt>{tr!(i18n, agent.agent_type)}</dt>
            <dd data-field="agent_type">{agent_type_label(agent.agent_type)}</dd>
            <dt>{tr!(i18n, agent.role)}</dt>
            <dd data-field="role">{role_label(agent.role)}</dd>
            <dt>{tr!(i18n, agent.softphone_number)}</dt>
            <dd data-field="softphone_number">{agent.softphone_number}</dd>
            <dt>{tr!(i18n, agent.registration_server)}</dt>
            <dd data-field="registration_server">{agent.registration_server}</dd>
            <dt>{tr!(i18n, agent.skill_queues)}</dt>
            <dd data-field="skill_queues">{skill_queues}</dd>
        </dl>
    }
}

pub(crate) fn agent_type_label(agent_type: AgentType) -> AnyView {
    let i18n = use_i18n();
    match agent_type {
        AgentType::Voice => tr!(i18n, agent.type_voice).into_any(),
        AgentType::Multimedia => tr!(i18n, agent.type_multimedia).into_any(),
        AgentType::Versatile => tr!(i18n, agent.type_versatile).into_any(),
    }
}

pub(crate) fn role_label(role: AgentRole) -> AnyView {
    let i18n = use_i18n();
    match role {
        AgentRole::Agent => tr!(i18n, agent.role_agent).into_any(),
        AgentRole::TeamLeader => tr!(i18n, agent.role_team_leader).into_any(),
        AgentRole::QualityInspector => tr!(i18n, agent.role_quality_inspector).into_any(),
    }
}
