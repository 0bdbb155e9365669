//! BEY-1: the agent as a customer meets them, live beside the settings: a web-chat window with
//! the avatar, the name and the greeting a session started at a chosen hour receives; an email
//! with the signature in effect; and, with an E-Name Card, the first WhatsApp message. Decided by
//! `pc_model::customer_view`, the rules the server answers `GET /api/me/customer-view` with.

use leptos::prelude::*;
use pc_model::business_card::prefilled_text;
use pc_model::customer_view::customer_view;
use pc_model::settings::SignatureInEffect;
use pc_model::{BusinessCard, PersonalSettings, SettingsContext};

use super::greeting_editor::hour_label;
use crate::components::avatar_chooser::avatar_src;
use crate::i18n::*;

/// The agent's E-Name Cards as the card section holds them, for the WhatsApp preview; provided
/// by the tab, filled by the card section.
#[derive(Clone, Copy)]
pub struct CardsShown(pub RwSignal<Vec<BusinessCard>>);

/// The hour of the browser's clock.
fn current_hour() -> u8 {
    js_sys::Date::new_0().get_hours() as u8
}

#[component]
pub fn CustomerPreview(
    /// The settings as they would be saved: the draft while editing.
    #[prop(into)]
    settings: Signal<PersonalSettings>,
    context: SettingsContext,
) -> impl IntoView {
    let i18n = use_i18n();
    let hour = RwSignal::new(current_hour());
    let view = Memo::new(move |_| settings.with(|s| customer_view(s, &context, hour.get())));
    let cards = use_context::<CardsShown>();
    let first_card =
        move || cards.and_then(|CardsShown(cards)| cards.with(|all| all.first().cloned()));
    view! {
        <aside class="customer-preview" aria-labelledby="preview-heading" data-testid="customer-preview">
            <h3 id="preview-heading">{tr!(i18n, preview.heading)}</h3>
            <p class="hint">{tr!(i18n, preview.hint)}</p>
            <div class="field">
                <label for="preview-hour">{tr!(i18n, preview.hour)}</label>
                <select
                    id="preview-hour"
                    on:change=move |ev| hour.set(event_target_value(&ev).parse().unwrap_or_default())
                >
                    {(0..24u8).map(|h| view! {
                        <option value=h prop:selected=move || hour.get() == h>{hour_label(h)}</option>
                    }).collect_view()}
                </select>
            </div>
            <section class="preview-chat" aria-labelledby="preview-chat-title">
                <h4 id="preview-chat-title" class="preview-label">{tr!(i18n, preview.chat)}</h4>
                <div class="chat-agent">
                    <img class="avatar small" src=move || avatar_src(view.with(|v| v.avatar)) alt="" width="32" height="32"/>
                    <strong data-testid="preview-name">{move || view.with(|v| v.display_name.clone())}</strong>
                </div>
                {move || match view.with(|v| v.greeting.clone()) {
                    Some(greeting) => view! {
                        <p class="chat-bubble" data-testid="preview-greeting">{greeting}</p>
                    }.into_any(),
                    None => view! {
                        <p class="hint" data-testid="preview-greeting">
                            {t!(i18n, preview.no_greeting, hour = move || hour_label(hour.get()))}
                        </p>
                    }.into_any(),
                }}
            </section>
            <section class="preview-email" aria-labelledby="preview-email-title">
                <h4 id="preview-email-title" class="preview-label">{tr!(i18n, preview.email)}</h4>
                <p>{tr!(i18n, preview.email_body)}</p>
                {move || view.with(|v| (!v.signature.is_empty()).then(|| view! {
                    <pre class="signature-text" data-testid="preview-signature">{v.signature.clone()}</pre>
                }))}
                <p class="hint" data-testid="preview-signature-source">
                    {move || match view.with(|v| v.signature_source) {
                        SignatureInEffect::Agent => tr!(i18n, preview.signature_agent),
                        SignatureInEffect::Tenant => tr!(i18n, preview.signature_tenant),
                        SignatureInEffect::None => tr!(i18n, preview.signature_none),
                    }}
                </p>
            </section>
            {move || first_card().map(|card| view! {
                <section class="preview-whatsapp" aria-labelledby="preview-whatsapp-title">
                    <h4 id="preview-whatsapp-title" class="preview-label">{tr!(i18n, preview.whatsapp)}</h4>
                    <p class="hint">{
                        let channel = card.channel.name.clone();
                        t!(i18n, preview.whatsapp_hint, channel = move || channel.clone())
                    }</p>
                    <p class="chat-bubble customer" data-testid="preview-whatsapp">{prefilled_text(&card.code)}</p>
                </section>
            })}
        </aside>
    }
}
