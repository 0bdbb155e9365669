//! PER-1 … PER-8: the Personalized Settings tab. Read-only until **Edit**; **Save** stores all of
//! it at once, **Cancel** discards. Rules are checked while typing and again by the server; a
//! refused save keeps everything the agent typed.

pub mod card_choice;
pub mod customer_preview;
pub mod ename_card;
mod fields;
pub mod form;
pub mod greeting_editor;
mod read_only;

use leptos::prelude::*;
use pc_model::{SettingsPage, SettingsVersion};

use self::customer_preview::{CardsShown, CustomerPreview};
use self::ename_card::{ENameCardSection, SettingsSaved};
use self::fields::{element_id, field_label, SettingsFields};
use self::form::{SettingsForm, SettingsValues};
use self::read_only::SettingsView;
use crate::api;
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::error_summary::{ErrorLink, ErrorSummary, SummaryFocus};
use crate::components::remote::remote;
use crate::components::version_history::VersionHistory;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::json;
use crate::messages::violation_message;
use crate::session::{use_auth, SignInNotice};
use crate::unsaved::use_unsaved_changes;
use crate::workbench::protocol::SavedArea;

#[component]
pub fn PersonalizedSettingsTab() -> impl IntoView {
    let page = LocalResource::new(api::settings);
    provide_context(SettingsSaved(Trigger::new()));
    provide_context(CardsShown(RwSignal::new(Vec::new())));
    view! {
        {remote(
            page,
            move |loaded| view! { <SettingsSection loaded reload=Callback::new(move |()| page.refetch())/> },
        )}
        <ENameCardSection/>
    }
}

/// The browser tab's storage key for an agent's unsaved settings, kept while they sign in again.
fn draft_key(business_account: &str) -> String {
    format!("pc.settings-draft.{business_account}")
}

fn keep_draft(business_account: &str, draft: &SettingsValues) {
    if let (Some(storage), Ok(json)) = (
        window().session_storage().ok().flatten(),
        json::to_text(draft),
    ) {
        let _ = storage.set_item(&draft_key(business_account), &json);
    }
}

/// The kept draft, removed from storage: it is restored once.
fn take_draft(business_account: &str) -> Option<SettingsValues> {
    let storage = window().session_storage().ok().flatten()?;
    let key = draft_key(business_account);
    let json = storage.get_item(&key).ok().flatten()?;
    let _ = storage.remove_item(&key);
    json::from_text(&json).ok()
}

/// The message above the settings that is not about a change that failed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Notice {
    Saved,
    DraftRestored,
    /// BEY-2: an earlier version is in the form, not saved yet.
    VersionRestored,
}

