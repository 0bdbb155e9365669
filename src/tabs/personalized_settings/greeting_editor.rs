//! PER-4: up to four greetings, each for a range of whole hours, with a 24-hour strip that shows
//! which hours each greeting covers, where they overlap, which hours have none, and which
//! greeting is in use now.

use leptos::prelude::*;
use pc_model::settings::{GreetingMember, SettingsField, GREETING_TEXT_MAX};

use crate::components::field_error::FieldErrorText;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::tabs::personalized_settings::form::SettingsForm;

pub fn hour_label(hour: u8) -> String {
    format!("{:02}:00", hour % 24)
}

/// The hours for which `selected` holds, as ranges like `08:00–12:00, 14:00–00:00`.
pub fn hour_ranges(selected: impl Fn(u8) -> bool) -> String {
    let mut ranges = Vec::new();
    let mut start = None;
    for hour in 0..=24u8 {
        match (hour < 24 && selected(hour), start) {
            (true, None) => start = Some(hour),
            (false, Some(from)) => {
                ranges.push(format!("{}–{}", hour_label(from), hour_label(hour)));
                start = None;
            }
            _ => {}
        }
    }
    ranges.join(", ")
}

/// Start hours: 00:00 to 23:00. End hours: 01:00 to 23:00, then 00:00 for midnight.
const START_HOURS: [u8; 24] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
];
const END_HOURS: [u8; 24] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0,
];

#[component]
pub fn GreetingEditor(form: SettingsForm) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| form.greeting_count());
    let full = move || !form.can_add_greeting();
    view! {
        <fieldset class="greetings" aria-describedby="greetings-hint">
            <legend>{tr!(i18n, settings.greetings)}</legend>
            <p class="hint" id="greetings-hint">{tr!(i18n, settings.greetings_hint)}</p>
            <HourStrip form/>
            <FieldErrorText id="greetings-error" error=Signal::derive(move || form.error(SettingsField::Greetings))/>
            <ol class="greeting-list">
                {move || (0..count.get()).map(|index| view! { <GreetingRow form index/> }).collect_view()}
            </ol>
            // Not `disabled`: a disabled button cannot be focused, and the reason would go unheard.
            <button
                type="button"
                id="add-greeting"
                class="button secondary"
                aria-disabled=move || full().then_some("true")
                aria-describedby=move || full().then_some("add-greeting-why")
                on:click=move |_| {
                    if form.can_add_greeting() {
                        form.add_greeting();
                        let index = form.greeting_count() - 1;
                        request_animation_frame(move || focus_element(&format!("greeting-{index}-start")));
                    }
                }
            >
                {tr!(i18n, settings.add_greeting)}
            </button>
            <Show when=full>
                <p class="hint" id="add-greeting-why">{tr!(i18n, settings.add_greeting_full)}</p>
            </Show>
        </fieldset>
    }
}

