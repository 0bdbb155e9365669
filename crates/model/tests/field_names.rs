//! Typed fields format as the wire names the server puts in `FieldError::field` and parse back
//! from them, so the app can key errors by type.

use pc_model::agent_info::PhoneField;
use pc_model::business_card::CardField;
use pc_model::parameters::ParameterField;
use pc_model::session::SignInField;
use pc_model::settings::{GreetingMember, SettingsField};
use pc_model::softphone_password::PasswordResetField;
use pc_model::{Field, FieldError, Greeting, PersonalSettings, SettingsContext, Violation};
use proptest::prelude::*;

fn round_trips<F: Field>(fields: &[F]) {
    for field in fields {
        let name = field.to_string();
        assert_eq!(name.parse::<F>().ok(), Some(*field), "{name}");
    }
}

#[test]
fn every_request_field_reads_back_as_it_was_written() {
    round_trips(SignInField::ALL);
    round_trips(PhoneField::ALL);
    round_trips(PasswordResetField::ALL);
    round_trips(CardField::ALL);
    round_trips(ParameterField::ALL);
    round_trips(&SettingsField::TOP_LEVEL);
    assert_eq!(
        SettingsField::Greeting(1, GreetingMember::EndHour).to_string(),
        "greetings[1].end_hour"
    );
    assert_eq!(PhoneField::FixedLine.to_string(), "fixed_line");
}

#[test]
fn names_of_other_requests_are_not_fields() {
    for name in [
        "",
        "greetings[",
        "greetings[].text",
        "greetings[-1].text",
        "greetings[1]text",
        "greetings[1].colour",
        "greetings[ 1].text",
        "Nickname",
        "fixed_line",
    ] {
        assert!(name.parse::<SettingsField>().is_err(), "{name}");
    }
    assert!("nickname".parse::<PhoneField>().is_err());
}

#[test]
fn the_rules_name_the_fields_the_types_name() {
    let settings = PersonalSettings {
        avatar: 0,
        nickname: "a#".into(),
        greetings: vec![Greeting {
            start_hour: 9,
            end_hour: 8,
            text: String::new(),
        }],
        ..Default::default()
    };
    let context = SettingsContext {
        tenant_signature: String::new(),
        ou_concurrency: None,
        tenant_concurrency: 10,
        bound_to_business_account: true,
        username: "Alice Wang".into(),
    };
    let fields: Vec<SettingsField> = settings
        .validate(&context)
        .unwrap_err()
        .iter()
        .map(|e| e.field_as().expect("a settings field"))
        .collect();
    assert_eq!(
        fields,
        [
            SettingsField::Avatar,
            SettingsField::Nickname,
            SettingsField::Greeting(0, GreetingMember::EndHour),
            SettingsField::Greeting(0, GreetingMember::Text),
        ]
    );
    let error = FieldError::new(PhoneField::Mobile, Violation::InvalidPhoneNumber);
    assert_eq!(error.field_as(), Some(PhoneField::Mobile));
    assert_eq!(error.field_as::<SignInField>(), None);
}

fn settings_field() -> impl Strategy<Value = SettingsField> {
    prop_oneof![
        proptest::sample::select(SettingsField::TOP_LEVEL.to_vec()),
        (
            any::<usize>(),
            proptest::sample::select(GreetingMember::ALL.to_vec())
        )
            .prop_map(|(index, member)| SettingsField::Greeting(index, member)),
    ]
}

proptest! {
    #[test]
    fn every_settings_field_reads_back(field in settings_field()) {
        prop_assert_eq!(field.to_string().parse::<SettingsField>(), Ok(field));
    }

    #[test]
    fn any_text_that_parses_is_the_canonical_name(text in "(greetings\\[[0-9 +-]{0,4}\\]\\.)?[a-z_]{0,24}|\\PC{0,30}") {
        if let Ok(field) = text.parse::<SettingsField>() {
            prop_assert_eq!(field.to_string(), text);
        }
    }
}
