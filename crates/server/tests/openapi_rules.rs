//! SEC-3: the OpenAPI document says what the server enforces. For every rule the document
//! writes into a request schema, random values are judged by the schema (lengths, pattern,
//! bounds, as JSON Schema reads them) and by the model's own rule, and the two must agree.
//! Where the document says a rule is only partly expressible, a value the schema refuses must
//! still be refused by the model.

mod common;

use fancy_regex::Regex;
use pc_model::settings::{
    concurrency_violation, end_hour_violation, greeting_text_violation, nickname_violation,
    start_hour_violation, work_email_violation, PersonalSettings, SettingsContext, SettingsField,
};
use pc_model::{agent_info, softphone_password, validation, Greeting};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// Characters that each rule treats differently: letters and digits at the ends of their
/// ranges, the specials of the softphone password, every forbidden character of PER-2 and
/// PER-4, white space of four kinds, and Chinese.
const ALPHABET: &[char] = &[
    'a', 'z', 'A', 'Z', '0', '9', '+', '~', '@', '^', '*', '_', '.', '?', '!', '#', '$', '%', '&',
    '(', ')', '/', '=', '{', '}', ';', ':', '\'', '"', ',', '<', '>', '\\', '-', ' ', '\t', '\n',
    '\u{3000}', '坐', '席',
];
/// Characters that no rule forbids, so that long valid texts come up too.
const PLAIN: &[char] = &['a', 'z', 'A', 'Z', '0', '9', '坐', ' '];
/// What phone numbers are made of.
const DIALLED: &[char] = &['0', '5', '9', '+'];

/// The constraints of one string property, as a JSON Schema validator applies them.
struct StringSchema {
    min_length: usize,
    max_length: Option<usize>,
    pattern: Option<Regex>,
}

impl StringSchema {
    fn of(document: &Value, schema: &str, property: &str) -> StringSchema {
        let property = &document["components"]["schemas"][schema]["properties"][property];
        assert!(property.is_object(), "{schema}.{property} is documented");
        let length = |name: &str| property[name].as_u64().map(|n| n as usize);
        StringSchema {
            min_length: length("minLength").unwrap_or(0),
            max_length: length("maxLength"),
            pattern: property["pattern"]
                .as_str()
                .map(|pattern| Regex::new(pattern).expect("the pattern is a regular expression")),
        }
    }

    fn accepts(&self, value: &str) -> bool {
        let length = value.chars().count();
        length >= self.min_length
            && self.max_length.is_none_or(|max| length <= max)
            && self
                .pattern
                .as_ref()
                .is_none_or(|pattern| pattern.is_match(value).expect("the pattern can be matched"))
    }
}

fn bounds(document: &Value, schema: &str, property: &str) -> (i64, i64) {
    let property = &document["components"]["schemas"][schema]["properties"][property];
    let bound = |name: &str| {
        property[name]
            .as_i64()
            .unwrap_or_else(|| panic!("{schema}.{property} has a {name}"))
    };
    (bound("minimum"), bound("maximum"))
}

fn text_up_to(longest: usize) -> impl Strategy<Value = String> {
    let of = move |chars: &'static [char]| {
        prop::collection::vec(prop::sample::select(chars), 0..=longest + 3)
            .prop_map(|chars| chars.into_iter().collect::<String>())
    };
    prop_oneof![of(ALPHABET), of(PLAIN), of(DIALLED)]
}

/// Runs `check` on random texts a little longer than `longest`.
fn for_texts(longest: usize, check: impl Fn(&str) -> Result<(), TestCaseError>) {
    TestRunner::new(Config::with_cases(2000))
        .run(&text_up_to(longest), |text| check(&text))
        .unwrap();
}

fn agree<'a>(
    schema: &'a StringSchema,
    model_accepts: impl Fn(&str) -> bool + 'a,
) -> impl Fn(&str) -> Result<(), TestCaseError> + 'a {
    move |text| {
        prop_assert_eq!(schema.accepts(text), model_accepts(text), "{:?}", text);
        Ok(())
    }
}

