//! PER-6 E-Name Card: only for agents with the *Generate an agent electronic business card*
//! permission (for anyone else the section is absent). Choose an OU, then one of its WhatsApp
//! channels, then **Generate**: the card shows the agent's avatar and nickname, the channel, the
//! QR code and the link, with **Copy link**, **Download PNG** and **Download SVG**.
//!
//! *Interpretation:* the card is not part of the settings saved with **Save**: generating issues
//! a routing code on the server at once, so it works whether or not the settings are in Edit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pc_model::business_card::{may_generate_business_card, CardField};
use pc_model::{BusinessCard, BusinessCardPage, CardOrgUnit, ProblemType, Violation};

use super::card_choice::{parse_option, with_card, CardChoice, CardForm, CardValues};
use super::customer_preview::CardsShown;
use crate::api;
use crate::change::Change;
use crate::chunks::chunk_view;
use crate::components::avatar_chooser::{avatar_name, avatar_src};
use crate::components::field_error::FieldErrorText;
use crate::components::remote::remote;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::qr::{qr_encoded, QrMatrix};
use crate::share::{copy_text, download, Copied};
use crate::workbench::protocol::SavedArea;

const ORG_UNIT_ID: &str = "ecard-org-unit";
const CHANNEL_ID: &str = "ecard-channel";
const LINK_ID: &str = "ecard-link";
const SCREEN_PIXELS_PER_MODULE: usize = 4;

/// Notified by the settings section after a save, so that the card shows the avatar and
/// nickname just saved.
#[derive(Clone, Copy)]
pub struct SettingsSaved(pub Trigger);

/// The section, for agents with the permission; nothing at all for the others.
#[component]
pub fn ENameCardSection() -> impl IntoView {
    let agent = LocalResource::new(api::agent);
    move || {
        let allowed = matches!(agent.get(), Some(Ok(agent)) if may_generate_business_card(&agent));
        allowed.then(|| view! { <ENameCard/> })
    }
}

#[component]
fn ENameCard() -> impl IntoView {
    let i18n = use_i18n();
    let page = LocalResource::new(api::business_cards);
    let saved = use_context::<SettingsSaved>();
    Effect::new(move |ran: Option<()>| {
        if let Some(SettingsSaved(saved)) = saved {
            saved.track();
        }
        if ran.is_some() {
            page.refetch();
        }
    });
    view! {
        <section class="ecard-section" aria-labelledby="ecard-heading" data-testid="ecard">
            <h3 id="ecard-heading">{tr!(i18n, ecard.heading)}</h3>
            <p class="hint">{tr!(i18n, ecard.intro)}</p>
            {remote(page, |loaded| view! { <CardPanel loaded/> })}
        </section>
    }
}

/// The last thing that happened, for the status line.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Generated,
    Copied(Copied),
    DownloadFailed,
    Forbidden,
    Failed,
}

fn element_of(field: CardField) -> &'static str {
    match field {
        CardField::OrgUnit => ORG_UNIT_ID,
        CardField::Channel => CHANNEL_ID,
    }
}

