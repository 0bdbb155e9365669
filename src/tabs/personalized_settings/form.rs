//! The Personalized Settings being edited: the draft, its errors and its changes, as plain Rust
//! (after the todomvc example: state as a type whose methods hold the logic).

use leptos::prelude::*;
use pc_model::settings::{parse_concurrency, AVATAR_COUNT, GREETINGS_MAX};
use pc_model::{FieldError, Greeting, PersonalSettings, SettingsContext, SettingsPage, Violation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A refusal from the server, with the value the field had when it was refused: once the agent
/// changes that field, the refusal no longer applies to it.
#[derive(Clone, Debug, PartialEq)]
struct ServerError {
    error: FieldError,
    value: Option<Value>,
}

/// What the agent had typed, kept across a sign-in when the session ends mid-edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: i64,
    pub settings: PersonalSettings,
    pub concurrency_text: String,
}

#[derive(Clone, Copy)]
pub struct SettingsForm {
    draft: RwSignal<PersonalSettings>,
    /// PER-8 as typed, so that a value that is not a number is kept and explained, not lost.
    concurrency_text: RwSignal<String>,
    original: StoredValue<PersonalSettings>,
    context: StoredValue<SettingsContext>,
    version: StoredValue<i64>,
    server_errors: RwSignal<Vec<ServerError>>,
}

/// `greetings[1].text` → `/greetings/1/text`, to read that field out of the settings as JSON.
fn json_pointer(field: &str) -> String {
    let path = field.replace("].", "/").replace('[', "/").replace(']', "");
    format!("/{path}")
}

fn field_value(settings: &PersonalSettings, field: &str) -> Option<Value> {
    serde_json::to_value(settings)
        .ok()
        .and_then(|json| json.pointer(&json_pointer(field)).cloned())
}

impl SettingsForm {
    pub fn new(page: &SettingsPage) -> Self {
        let mut settings = page.settings.clone();
        if !page.context.bound_to_business_account {
            // Hidden and not applicable: a number kept from when the agent was bound must not
            // block every save with an error at a field the agent cannot see.
            settings.multimedia_concurrency = None;
        }
        SettingsForm {
            draft: RwSignal::new(settings.clone()),
            concurrency_text: RwSignal::new(
                settings
                    .multimedia_concurrency
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            ),
            original: StoredValue::new(settings),
            context: StoredValue::new(page.context.clone()),
            version: StoredValue::new(page.version),
            server_errors: RwSignal::new(Vec::new()),
        }
    }

    pub fn version(&self) -> i64 {
        self.version.get_value()
    }

    pub fn draft(&self) -> Draft {
        Draft {
            version: self.version.get_value(),
            settings: self.draft.get_untracked(),
            concurrency_text: self.concurrency_text.get_untracked(),
        }
    }

    /// Puts back what was typed on top of `version`: if the settings changed since, saving is
    /// refused as stale, as it would have been then.
    pub fn restore(&self, draft: Draft) {
        self.version.set_value(draft.version);
        self.draft.set(draft.settings);
        self.concurrency_text.set(draft.concurrency_text);
    }

    pub fn context(&self) -> SettingsContext {
        self.context.get_value()
    }

    /// Reads the draft (tracked).
    pub fn with<T>(&self, f: impl FnOnce(&PersonalSettings) -> T) -> T {
        self.draft.with(f)
    }

    pub fn update(&self, f: impl FnOnce(&mut PersonalSettings)) {
        self.draft.update(f);
    }

    pub fn concurrency_text(&self) -> RwSignal<String> {
        self.concurrency_text
    }

    /// The draft as it would be saved; the typed concurrency replaces the stored number.
    pub fn settings(&self) -> PersonalSettings {
        let mut settings = self.draft.get();
        settings.multimedia_concurrency = parse_concurrency(&self.concurrency_text.get())
            .unwrap_or(settings.multimedia_concurrency);
        settings
    }

    /// Every error, each at its field: the model's rules, the typed concurrency, and what the
    /// server refused that the agent has not changed since.
    pub fn errors(&self) -> Vec<FieldError> {
        let settings = self.settings();
        let mut errors = settings
            .validate(&self.context.get_value())
            .err()
            .unwrap_or_default();
        if let Err(violation) = parse_concurrency(&self.concurrency_text.get()) {
            errors.retain(|e| e.field != "multimedia_concurrency");
            errors.push(FieldError::new("multimedia_concurrency", violation));
        }
        for server in self.server_errors.get() {
            let unchanged = field_value(&settings, &server.error.field) == server.value;
            let known = errors.iter().any(|e| e.field == server.error.field);
            if unchanged && !known {
                errors.push(server.error);
            }
        }
        errors
    }

    pub fn error(&self, field: &str) -> Option<Violation> {
        self.errors()
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| e.violation)
    }

    pub fn set_server_errors(&self, errors: Vec<FieldError>) {
        // Untracked: an effect that records a refusal must not re-run, and re-record it
        // against the new value, whenever the agent types.
        let settings = untrack(|| self.settings());
        self.server_errors.set(
            errors
                .into_iter()
                .map(|error| ServerError {
                    value: field_value(&settings, &error.field),
                    error,
                })
                .collect(),
        );
    }

    pub fn is_dirty_untracked(&self) -> bool {
        untrack(|| self.is_dirty())
    }

    /// Whether anything differs from what was loaded, including a typed concurrency that is
    /// not a number yet (it would be lost too).
    pub fn is_dirty(&self) -> bool {
        let original = self.original.get_value();
        let original_text = original
            .multimedia_concurrency
            .map(|v| v.to_string())
            .unwrap_or_default();
        self.draft.get() != original || self.concurrency_text.get().trim() != original_text
    }

    pub fn greeting_count(&self) -> usize {
        self.draft.with(|d| d.greetings.len())
    }

    pub fn can_add_greeting(&self) -> bool {
        self.greeting_count() < GREETINGS_MAX
    }

    /// Adds a one-hour greeting at the first hour no greeting covers yet.
    pub fn add_greeting(&self) {
        if !self.can_add_greeting() {
            return;
        }
        self.draft.update(|d| {
            let free = (0..24u8)
                .find(|hour| !d.greetings.iter().any(|g| g.covers(*hour)))
                .unwrap_or(0);
            d.greetings.push(Greeting {
                start_hour: free,
                end_hour: (free + 1) % 24,
                text: String::new(),
            });
        });
    }

    pub fn remove_greeting(&self, index: usize) {
        self.draft.update(|d| {
            if index < d.greetings.len() {
                d.greetings.remove(index);
            }
        });
    }
}

