//! SEC-4: what a change changed, field by field, for the audit trail. Field names are the
//! request's own (`nickname`, `greetings`, a parameter's ID, …); secrets never appear.

use pc_model::settings::SettingsField;
use pc_model::{FieldChange, Greeting, ParameterId, PersonalSettings, SavePhoneNumbers};

fn greetings_text(greetings: &[Greeting]) -> String {
    greetings
        .iter()
        .map(|g| format!("{:02}:00–{:02}:00 {}", g.start_hour, g.end_hour, g.text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn concurrency_text(value: Option<u8>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The settings that differ between `old` and `new`.
pub fn settings_changes(old: &PersonalSettings, new: &PersonalSettings) -> Vec<FieldChange> {
    let values = |s: &PersonalSettings| {
        [
            (SettingsField::Avatar, s.avatar.to_string()),
            (SettingsField::Nickname, s.nickname.clone()),
            (SettingsField::WorkEmail, s.work_email.clone()),
            (SettingsField::Greetings, greetings_text(&s.greetings)),
            (SettingsField::Signature, s.signature.clone()),
            (
                SettingsField::FollowOuConcurrency,
                s.follow_ou_concurrency.to_string(),
            ),
            (
                SettingsField::MultimediaConcurrency,
                concurrency_text(s.multimedia_concurrency),
            ),
        ]
    };
    values(old)
        .into_iter()
        .zip(values(new))
        .filter_map(|((field, old), (_, new))| FieldChange::between(field.to_string(), &old, &new))
        .collect()
}

/// The phone numbers a save changes (AGT-6).
pub fn phone_changes(save: &SavePhoneNumbers) -> Vec<FieldChange> {
    [
        FieldChange::between("fixed_line", &save.was_fixed_line, &save.fixed_line),
        FieldChange::between("mobile", &save.was_mobile, &save.mobile),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A parameter's value from `old` to `new`, by the parameter's ID.
pub fn parameter_change(id: ParameterId, old: &str, new: &str) -> Option<FieldChange> {
    FieldChange::between(id.code(), old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_a_change() {
        let old = PersonalSettings::default();
        let mut new = old.clone();
        assert!(settings_changes(&old, &new).is_empty());
        new.nickname = "Ann".into();
        new.greetings.push(Greeting {
            start_hour: 8,
            end_hour: 12,
            text: "Morning".into(),
        });
        let changes = settings_changes(&old, &new);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["nickname", "greetings"]);
        assert_eq!(changes[1].new.as_deref(), Some("08:00–12:00 Morning"));
        assert_eq!(changes[1].old, None);
    }

    #[test]
    fn phone_changes_compare_with_the_numbers_the_agent_saw() {
        let save = SavePhoneNumbers {
            fixed_line: "110".into(),
            mobile: "+8613800138011".into(),
            was_fixed_line: "".into(),
            was_mobile: "+8613800138011".into(),
        };
        let changes = phone_changes(&save);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "fixed_line");
        assert_eq!(changes[0].new.as_deref(), Some("110"));
    }
}
