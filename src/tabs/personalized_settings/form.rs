//! The Personalized Settings being edited, as plain Rust: the values of the form
//! (`crate::form`'s convention) and what only this form does (greetings, the typed concurrency).

use pc_model::settings::{parse_concurrency, GreetingMember, SettingsField, GREETINGS_MAX};
use pc_model::{
    Greeting, PersonalSettings, SaveSettings, SettingsContext, SettingsPage, Violation,
};
use serde::{Deserialize, Serialize};

use crate::form::{typed, Form, FormValues};

/// What the agent edits, on top of the version it was read at. Kept in the browser tab across a
/// sign-in when the session ends mid-edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsValues {
    pub version: i64,
    pub settings: PersonalSettings,
    /// PER-8 as typed, so that a value that is not a number is kept and explained, not lost.
    pub concurrency_text: String,
    pub context: SettingsContext,
}

pub type SettingsForm = Form<SettingsValues>;

impl SettingsValues {
    pub fn from_page(page: &SettingsPage) -> Self {
        let mut settings = page.settings.clone();
        if !page.context.bound_to_business_account {
            // Hidden and not applicable: a number kept from when the agent was bound must not
            // block every save with an error at a field the agent cannot see.
            settings.multimedia_concurrency = None;
        }
        SettingsValues {
            version: page.version,
            concurrency_text: settings
                .multimedia_concurrency
                .map(|v| v.to_string())
                .unwrap_or_default(),
            settings,
            context: page.context.clone(),
        }
    }

    /// The settings as they would be saved; the typed concurrency replaces the stored number.
    pub fn settings(&self) -> PersonalSettings {
        let mut settings = self.settings.clone();
        settings.multimedia_concurrency =
            parse_concurrency(&self.concurrency_text).unwrap_or(settings.multimedia_concurrency);
        settings
    }

    pub fn to_save(&self) -> SaveSettings {
        SaveSettings {
            version: self.version,
            settings: self.settings(),
        }
    }

    /// BEY-2: an earlier version's settings in the form, on top of the version read now (if
    /// the settings change before the save, it is refused as stale like any other).
    pub fn restoring(page: &SettingsPage, settings: &PersonalSettings) -> Self {
        SettingsValues::from_page(&SettingsPage {
            settings: settings.clone(),
            ..page.clone()
        })
    }

    /// A kept draft on top of a freshly loaded page: what was typed, at the version it was
    /// typed on (if the settings changed since, saving is refused as stale, as it would have
    /// been then).
    pub fn restored(self, page: &SettingsPage) -> Self {
        SettingsValues {
            context: page.context.clone(),
            ..self
        }
    }
}

impl FormValues for SettingsValues {
    type Field = SettingsField;

    /// The model's rules, and the typed concurrency's.
    fn violations(&self) -> Vec<(SettingsField, Violation)> {
        let mut errors = typed(self.settings().validate(&self.context));
        if let Err(violation) = parse_concurrency(&self.concurrency_text) {
            errors.retain(|(field, _)| *field != SettingsField::MultimediaConcurrency);
            errors.push((SettingsField::MultimediaConcurrency, violation));
        }
        errors
    }

    fn value_of(&self, field: SettingsField) -> String {
        let s = &self.settings;
        match field {
            SettingsField::Avatar => s.avatar.to_string(),
            SettingsField::Nickname => s.nickname.clone(),
            SettingsField::WorkEmail => s.work_email.clone(),
            SettingsField::Greetings => s.greetings.len().to_string(),
            SettingsField::Greeting(index, member) => s
                .greetings
                .get(index)
                .map(|g| match member {
                    GreetingMember::StartHour => g.start_hour.to_string(),
                    GreetingMember::EndHour => g.end_hour.to_string(),
                    GreetingMember::Text => g.text.clone(),
                })
                .unwrap_or_default(),
            SettingsField::Signature => s.signature.clone(),
            SettingsField::FollowOuConcurrency => s.follow_ou_concurrency.to_string(),
            SettingsField::MultimediaConcurrency => self.concurrency_text.clone(),
        }
    }