fn schema_refusal_is_model_refusal<'a>(
    schema: &'a StringSchema,
    model_accepts: impl Fn(&str) -> bool + 'a,
) -> impl Fn(&str) -> Result<(), TestCaseError> + 'a {
    move |text| {
        prop_assert!(schema.accepts(text) || !model_accepts(text), "{:?}", text);
        Ok(())
    }
}

async fn document() -> Value {
    common::server().await.openapi_document().await
}

/// The settings page's context for an agent bound to a business account.
fn bound_agent() -> SettingsContext {
    SettingsContext {
        tenant_signature: String::new(),
        ou_concurrency: None,
        tenant_concurrency: 60,
        bound_to_business_account: true,
        username: "Alice".into(),
    }
}

fn settings_accept(settings: &PersonalSettings, field: SettingsField) -> bool {
    settings
        .validate(&bound_agent())
        .err()
        .into_iter()
        .flatten()
        .all(|error| error.field != field.to_string())
}

#[tokio::test]
async fn sign_in_fields_are_described_as_the_model_checks_them() {
    let document = document().await;
    let account = StringSchema::of(&document, "SignInRequest", "business_account");
    for_texts(
        pc_model::session::BUSINESS_ACCOUNT_MAX,
        agree(&account, |text| {
            validation::required_text(text, pc_model::session::BUSINESS_ACCOUNT_MAX).is_none()
        }),
    );
    let password = StringSchema::of(&document, "SignInRequest", "password");
    for_texts(
        pc_model::session::PASSWORD_MAX,
        agree(&password, |text| {
            validation::required_secret(text, pc_model::session::PASSWORD_MAX).is_none()
        }),
    );
}

#[tokio::test]
async fn phone_numbers_are_described_as_the_model_checks_them() {
    let document = document().await;
    for field in ["fixed_line", "mobile"] {
        let schema = StringSchema::of(&document, "SavePhoneNumbers", field);
        for_texts(
            validation::PHONE_MAX,
            agree(&schema, |text| {
                agent_info::optional_phone_violation(text).is_none()
            }),
        );
        for number in ["110", "+12", "+8613800138000", ""] {
            assert!(schema.accepts(number), "{field}: {number}");
        }
    }
}

#[tokio::test]
async fn the_softphone_password_is_described_as_the_model_checks_it() {
    let document = document().await;
    let password = StringSchema::of(&document, "ResetSoftphonePassword", "password");
    for_texts(
        softphone_password::PASSWORD_MAX,
        agree(&password, |text| {
            softphone_password::softphone_password_violation(text).is_none()
        }),
    );
    for good in ["Abcdefg1", "abc~1234", "ABC@def_", "A1.b?Z9*x+~^@_c"] {
        assert!(password.accepts(good), "{good}");
    }
    // The confirmation repeats the password: whatever the schema refuses is not a password.
    let confirmation = StringSchema::of(&document, "ResetSoftphonePassword", "confirmation");
    for_texts(
        softphone_password::PASSWORD_MAX,
        schema_refusal_is_model_refusal(&confirmation, |text| {
            softphone_password::softphone_password_violation(text).is_none()
        }),
    );
}

