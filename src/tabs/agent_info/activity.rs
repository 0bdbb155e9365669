//! SEC-4: the agent's recent activity — every change and sign-in, failed ones too: what, when
//! and from where, so that a sign-in that was not theirs stands out.

use leptos::prelude::*;
use pc_model::{ActivityEntry, ActivityKind};

use crate::api;
use crate::components::field_change::ChangeLine;
use crate::components::remote::remote;
use crate::components::scroll_region::ScrollRegion;
use crate::i18n::*;
use crate::time::local_time;

#[component]
pub fn RecentActivity() -> impl IntoView {
    let i18n = use_i18n();
    let page = LocalResource::new(api::activity);
    view! {
        <section class="agent-section" aria-labelledby="activity-title" data-testid="recent-activity">
            <h3 id="activity-title">{tr!(i18n, agent_info.recent_activity)}</h3>
            <p class="hint">{tr!(i18n, agent_info.recent_activity_hint)}</p>
            {remote(page, |page| view! { <ActivityTable entries=page.entries/> })}
            <button type="button" class="button secondary" id="refresh-activity" on:click=move |_| page.refetch()>
                {tr!(i18n, agent_info.refresh_activity)}
            </button>
        </section>
    }
}

#[component]
fn ActivityTable(entries: Vec<ActivityEntry>) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p>{tr!(i18n, agent_info.no_activity)}</p> }.into_any();
    }
    let locale = i18n.get_locale_untracked().as_str();
    view! {
        <ScrollRegion labelled_by="activity-title">
        <table class="activity-table">
            <caption class="visually-hidden">{tr!(i18n, agent_info.recent_activity)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr!(i18n, agent_info.activity_when)}</th>
                    <th scope="col">{tr!(i18n, agent_info.activity_what)}</th>
                    <th scope="col">{tr!(i18n, agent_info.activity_from)}</th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| {
                    let (shown, iso) = local_time(entry.at, locale);
                    view! {
                        <tr data-kind=entry.kind.code()>
                            <td><time datetime=iso>{shown}</time></td>
                            <td>
                                {kind_label(entry.kind)}
                                {(!entry.changes.is_empty()).then(|| view! {
                                    <ul class="activity-changes">
                                        {entry.changes.into_iter().map(|change| view! { <ChangeLine change/> }).collect_view()}
                                    </ul>
                                })}
                            </td>
                            <td>{entry.address}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </ScrollRegion>
    }
    .into_any()
}

fn kind_label(kind: ActivityKind) -> Signal<&'static str> {
    let i18n = use_i18n();
    match kind {
        ActivityKind::SignedIn => tr!(i18n, agent_info.activity_signed_in),
        ActivityKind::SignInFailed => tr!(i18n, agent_info.activity_sign_in_failed),
        ActivityKind::SignInPaused => tr!(i18n, agent_info.activity_sign_in_paused),
        ActivityKind::SignedOut => tr!(i18n, agent_info.activity_signed_out),
        ActivityKind::SettingsSaved => tr!(i18n, agent_info.activity_settings_saved),
        ActivityKind::ParameterSaved => tr!(i18n, agent_info.activity_parameter_saved),
        ActivityKind::ParametersReset => tr!(i18n, agent_info.activity_parameters_reset),
        ActivityKind::ParametersSynced => tr!(i18n, agent_info.activity_parameters_synced),
        ActivityKind::PhoneNumbersSaved => tr!(i18n, agent_info.activity_phone_numbers_saved),
        ActivityKind::SoftphonePasswordReset => tr!(i18n, agent_info.activity_password_reset),
        ActivityKind::BusinessCardGenerated => tr!(i18n, agent_info.activity_card_generated),
        ActivityKind::BusinessCardRevoked => tr!(i18n, agent_info.activity_card_revoked),
        ActivityKind::SoftphoneUnregistered => tr!(i18n, agent_info.activity_unregistered),
        ActivityKind::Provisioned => tr!(i18n, agent_info.activity_provisioned),
        ActivityKind::ProvisioningChanged => tr!(i18n, agent_info.activity_provisioning_changed),
        ActivityKind::Deactivated => tr!(i18n, agent_info.activity_deactivated),
        ActivityKind::Reactivated => tr!(i18n, agent_info.activity_reactivated),
        ActivityKind::Deprovisioned => tr!(i18n, agent_info.activity_deprovisioned),
    }
}