/// The choice of OU and channel, **Generate**, and the card for the chosen channel.
#[component]
pub fn CardPanel(loaded: BusinessCardPage) -> impl IntoView {
    let i18n = use_i18n();
    let form = CardForm::new(CardValues {
        choice: CardChoice::initial(&loaded),
        offered: loaded.org_units.clone(),
    });
    // BEY-1: the tab's preview shows the first message of the cards shown here.
    let cards = match use_context::<CardsShown>() {
        Some(CardsShown(shown)) => {
            shown.set(loaded.cards.clone());
            shown
        }
        None => RwSignal::new(loaded.cards.clone()),
    };
    let org_units: Vec<CardOrgUnit> = loaded.org_units.clone();
    let page = StoredValue::new(BusinessCardPage {
        cards: Vec::new(),
        ..loaded
    });
    let status = RwSignal::new(None::<Status>);
    let org_unit_error = Signal::derive(move || form.error(CardField::OrgUnit));
    let channel_error = Signal::derive(move || form.error(CardField::Channel));
    let changed = move || status.set(None);
    let generate = Change::new()
        .saves(SavedArea::BusinessCard)
        .on_refused(move |errors| {
            let placed = form.refuse(errors);
            if let Some(field) = form.first_invalid() {
                request_animation_frame(move || focus_element(element_of(field)));
            }
            placed
        })
        .on_failed(move |error| {
            let forbidden = error.problem_type() == Some(ProblemType::Forbidden);
            status.set(Some(if forbidden {
                Status::Forbidden
            } else {
                Status::Failed
            }));
        });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.set(None);
        if generate.pending() {
            return;
        }
        match form.submit() {
            Err(field) => focus_element(element_of(field)),
            Ok(values) => {
                generate.send(
                    api::generate_business_card(&values.choice.request()),
                    move |card| {
                        cards.update(|all| *all = with_card(all, card));
                        form.reset(form.values_untracked());
                        status.set(Some(Status::Generated));
                    },
                );
            }
        }
    };

    let described_by = move |id: &'static str, error: Signal<Option<Violation>>| {
        move || {
            if error.with(Option::is_some) {
                format!("{id}-hint {id}-error")
            } else {
                format!("{id}-hint")
            }
        }
    };
    let channels = move || page.with_value(|p| form.choice_with(|c| c.channels(p).to_vec()));
    let channel_hint = move || {
        let chosen_ou = form.choice_with(|c| c.org_unit_id.is_some());
        if !chosen_ou {
            tr!(i18n, ecard.choose_org_unit_first)
        } else if channels().is_empty() {
            tr!(i18n, ecard.no_channels)
        } else {
            tr!(i18n, ecard.channel_hint)
        }
    };
    let current = Memo::new(move |_| cards.with(|all| form.choice_with(|c| c.card(all).cloned())));

    view! {
        <form class="ecard-form" on:submit=on_submit novalidate>
            <div class="field" class:field-invalid=move || org_unit_error.with(Option::is_some)>
                <label for=ORG_UNIT_ID>{tr!(i18n, ecard.org_unit)}</label>
                <p class="hint" id="ecard-org-unit-hint">{tr!(i18n, ecard.org_unit_hint)}</p>
                <FieldErrorText id="ecard-org-unit-error" error=org_unit_error/>
                <select
                    id=ORG_UNIT_ID
                    aria-invalid=move || org_unit_error.with(Option::is_some).then_some("true")
                    aria-describedby=described_by(ORG_UNIT_ID, org_unit_error)
                    on:change=move |ev| {
                        let id = parse_option(&event_target_value(&ev));
                        page.with_value(|p| form.choice_update(|c| c.choose_org_unit(p, id)));
                        changed();
                    }
                >
                    <option value="" prop:selected=move || form.choice_with(|c| c.org_unit_id.is_none())>
                        {tr!(i18n, ecard.choose_org_unit)}
                    </option>
                    {org_units.into_iter().map(|unit| {
                        let id = unit.id;
                        view! {
                            <option value=id.to_string() prop:selected=move || form.choice_with(|c| c.org_unit_id == Some(id))>
                                {unit.name}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-invalid=move || channel_error.with(Option::is_some)>
                <label for=CHANNEL_ID>{tr!(i18n, ecard.channel)}</label>
                <p class="hint" id="ecard-channel-hint" aria-live="polite">{channel_hint}</p>
                <FieldErrorText id="ecard-channel-error" error=channel_error/>
                <select
                    id=CHANNEL_ID
                    aria-invalid=move || channel_error.with(Option::is_some).then_some("true")
                    aria-describedby=described_by(CHANNEL_ID, channel_error)
                    on:change=move |ev| {
                        let id = parse_option(&event_target_value(&ev));
                        form.choice_update(|c| c.choose_channel(id));
                        changed();
                    }
                >
                    <option value="" prop:selected=move || form.choice_with(|c| c.channel_id.is_none())>
                        {tr!(i18n, ecard.choose_channel)}
                    </option>
                    {move || channels().into_iter().map(|channel| {
                        let id = channel.id;
                        view! {
                            <option value=id.to_string() prop:selected=move || form.choice_with(|c| c.channel_id == Some(id))>
                                {format!("{} ({})", channel.name, channel.phone_number)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            {move || current.with(Option::is_some).then(|| view! {
                <p class="hint" id="ecard-regenerate-hint">{tr!(i18n, ecard.regenerate_warning)}</p>
            })}
            <div class="form-actions">
                <button
                    type="submit"
                    class="button primary"
                    id="ecard-generate"
                    disabled=move || generate.pending()
                    aria-describedby=move || current.with(Option::is_some).then_some("ecard-regenerate-hint")
                >
                    {move || if generate.pending() {
                        tr!(i18n, ecard.generating).into_any()
                    } else if current.with(Option::is_some) {
                        tr!(i18n, ecard.regenerate).into_any()
                    } else {
                        tr!(i18n, ecard.generate).into_any()
                    }}
                </button>
            </div>
        </form>
        <p class="ecard-status" role="status" data-testid="ecard-status">
            {move || status.get().map(|status| match status {
                Status::Generated => tr!(i18n, ecard.generated).into_any(),
                Status::Copied(Copied::Clipboard | Copied::Selection) => tr!(i18n, ecard.copied).into_any(),
                Status::Copied(Copied::SelectedForKeyboard) => tr!(i18n, ecard.copy_keyboard).into_any(),
                Status::DownloadFailed => tr!(i18n, ecard.download_failed).into_any(),
                Status::Forbidden => tr!(i18n, ecard.forbidden).into_any(),
                Status::Failed => tr!(i18n, common.not_saved).into_any(),
            })}
        </p>
        {move || current.get().map(|card| view! { <Card card status/> })}
    }
}

/// A file name for the card's QR code, e.g. `e-name-card-northwind-care-whatsapp.png`.
pub fn file_name(card: &BusinessCard, extension: &str) -> String {
    let mut slug = String::new();
    for c in card.channel.name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        format!("e-name-card-{}.{extension}", card.channel.id)
    } else {
        format!("e-name-card-{slug}.{extension}")
    }
}

/// One card: who, which channel, the QR code and the link, and what can be done with them.
#[component]
pub fn Card(card: BusinessCard, status: RwSignal<Option<Status>>) -> impl IntoView {
    let i18n = use_i18n();
    // Set once the encoder's chunk has encoded the link; the downloads wait for it.
    let matrix = StoredValue::new(None::<QrMatrix>);
    let text = card.link.clone();
    let qr = chunk_view(move || {
        let text = text.clone();
        async move {
            let encoded = qr_encoded(text).await?;
            matrix.set_value(encoded.clone());
            // Shown at a whole number of pixels per module, so every module is the same size
            // on screen.
            Ok(match encoded {
                Some(m) => view! {
                    <div
                        class="ecard-qr"
                        role="img"
                        aria-label=move || tr!(i18n, ecard.qr_label).get()
                        style:width=format!("{}px", m.size() * SCREEN_PIXELS_PER_MODULE)
                        inner_html=m.svg()
                    ></div>
                }
                .into_any(),
                None => view! { <p class="field-error">{tr!(i18n, ecard.too_long)}</p> }.into_any(),
            })
        }
    });
    let card = StoredValue::new(card);
    let link = card.with_value(|c| c.link.clone());
    let save = move |png: bool| {
        let saved = matrix.with_value(|matrix| {
            let Some(matrix) = matrix else {
                return Ok(());
            };
            card.with_value(|card| {
                if png {
                    download(&matrix.png(), "image/png", &file_name(card, "png"))
                } else {
                    download(
                        matrix.svg().as_bytes(),
                        "image/svg+xml",
                        &file_name(card, "svg"),
                    )
                }
            })
        });
        if saved.is_err() {
            status.set(Some(Status::DownloadFailed));
        }
    };
    let avatar = card.with_value(|c| c.avatar);
    let (name, channel, org_unit) = card.with_value(|c| {
        (
            c.display_name.clone(),
            format!("{} · {}", c.channel.name, c.channel.phone_number),
            c.org_unit_name.clone(),
        )
    });
    view! {
        <article class="ecard" aria-labelledby="ecard-name" data-testid="ecard-card">
            <h4 class="visually-hidden">{tr!(i18n, ecard.card_label)}</h4>
            <div class="ecard-holder">
                <img class="avatar" src=avatar_src(avatar) alt=move || avatar_name(avatar) width="56" height="56"/>
                <div>
                    <p class="ecard-name" id="ecard-name">{name}</p>
                    <p class="ecard-channel" data-testid="ecard-channel">{channel}</p>
                    <p class="hint">{org_unit}</p>
                </div>
            </div>
            {qr}
            <div class="field">
                <label for=LINK_ID>{tr!(i18n, ecard.link)}</label>
                <input id=LINK_ID type="text" readonly prop:value=link.clone() on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
            </div>
            <div class="form-actions">
                <button type="button" class="button secondary" id="ecard-copy" on:click=move |_| {
                    let link = link.clone();
                    spawn_local(async move {
                        status.set(Some(Status::Copied(copy_text(&link, LINK_ID).await)));
                    });
                }>
                    {tr!(i18n, ecard.copy)}
                </button>
                <button type="button" class="button secondary" id="ecard-download-png" on:click=move |_| save(true)>
                    {tr!(i18n, ecard.download_png)}
                </button>
                <button type="button" class="button secondary" id="ecard-download-svg" on:click=move |_| save(false)>
                    {tr!(i18n, ecard.download_svg)}
                </button>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::WhatsAppChannel;

    fn card(id: i64, name: &str) -> BusinessCard {
        BusinessCard {
            org_unit_id: 11,
            org_unit_name: String::new(),
            channel: WhatsAppChannel {
                id,
                name: name.into(),
                phone_number: String::new(),
            },
            code: String::new(),
            link: String::new(),
            issued_at: 0,
            avatar: 1,
            display_name: String::new(),
        }
    }

    #[test]
    fn files_are_named_after_the_channel() {
        assert_eq!(
            file_name(&card(101, "Northwind Care WhatsApp (English)"), "png"),
            "e-name-card-northwind-care-whatsapp-english.png"
        );
        assert_eq!(file_name(&card(7, "客服"), "svg"), "e-name-card-7.svg");
    }
}
