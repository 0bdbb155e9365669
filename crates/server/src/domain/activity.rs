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
    use proptest::prelude::*;

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

    fn any_settings() -> impl Strategy<Value = PersonalSettings> {
        let greeting =
            (0u8..3, 0u8..3, "[ab]{0,1}").prop_map(|(start_hour, end_hour, text)| Greeting {
                start_hour,
                end_hour,
                text,
            });
        (
            1u8..3,
            "[ab]{0,1}",
            "[ab]{0,1}",
            proptest::collection::vec(greeting, 0..2),
            "[ab]{0,1}",
            any::<bool>(),
            proptest::option::of(1u8..3),
        )
            .prop_map(
                |(
                    avatar,
                    nickname,
                    work_email,
                    greetings,
                    signature,
                    follow_ou_concurrency,
                    multimedia_concurrency,
                )| PersonalSettings {
                    avatar,
                    nickname,
                    work_email,
                    greetings,
                    signature,
                    follow_ou_concurrency,
                    multimedia_concurrency,
                },
            )
    }

    /// Each field's value as the request states it, to compare without the diff's own text.
    fn field_values(s: &PersonalSettings) -> Vec<(String, serde_json::Value)> {
        let serde_json::Value::Object(fields) = serde_json::to_value(s).unwrap() else {
            unreachable!("settings are an object")
        };
        fields.into_iter().collect()
    }

    proptest! {
        /// BEY-2: a version's changes name exactly the fields that differ from the one before,
        /// and read backwards they are the changes the other way.
        #[test]
        fn the_changes_are_exactly_the_fields_that_differ(
            old in any_settings(),
            new in any_settings(),
        ) {
            let changes = settings_changes(&old, &new);
            let differing: std::collections::BTreeSet<String> = field_values(&old)
                .into_iter()
                .zip(field_values(&new))
                .filter(|((_, a), (_, b))| a != b)
                .map(|((field, _), _)| field)
                .collect();
            let changed: std::collections::BTreeSet<String> =
                changes.iter().map(|c| c.field.clone()).collect();
            prop_assert_eq!(changed, differing);
            prop_assert!(changes.iter().all(|c| c.old != c.new));
            let backwards: Vec<FieldChange> = settings_changes(&new, &old)
                .into_iter()
                .map(|c| FieldChange { field: c.field, old: c.new, new: c.old })
                .collect();
            prop_assert_eq!(backwards, changes);
        }

        #[test]
        fn a_version_like_the_one_before_changes_nothing(settings in any_settings()) {
            prop_assert!(settings_changes(&settings, &settings.clone()).is_empty());
        }

        #[test]
        fn a_parameter_changes_only_when_its_value_does(old in "[ab]{0,2}", new in "[ab]{0,2}") {
            let change = parameter_change(ParameterId::CalloutCaller, &old, &new);
            prop_assert_eq!(change.is_some(), old != new);
            if let Some(change) = change {
                prop_assert_eq!(change.field, "callout_caller");
                prop_assert_eq!(change.old.unwrap_or_default(), old);
                prop_assert_eq!(change.new.unwrap_or_default(), new);
            }
        }
    }
}