#[component]
fn SettingsSection(loaded: SettingsPage, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let unsaved = use_unsaved_changes();
    let form = SettingsForm::new(SettingsValues::from_page(&loaded));
    let page = RwSignal::new(loaded);
    let editing = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let settings_saved = use_context::<SettingsSaved>();
    let summary_focus = SummaryFocus::new();
    let show_summary = RwSignal::new(false);
    let save = Change::new()
        .saves(SavedArea::PersonalizedSettings)
        .on_refused(move |errors| {
            let placed = form.refuse(errors);
            show_summary.set(true);
            summary_focus.focus();
            placed
        });

    unsaved.watch(Signal::derive(move || editing.get() && form.is_dirty()));
    // SPEC §8: nothing typed is lost, not even to an expired session or to a reload for a part
    // of the app that could not be loaded (OPS-7). The draft waits in this browser tab's
    // storage while the agent signs in again, or the page loads again.
    let account = auth.session_untracked().map(|s| s.business_account);
    let keep_account = account.clone();
    let reload_account = account.clone();
    unsaved.keep_over_reload(Callback::new(move |()| {
        if let Some(account) = &reload_account {
            keep_draft(account, &form.values_untracked());
        }
    }));
    on_cleanup(move || {
        let expired = auth.notice_untracked() == Some(SignInNotice::SessionExpired);
        if let (true, true, Some(account)) = (expired, editing.get_untracked(), keep_account) {
            if untrack(|| form.is_dirty()) {
                keep_draft(&account, &form.values_untracked());
            }
        }
    });

    if let Some(draft) = account.as_deref().and_then(take_draft) {
        form.update(|values| *values = draft.restored(&page.get_untracked()));
        editing.set(true);
        notice.set(Some(Notice::DraftRestored));
    }

    let begin_edit = move || {
        notice.set(None);
        save.clear();
        show_summary.set(false);
        form.reset(SettingsValues::from_page(&page.get_untracked()));
        editing.set(true);
    };
    let on_edit = move |_| {
        begin_edit();
        request_animation_frame(|| focus_element("change-avatar"));
    };
    let history_open = RwSignal::new(false);
    let restore = Callback::new(move |version: SettingsVersion| {
        if !editing.get_untracked() {
            begin_edit();
        }
        form.update(|values| {
            *values = SettingsValues::restoring(&page.get_untracked(), &version.settings);
        });
        notice.set(Some(Notice::VersionRestored));
        request_animation_frame(|| focus_element("change-avatar"));
    });
    let history_button = move || {
        view! {
            <button type="button" class="button secondary" id="settings-history" on:click=move |_| history_open.set(true)>
                {tr!(i18n, history.open)}
            </button>
        }
    };
    let on_cancel = move || {
        editing.set(false);
        show_summary.set(false);
        notice.set(None);
        save.clear();
        request_animation_frame(|| focus_element("edit-settings"));
    };
    let submit = move || {
        notice.set(None);
        let Ok(values) = form.submit() else {
            show_summary.set(true);
            summary_focus.focus();
            return;
        };
        show_summary.set(false);
        save.send(api::save_settings(&values.to_save()), move |saved| {
            page.set(saved);
            if let Some(SettingsSaved(trigger)) = settings_saved {
                trigger.notify();
            }
            editing.set(false);
            notice.set(Some(Notice::Saved));
            request_animation_frame(|| focus_element("edit-settings"));
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };

    // BEY-1: the preview follows the draft while editing, else what is saved.
    let shown_settings = Signal::derive(move || {
        if editing.get() {
            form.with(SettingsValues::settings)
        } else {
            page.with(|p| p.settings.clone())
        }
    });

    view! {
        <section class="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading" class="visually-hidden">{tr!(i18n, tabs.personalized_settings)}</h2>
            {move || notice.get().map(|notice| match notice {
                Notice::Saved => view! {
                    <p class="notice success" role="status">{tr!(i18n, settings.saved)}</p>
                }.into_any(),
                Notice::DraftRestored => view! {
                    <p class="notice" role="status">{tr!(i18n, settings.draft_restored)}</p>
                }.into_any(),
                Notice::VersionRestored => view! {
                    <p class="notice" role="status" data-testid="version-restored">{tr!(i18n, history.restored)}</p>
                }.into_any(),
            })}
            <ChangeNotice
                change=save
                retry=Callback::new(move |()| submit())
                stale=ViewFn::from(move || tr!(i18n, settings.stale))
                reload=Callback::new(move |()| {
                    unsaved.discard();
                    reload.run(());
                })
            />
            <div class="settings-layout">
            <div class="settings-main">
            {move || if editing.get() {
                view! {
                    <form class="settings-form" on:submit=on_submit novalidate>
                        <ErrorSummary visible=show_summary focus=summary_focus>
                            {move || form.errors().into_iter().map(|(field, violation)| view! {
                                <ErrorLink target=element_id(field)>
                                    {field_label(field)}": "{violation_message(&violation)}
                                </ErrorLink>
                            }).collect_view()}
                        </ErrorSummary>
                        <SettingsFields form/>
                        <div class="form-actions">
                            <button type="submit" class="button primary" id="save-settings" disabled=move || save.pending()>
                                {move || if save.pending() {
                                    tr!(i18n, common.saving).into_any()
                                } else {
                                    tr!(i18n, common.save).into_any()
                                }}
                            </button>
                            <button type="button" class="button secondary" id="cancel-settings" on:click=move |_| on_cancel()>
                                {tr!(i18n, common.cancel)}
                            </button>
                            {history_button()}
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <SettingsView page=page.get()/>
                    <div class="form-actions">
                        <button type="button" class="button primary" id="edit-settings" on:click=on_edit>
                            {tr!(i18n, settings.edit)}
                        </button>
                        {history_button()}
                    </div>
                }.into_any()
            }}
            </div>
            <CustomerPreview settings=shown_settings context=page.with_untracked(|p| p.context.clone())/>
            </div>
            <VersionHistory
                id="settings-history-dialog"
                open=history_open
                title=ViewFn::from(move || tr!(i18n, history.settings_title))
                load=api::settings_history
                on_restore=restore
            />
        </section>
    }
}
