//! PER-1: a dialog to choose one of the eight avatars. A native modal `<dialog>` keeps focus
//! inside and closes on Escape; native radio buttons give the radio-group keyboard behaviour.

use leptos::html::Dialog;
use leptos::prelude::*;
use pc_model::settings::AVATAR_COUNT;

use crate::i18n::*;

pub fn avatar_src(avatar: u8) -> String {
    format!("/avatars/avatar-{avatar}.svg")
}

/// "Avatar 3: Sunset", the accessible name of an avatar.
pub fn avatar_name(avatar: u8) -> String {
    let i18n = use_i18n();
    match avatar {
        1 => t_string!(i18n, avatar_names.n1),
        2 => t_string!(i18n, avatar_names.n2),
        3 => t_string!(i18n, avatar_names.n3),
        4 => t_string!(i18n, avatar_names.n4),
        5 => t_string!(i18n, avatar_names.n5),
        6 => t_string!(i18n, avatar_names.n6),
        7 => t_string!(i18n, avatar_names.n7),
        _ => t_string!(i18n, avatar_names.n8),
    }
    .to_owned()
}

#[component]
pub fn AvatarChooser(
    /// The avatar in the settings being edited.
    current: Signal<u8>,
    on_choose: Callback<u8>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    let picked = RwSignal::new(current.get_untracked());
    let open = move |_| {
        picked.set(current.get_untracked());
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The dialog sits inside the settings form: choosing an avatar must not submit that.
        ev.stop_propagation();
        on_choose.run(picked.get_untracked());
        close();
    };
    view! {
        <button type="button" class="button secondary" id="change-avatar" on:click=open>
            {tr!(i18n, settings.change_avatar)}
        </button>
        <dialog node_ref=dialog class="avatar-dialog" aria-labelledby="avatar-dialog-title">
            <form on:submit=on_submit>
                <fieldset class="avatar-grid">
                    <legend id="avatar-dialog-title">{tr!(i18n, settings.choose_avatar)}</legend>
                    {(1..=AVATAR_COUNT)
                        .map(|avatar| {
                            view! {
                                <label class="avatar-option">
                                    <input
                                        type="radio"
                                        name="avatar"
                                        value=avatar
                                        prop:checked=move || picked.get() == avatar
                                        on:change=move |_| picked.set(avatar)
                                    />
                                    <img src=avatar_src(avatar) alt="" width="64" height="64"/>
                                    <span>{move || avatar_name(avatar)}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button primary">{tr!(i18n, settings.use_avatar)}</button>
                    <button type="button" class="button secondary" on:click=move |_| close()>
                        {tr!(i18n, common.cancel)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