/// The avatar numbers in order, for the chooser.
pub fn avatars() -> impl Iterator<Item = u8> {
    1..=AVATAR_COUNT
}

#[cfg(test)]
mod tests {
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
            },
        }
    }

    #[test]
    fn a_new_form_is_clean_and_valid() {
        let form = SettingsForm::new(&page());
        assert!(!form.is_dirty());
        assert!(form.errors().is_empty());
        assert_eq!(form.concurrency_text().get_untracked(), "7");
        assert_eq!(form.version(), 3);
    }

    #[test]
    fn typed_concurrency_that_is_not_a_number_is_kept_and_explained() {
        let form = SettingsForm::new(&page());
        form.concurrency_text().set("seven".into());
        assert_eq!(
            form.error("multimedia_concurrency"),
            Some(Violation::OutOfRange { min: 1, max: 60 })
        );
        assert_eq!(form.concurrency_text().get_untracked(), "seven");
        form.concurrency_text().set("".into());
        assert_eq!(form.settings().multimedia_concurrency, None);
        assert!(form.is_dirty());
    }

    #[test]
    fn a_concurrency_that_is_not_a_number_yet_counts_as_a_change() {
        let form = SettingsForm::new(&page());
        form.concurrency_text().set("seven".into());
        assert!(form.is_dirty());
        form.concurrency_text().set(" 7 ".into());
        assert!(!form.is_dirty());
    }

    #[test]
    fn an_unbound_agent_never_sends_a_concurrency() {
        let mut unbound = page();
        unbound.context.bound_to_business_account = false;
        let form = SettingsForm::new(&unbound);
        assert_eq!(form.settings().multimedia_concurrency, None);
        assert!(form.errors().is_empty());
        assert!(!form.is_dirty());
    }

    #[test]
    fn a_restored_draft_brings_back_the_typing_and_its_version() {
        let form = SettingsForm::new(&page());
        form.update(|d| d.nickname = "Typed".into());
        form.concurrency_text().set("oops".into());
        let kept = form.draft();
        let fresh = SettingsForm::new(&SettingsPage {
            version: 9,
            ..page()
        });
        fresh.restore(kept);
        assert_eq!(fresh.version(), 3);
        assert_eq!(fresh.with(|d| d.nickname.clone()), "Typed");
        assert_eq!(fresh.concurrency_text().get_untracked(), "oops");
        assert!(fresh.is_dirty());
    }

    #[test]
    fn greetings_are_added_at_a_free_hour_up_to_four() {
        let form = SettingsForm::new(&page());
        for _ in 0..5 {
            form.add_greeting();
        }
        assert_eq!(form.greeting_count(), 4);
        assert!(!form.can_add_greeting());
        let ranges: Vec<_> = form.with(|d| {
            d.greetings
                .iter()
                .map(|g| (g.start_hour, g.end_hour))
                .collect()
        });
        assert_eq!(ranges, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        form.remove_greeting(1);
        assert_eq!(form.greeting_count(), 3);
        assert!(form.can_add_greeting());
        // The new greeting's text is empty: the form says it is required.
        assert_eq!(form.error("greetings[0].text"), Some(Violation::Required));
    }

    #[test]
    fn a_server_refusal_stays_until_the_field_changes() {
        let form = SettingsForm::new(&page());
        form.update(|d| d.work_email = "taken@northwind.example".into());
        form.set_server_errors(vec![FieldError::new("work_email", Violation::EmailTaken)]);
        assert_eq!(form.error("work_email"), Some(Violation::EmailTaken));
        form.update(|d| d.nickname = "Ann".into());
        assert_eq!(form.error("work_email"), Some(Violation::EmailTaken));
        form.update(|d| d.work_email = "free@northwind.example".into());
        assert_eq!(form.error("work_email"), None);
    }

    #[test]
    fn recording_a_refusal_does_not_subscribe_to_the_draft() {
        let form = SettingsForm::new(&page());
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = runs.clone();
        // A memo re-runs, when read, only if something it read has changed since.
        let recorder = Memo::new(move |_| {
            form.set_server_errors(vec![FieldError::new("work_email", Violation::EmailTaken)]);
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        });
        recorder.get_untracked();
        form.update(|d| d.work_email = "other@northwind.example".into());
        recorder.get_untracked();
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(form.error("work_email"), None);
    }

    #[test]
    fn fields_of_greetings_are_found_in_the_settings() {
        assert_eq!(json_pointer("greetings[1].text"), "/greetings/1/text");
        let mut settings = PersonalSettings::default();
        settings.greetings.push(Greeting {
            start_hour: 8,
            end_hour: 9,
            text: "Hi".into(),
        });
        assert_eq!(
            field_value(&settings, "greetings[0].text"),
            Some(Value::from("Hi"))
        );
        assert_eq!(field_value(&settings, "nickname"), Some(Value::from("")));
    }
}