#[tokio::test]
async fn personal_settings_are_described_as_the_model_checks_them() {
    let document = document().await;
    let nickname = StringSchema::of(&document, "PersonalSettings", "nickname");
    for_texts(
        pc_model::settings::NICKNAME_MAX,
        agree(&nickname, |text| nickname_violation(text).is_none()),
    );
    let greeting = StringSchema::of(&document, "Greeting", "text");
    for_texts(
        pc_model::settings::GREETING_TEXT_MAX,
        agree(&greeting, |text| greeting_text_violation(text).is_none()),
    );
    let signature = StringSchema::of(&document, "PersonalSettings", "signature");
    for_texts(
        pc_model::settings::SIGNATURE_MAX,
        agree(&signature, |text| {
            settings_accept(
                &PersonalSettings {
                    signature: text.to_owned(),
                    ..PersonalSettings::default()
                },
                SettingsField::Signature,
            )
        }),
    );
    // Only the length of an address is expressed; the document says the rest.
    let email = StringSchema::of(&document, "PersonalSettings", "work_email");
    TestRunner::new(Config::with_cases(500))
        .run(&(0usize..300), |local| {
            let address = format!("{}@example.com", "a".repeat(local));
            prop_assert!(email.accepts(&address) || work_email_violation(&address).is_some());
            prop_assert_eq!(
                email.accepts(&address),
                address.chars().count() <= pc_model::settings::EMAIL_MAX
            );
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn numbers_and_lists_are_bounded_as_the_model_bounds_them() {
    let document = document().await;
    let settings_with = |change: &dyn Fn(&mut PersonalSettings)| {
        let mut settings = PersonalSettings::default();
        change(&mut settings);
        settings
    };
    let (min, max) = bounds(&document, "PersonalSettings", "avatar");
    for avatar in 0..=u8::MAX {
        let settings = settings_with(&|s| s.avatar = avatar);
        assert_eq!(
            (min..=max).contains(&avatar.into()),
            settings_accept(&settings, SettingsField::Avatar),
            "avatar {avatar}"
        );
    }
    let (min, max) = bounds(&document, "PersonalSettings", "multimedia_concurrency");
    for value in 0..=u8::MAX {
        assert_eq!(
            (min..=max).contains(&value.into()),
            concurrency_violation(Some(value)).is_none(),
            "concurrency {value}"
        );
    }
    for member in ["start_hour", "end_hour"] {
        let (min, max) = bounds(&document, "Greeting", member);
        for hour in 0..=u8::MAX {
            let greeting = Greeting {
                start_hour: if member == "start_hour" { hour } else { 0 },
                end_hour: if member == "end_hour" { hour } else { 0 },
                text: "Hello".into(),
            };
            let in_bounds = (min..=max).contains(&hour.into());
            if member == "start_hour" {
                assert_eq!(in_bounds, start_hour_violation(hour).is_none(), "{hour}");
            } else {
                // The end must also come after the start, which the document says in words.
                assert!(
                    in_bounds || end_hour_violation(&greeting).is_some(),
                    "{hour}"
                );
            }
        }
    }
    let schemas = &document["components"]["schemas"];
    let max_greetings = schemas["PersonalSettings"]["properties"]["greetings"]["maxItems"]
        .as_u64()
        .expect("greetings have a maxItems") as usize;
    for count in 0..=max_greetings + 2 {
        let greetings = (0..count)
            .map(|i| Greeting {
                start_hour: i as u8,
                end_hour: i as u8 + 1,
                text: "Hello".into(),
            })
            .collect();
        let settings = settings_with(&|s| s.greetings = Vec::clone(&greetings));
        assert_eq!(
            count <= max_greetings,
            settings_accept(&settings, SettingsField::Greetings),
            "{count} greetings"
        );
    }
    let min_ids = schemas["ParameterBatch"]["properties"]["ids"]["minItems"]
        .as_u64()
        .expect("ids have a minItems") as usize;
    for count in 0..=2 {
        let batch = pc_model::ParameterBatch {
            version: 0,
            ids: pc_model::ParameterId::ALL[..count].to_vec(),
        };
        assert_eq!(count >= min_ids, batch.validate().is_ok(), "{count} ids");
    }
}

#[tokio::test]
async fn a_card_request_names_both_its_ou_and_its_channel() {
    let document = document().await;
    let card = &document["components"]["schemas"]["GenerateBusinessCard"];
    for field in ["org_unit_id", "channel_id"] {
        assert!(
            card["required"]
                .as_array()
                .is_some_and(|required| required.iter().any(|name| name == field)),
            "{field} is required"
        );
        assert_eq!(card["properties"][field]["type"], "integer", "{field}");
    }
    // The model refuses a request without them, at each field.
    let missing = pc_model::GenerateBusinessCard {
        org_unit_id: None,
        channel_id: None,
    };
    let fields: Vec<String> = missing
        .validate(&[])
        .unwrap_err()
        .into_iter()
        .map(|error| error.field)
        .collect();
    assert_eq!(fields, ["org_unit_id", "channel_id"]);
}