#[component]
fn GreetingRow(form: SettingsForm, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let number = index + 1;
    let greeting =
        move || form.with(|v| v.settings.greetings.get(index).cloned().unwrap_or_default());
    let start_id = format!("greeting-{index}-start");
    let end_id = format!("greeting-{index}-end");
    let text_id = format!("greeting-{index}-text");
    let end_error =
        Signal::derive(move || form.error(SettingsField::Greeting(index, GreetingMember::EndHour)));
    let text_error =
        Signal::derive(move || form.error(SettingsField::Greeting(index, GreetingMember::Text)));
    let set = move |change: &dyn Fn(&mut pc_model::Greeting)| {
        form.update(|v| {
            if let Some(greeting) = v.settings.greetings.get_mut(index) {
                change(greeting);
            }
        })
    };
    let hour_of = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u8>().unwrap_or_default();
    let text_count = move || greeting().text.chars().count();
    let described =
        |id: &str, error: Signal<Option<pc_model::Violation>>, extra: Option<String>| {
            let id = id.to_owned();
            move || {
                let mut ids: Vec<String> = extra.iter().cloned().collect();
                if error.with(Option::is_some) {
                    ids.push(format!("{id}-error"));
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        };
    view! {
        <li class="greeting-row">
            <fieldset>
                <legend>{t!(i18n, settings.greeting_number, number)}</legend>
                <div class="hours">
                    <div class="field">
                        <label for=start_id.clone()>{tr!(i18n, settings.start)}</label>
                        <select
                            id=start_id.clone()
                            on:change=move |ev| { let hour = hour_of(&ev); set(&|g| g.start_hour = hour) }
                        >
                            {START_HOURS.iter().map(|&hour| view! {
                                <option value=hour prop:selected=move || greeting().start_hour == hour>
                                    {hour_label(hour)}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field" class:field-invalid=move || end_error.with(Option::is_some)>
                        <label for=end_id.clone()>{tr!(i18n, settings.end)}</label>
                        <FieldErrorText id=format!("{end_id}-error") error=end_error/>
                        <select
                            id=end_id.clone()
                            aria-invalid=move || end_error.with(Option::is_some).then_some("true")
                            aria-describedby=described(&end_id, end_error, None)
                            on:change=move |ev| { let hour = hour_of(&ev); set(&|g| g.end_hour = hour) }
                        >
                            {END_HOURS.iter().map(|&hour| view! {
                                <option value=hour prop:selected=move || greeting().end_hour == hour>
                                    {hour_label(hour)}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field" class:field-invalid=move || text_error.with(Option::is_some)>
                    <label for=text_id.clone()>{tr!(i18n, settings.text)}</label>
                    <FieldErrorText id=format!("{text_id}-error") error=text_error/>
                    <input
                        id=text_id.clone()
                        type="text"
                        aria-invalid=move || text_error.with(Option::is_some).then_some("true")
                        aria-describedby=described(&text_id, text_error, Some(format!("{text_id}-count")))
                        prop:value=move || greeting().text
                        on:input=move |ev| { let text = event_target_value(&ev); set(&|g| g.text = text.clone()) }
                    />
                    <p class="hint" id=format!("{text_id}-count")>
                        {t!(i18n, settings.characters, count = text_count, max = GREETING_TEXT_MAX)}
                    </p>
                </div>
                <button
                    type="button"
                    class="button link"
                    id=format!("greeting-{index}-delete")
                    on:click=move |_| {
                        form.remove_greeting(index);
                        // The row is gone; the list's own control is the next sensible place.
                        request_animation_frame(|| focus_element("add-greeting"));
                    }
                >
                    {t!(i18n, settings.delete_greeting, number)}
                </button>
            </fieldset>
        </li>
    }
}

#[component]
fn HourStrip(form: SettingsForm) -> impl IntoView {
    let i18n = use_i18n();
    let current_hour = || js_sys::Date::new_0().get_hours() as u8;
    let now = RwSignal::new(current_hour());
    // "Active now" follows the clock while the agent keeps the form open.
    if let Ok(clock) = set_interval_with_handle(
        move || now.set(current_hour()),
        std::time::Duration::from_secs(60),
    ) {
        on_cleanup(move || clock.clear());
    }
    // For each hour of the day, the numbers of the greetings that cover it.
    let coverage = Memo::new(move |_| {
        form.with(|v| {
            (0..24u8)
                .map(|hour| {
                    v.settings
                        .greetings
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| g.covers(hour))
                        .map(|(i, _)| i + 1)
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    let at = move |hour: u8| move || coverage.with(|c| c[usize::from(hour)].clone());
    let uncovered = move || coverage.with(|c| hour_ranges(|h| c[usize::from(h)].is_empty()));
    let overlapping = move || coverage.with(|c| hour_ranges(|h| c[usize::from(h)].len() > 1));
    let active = move || coverage.with(|c| c[usize::from(now.get())].first().copied());
    view! {
        // The strip is a picture of the summary below it, which screen readers read instead.
        <div class="hour-strip" aria-hidden="true" data-testid="hour-strip">
            {(0..24u8).map(|hour| {
                let covering = at(hour);
                let class = move || {
                    let greetings = covering();
                    let mut class = String::from("hour");
                    if greetings.is_empty() {
                        class.push_str(" uncovered");
                    }
                    if greetings.len() > 1 {
                        class.push_str(" overlap");
                    }
                    if hour == now.get() {
                        class.push_str(" now");
                    }
                    class
                };
                view! {
                    <div class=class data-hour=hour>
                        <span class="hour-label">{format!("{hour:02}")}</span>
                        <span class="hour-greetings">
                            {move || covering().iter().map(usize::to_string).collect::<Vec<_>>().join("+")}
                        </span>
                    </div>
                }
            }).collect_view()}
        </div>
        <p class="strip-summary" data-testid="strip-summary">
            {move || {
                let hour = hour_label(now.get());
                match active() {
                    Some(number) => t!(i18n, settings.active_now, hour, number).into_any(),
                    None => t!(i18n, settings.none_active_now, hour).into_any(),
                }
            }}
            " "
            {move || {
                let ranges = uncovered();
                if ranges.is_empty() {
                    tr!(i18n, settings.all_hours_covered).into_any()
                } else if coverage.with(|c| c.iter().all(Vec::is_empty)) {
                    tr!(i18n, settings.no_hours_covered).into_any()
                } else {
                    t!(i18n, settings.uncovered_ranges, ranges).into_any()
                }
            }}
            {move || {
                let ranges = overlapping();
                (!ranges.is_empty()).then(|| view! {
                    " "<strong class="overlap-note">{t!(i18n, settings.overlap_ranges, ranges)}</strong>
                })
            }}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_grouped_into_ranges_with_midnight_as_an_end() {
        assert_eq!(hour_ranges(|h| (8..12).contains(&h)), "08:00–12:00");
        assert_eq!(
            hour_ranges(|h| !(2..22).contains(&h)),
            "00:00–02:00, 22:00–00:00"
        );
        assert_eq!(hour_ranges(|_| false), "");
        assert_eq!(hour_ranges(|_| true), "00:00–00:00");
    }
}