    /// Includes a typed concurrency that is not a number yet (it would be lost too); spaces
    /// around it are no change.
    fn differs_from(&self, original: &Self) -> bool {
        self.settings != original.settings
            || self.concurrency_text.trim() != original.concurrency_text.trim()
    }
}

impl SettingsForm {
    pub fn greeting_count(&self) -> usize {
        self.with(|v| v.settings.greetings.len())
    }

    pub fn can_add_greeting(&self) -> bool {
        self.greeting_count() < GREETINGS_MAX
    }

    /// Adds a one-hour greeting at the first hour no greeting covers yet.
    pub fn add_greeting(&self) {
        if !self.can_add_greeting() {
            return;
        }
        self.update(|v| {
            let greetings = &mut v.settings.greetings;
            let free = (0..24u8)
                .find(|hour| !greetings.iter().any(|g| g.covers(*hour)))
                .unwrap_or(0);
            greetings.push(Greeting {
                start_hour: free,
                end_hour: (free + 1) % 24,
                text: String::new(),
            });
        });
    }

    pub fn remove_greeting(&self, index: usize) {
        self.update(|v| {
            if index < v.settings.greetings.len() {
                v.settings.greetings.remove(index);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use leptos::prelude::*;
    use pc_model::FieldError;

    use super::*;

    fn page() -> SettingsPage {
        SettingsPage {
            settings: PersonalSettings {
                multimedia_concurrency: Some(7),
                ..Default::default()
            },
            version: 3,
            context: SettingsContext {
                tenant_signature: String::new(),
                ou_concurrency: None,
                tenant_concurrency: 10,
                bound_to_business_account: true,
                username: "Alice Wang".into(),
            },
        }
    }

    fn form() -> SettingsForm {
        SettingsForm::new(SettingsValues::from_page(&page()))
    }

    fn type_concurrency(form: SettingsForm, text: &str) {
        form.update(|v| v.concurrency_text = text.into());
    }

    #[test]
    fn a_new_form_is_clean_and_valid() {
        let form = form();
        assert!(!form.is_dirty());
        assert!(form.errors().is_empty());
        assert_eq!(form.values_untracked().concurrency_text, "7");
        assert_eq!(form.values_untracked().version, 3);
    }

    #[test]
    fn typed_concurrency_that_is_not_a_number_is_kept_and_explained() {
        let form = form();
        type_concurrency(form, "seven");
        assert_eq!(
            form.error(SettingsField::MultimediaConcurrency),
            Some(Violation::OutOfRange { min: 1, max: 60 })
        );
        assert_eq!(form.values_untracked().concurrency_text, "seven");
        type_concurrency(form, "");
        assert_eq!(
            form.values_untracked().settings().multimedia_concurrency,
            None
        );
        assert!(form.is_dirty());
    }

    #[test]
    fn a_concurrency_that_is_not_a_number_yet_counts_as_a_change() {
        let form = form();
        type_concurrency(form, "seven");
        assert!(form.is_dirty());
        type_concurrency(form, " 7 ");
        assert!(!form.is_dirty());
    }

    #[test]
    fn an_unbound_agent_never_sends_a_concurrency() {
        let mut unbound = page();
        unbound.context.bound_to_business_account = false;
        let form = SettingsForm::new(SettingsValues::from_page(&unbound));
        assert_eq!(
            form.values_untracked().settings().multimedia_concurrency,
            None
        );
        assert!(form.errors().is_empty());
        assert!(!form.is_dirty());
    }

    #[test]
    fn a_restored_draft_brings_back_the_typing_and_its_version() {
        let form = form();
        form.update(|v| v.settings.nickname = "Typed".into());
        type_concurrency(form, "oops");
        let kept = form.values_untracked();
        let newer = SettingsPage {
            version: 9,
            ..page()
        };
        let fresh = SettingsForm::new(SettingsValues::from_page(&newer));
        fresh.update(|v| *v = kept.restored(&newer));
        assert_eq!(fresh.values_untracked().version, 3);
        assert_eq!(fresh.with(|v| v.settings.nickname.clone()), "Typed");
        assert_eq!(fresh.values_untracked().concurrency_text, "oops");
        assert!(fresh.is_dirty());
    }

    #[test]
    fn a_restored_version_is_a_change_on_top_of_the_version_read_now() {
        let form = form();
        let earlier = PersonalSettings {
            nickname: "Earlier".into(),
            multimedia_concurrency: Some(3),
            ..Default::default()
        };
        form.update(|v| *v = SettingsValues::restoring(&page(), &earlier));
        assert!(form.is_dirty());
        let values = form.values_untracked();
        assert_eq!(values.version, 3);
        assert_eq!(values.concurrency_text, "3");
        assert_eq!(values.to_save().settings, earlier);
    }

    #[test]
    fn greetings_are_added_at_a_free_hour_up_to_four() {
        let form = form();
        for _ in 0..5 {
            form.add_greeting();
        }
        assert_eq!(form.greeting_count(), 4);
        assert!(!form.can_add_greeting());
        let ranges: Vec<_> = form.with(|v| {
            v.settings
                .greetings
                .iter()
                .map(|g| (g.start_hour, g.end_hour))
                .collect()
        });
        assert_eq!(ranges, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        form.remove_greeting(1);
        assert_eq!(form.greeting_count(), 3);
        assert!(form.can_add_greeting());
        // The new greeting's text is empty: the form says it is required.
        assert_eq!(
            form.error(SettingsField::Greeting(0, GreetingMember::Text)),
            Some(Violation::Required)
        );
    }

    #[test]
    fn a_server_refusal_stays_until_the_field_changes() {
        let form = form();
        form.update(|v| v.settings.work_email = "taken@northwind.example".into());
        form.refuse(vec![FieldError::new(
            SettingsField::WorkEmail,
            Violation::EmailTaken,
        )]);
        assert_eq!(
            form.error(SettingsField::WorkEmail),
            Some(Violation::EmailTaken)
        );
        form.update(|v| v.settings.nickname = "Ann".into());
        assert_eq!(
            form.error(SettingsField::WorkEmail),
            Some(Violation::EmailTaken)
        );
        form.update(|v| v.settings.work_email = "free@northwind.example".into());
        assert_eq!(form.error(SettingsField::WorkEmail), None);
    }

    #[test]
    fn recording_a_refusal_does_not_subscribe_to_the_draft() {
        let form = form();
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = runs.clone();
        // A memo re-runs, when read, only if something it read has changed since.
        let recorder = Memo::new(move |_| {
            form.refuse(vec![FieldError::new(
                SettingsField::WorkEmail,
                Violation::EmailTaken,
            )]);
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        });
        recorder.get_untracked();
        form.update(|v| v.settings.work_email = "other@northwind.example".into());
        recorder.get_untracked();
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(form.error(SettingsField::WorkEmail), None);
    }

    #[test]
    fn a_refusal_of_a_greeting_member_stays_until_that_member_changes() {
        let form = form();
        form.add_greeting();
        form.update(|v| v.settings.greetings[0].text = "Hi".into());
        let text = SettingsField::Greeting(0, GreetingMember::Text);
        form.refuse(vec![FieldError::new(text, Violation::TooLong { max: 1 })]);
        assert_eq!(form.error(text), Some(Violation::TooLong { max: 1 }));
        form.update(|v| v.settings.greetings[0].end_hour = 5);
        assert_eq!(form.error(text), Some(Violation::TooLong { max: 1 }));
        form.update(|v| v.settings.greetings[0].text = "H".into());
        assert_eq!(form.error(text), None);
    }
}
