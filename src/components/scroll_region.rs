//! A table that may be wider than a narrow workbench iframe scrolls sideways in a region of its
//! own, which takes the keyboard focus to scroll, instead of widening the whole page.

use leptos::prelude::*;

#[component]
pub fn ScrollRegion(
    /// The id of the element that names the region (the table's caption or heading).
    labelled_by: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-labelledby=labelled_by tabindex="0">
            {children()}
        </div>
    }
}
