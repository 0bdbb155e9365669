//! The Personalized Settings rules (PER-1 … PER-8), by example and by property.

use pc_model::settings::*;
use pc_model::{FieldError, Violation};
use proptest::prelude::*;

fn context() -> SettingsContext {
    SettingsContext {
        tenant_signature: "Best regards".into(),
        ou_concurrency: Some(5),
        tenant_concurrency: 10,
        bound_to_business_account: true,
        username: "Alice Wang".into(),
    }
}

fn greeting(start_hour: u8, end_hour: u8) -> Greeting {
    Greeting {
        start_hour,
        end_hour,
        text: "Hello".into(),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn violation_of(settings: &PersonalSettings, field: &str) -> Option<Violation> {
    settings
        .validate(&context())
        .err()
        .and_then(|errors| errors.into_iter().find(|e| e.field == field))
        .map(|e| e.violation)
}

#[test]
fn the_defaults_are_valid() {
    assert_eq!(PersonalSettings::default().validate(&context()), Ok(()));
}

#[test]
fn per1_there_are_exactly_eight_avatars() {
    for avatar in 1..=8 {
        let settings = PersonalSettings {
            avatar,
            ..Default::default()
        };
        assert_eq!(violation_of(&settings, "avatar"), None);
    }
    for avatar in [0, 9] {
        let settings = PersonalSettings {
            avatar,
            ..Default::default()
        };
        assert_eq!(
            violation_of(&settings, "avatar"),
            Some(Violation::OutOfRange { min: 1, max: 8 })
        );
    }
}

#[test]
fn per2_nickname_counts_characters_and_names_forbidden_ones() {
    assert_eq!(nickname_violation(&"坐".repeat(20)), None);
    assert_eq!(
        nickname_violation(&"坐".repeat(21)),
        Some(Violation::TooLong { max: 20 })
    );
    assert_eq!(
        nickname_violation("Ann (Care) #1 (x)"),
        Some(Violation::ForbiddenCharacters {
            chars: vec!['(', ')', '#']
        })
    );
    assert_eq!(nickname_violation(""), None);
    assert_eq!(nickname_violation("Ann-Marie_2 小王"), None);
}

#[test]
fn per3_work_email_must_be_an_address_or_empty() {
    assert_eq!(work_email_violation(""), None);
    assert_eq!(work_email_violation("alice.wang@northwind.example"), None);
    for bad in [
        "alice",
        "alice@",
        "@northwind.example",
        "alice@localhost",
        "a b@c.example",
        " a@b.example",
        "a@b.example.",
    ] {
        assert_eq!(
            work_email_violation(bad),
            Some(Violation::InvalidEmail),
            "{bad}"
        );
    }
}

#[test]
fn per4_hours_are_whole_and_midnight_ends_the_day() {
    assert_eq!(end_hour_violation(&greeting(23, 0)), None);
    assert_eq!(end_hour_violation(&greeting(0, 0)), None);
    assert_eq!(end_hour_violation(&greeting(8, 12)), None);
    assert_eq!(
        end_hour_violation(&greeting(12, 12)),
        Some(Violation::EndNotAfterStart)
    );
    assert_eq!(
        end_hour_violation(&greeting(12, 8)),
        Some(Violation::EndNotAfterStart)
    );
    assert_eq!(
        end_hour_violation(&greeting(1, 24)),
        Some(Violation::OutOfRange { min: 0, max: 23 })
    );
    assert_eq!(
        start_hour_violation(24),
        Some(Violation::OutOfRange { min: 0, max: 23 })
    );
    assert!(greeting(22, 0).covers(23));
    assert!(!greeting(8, 12).covers(12));
}

#[test]
fn per4_at_most_four_greetings_that_do_not_overlap() {
    let four = PersonalSettings {
        greetings: vec![
            greeting(0, 6),
            greeting(6, 12),
            greeting(12, 18),
            greeting(18, 0),
        ],
        ..Default::default()
    };
    assert_eq!(four.validate(&context()), Ok(()));
    let five = PersonalSettings {
        greetings: vec![
            greeting(0, 1),
            greeting(1, 2),
            greeting(2, 3),
            greeting(3, 4),
            greeting(4, 5),
        ],
        ..Default::default()
    };
    assert_eq!(
        violation_of(&five, "greetings"),
        Some(Violation::TooMany { max: 4 })
    );
    let overlapping = PersonalSettings {
        greetings: vec![greeting(8, 12), greeting(11, 14)],
        ..Default::default()
    };
    let errors = overlapping.validate(&context()).unwrap_err();
    assert_eq!(
        fields(&errors),
        ["greetings[0].end_hour", "greetings[1].end_hour"]
    );
    assert_eq!(errors[0].violation, Violation::Overlaps { other: 2 });
    assert_eq!(errors[1].violation, Violation::Overlaps { other: 1 });
}

#[test]
fn per4_greeting_text_is_required_short_and_plain() {
    assert_eq!(greeting_text_violation(" "), Some(Violation::Required));
    assert_eq!(greeting_text_violation(&"好".repeat(200)), None);
    assert_eq!(
        greeting_text_violation(&"好".repeat(201)),
        Some(Violation::TooLong { max: 200 })
    );
    assert_eq!(
        greeting_text_violation("Hi <b>there</b>"),
        Some(Violation::ForbiddenCharacters {
            chars: vec!['<', '>', '/']
        })
    );
}

#[test]
fn per5_the_agent_signature_wins_over_the_tenant_signature() {
    let mut settings = PersonalSettings::default();
    assert_eq!(
        signature_in_effect(&settings, &context()),
        SignatureInEffect::Tenant
    );
    settings.signature = "Alice, Northwind Care".into();
    assert_eq!(
        signature_in_effect(&settings, &context()),
        SignatureInEffect::Agent
    );
    let no_tenant = SettingsContext {
        tenant_signature: String::new(),
        ..context()
    };
    assert_eq!(
        signature_in_effect(&PersonalSettings::default(), &no_tenant),
        SignatureInEffect::None
    );
    settings.signature = "x".repeat(1001);
    assert_eq!(
        violation_of(&settings, "signature"),
        Some(Violation::TooLong { max: 1000 })
    );
}

#[test]
fn per8_concurrency_is_1_to_60_and_only_for_bound_agents() {
    for (value, expected) in [
        (Some(1), None),
        (Some(60), None),
        (None, None),
        (Some(0), Some(Violation::OutOfRange { min: 1, max: 60 })),
        (Some(61), Some(Violation::OutOfRange { min: 1, max: 60 })),
    ] {
        let settings = PersonalSettings {
            multimedia_concurrency: value,
            ..Default::default()
        };
        assert_eq!(
            violation_of(&settings, "multimedia_concurrency"),
            expected,
            "{value:?}"
        );
    }
    let unbound = SettingsContext {
        bound_to_business_account: false,
        ..context()
    };
    let settings = PersonalSettings {
        multimedia_concurrency: Some(3),
        ..Default::default()
    };
    let errors = settings.validate(&unbound).unwrap_err();
    assert_eq!(errors[0].violation, Violation::NotAvailable);
}

#[test]
fn per8_typed_concurrency_is_empty_or_a_whole_number_in_range() {
    let range = Err(Violation::OutOfRange { min: 1, max: 60 });
    assert_eq!(parse_concurrency(""), Ok(None));
    assert_eq!(parse_concurrency(" 12 "), Ok(Some(12)));
    assert_eq!(parse_concurrency("60"), Ok(Some(60)));
    for bad in ["0", "61", "300", "1.5", "-3", "ten"] {
        assert_eq!(parse_concurrency(bad), range, "{bad}");
    }
}

#[test]
fn per8_priority_agent_then_ou_then_tenant_with_the_tenant_as_cap() {
    let own = |value, follow| PersonalSettings {
        multimedia_concurrency: value,
        follow_ou_concurrency: follow,
        ..Default::default()
    };
    let at = |value, source| EffectiveConcurrency { value, source };
    use ConcurrencySource::*;
    let ctx = context(); // OU 5, tenant 10
    assert_eq!(
        effective_concurrency(&own(Some(8), false), &ctx),
        at(8, Agent)
    );
    assert_eq!(
        effective_concurrency(&own(Some(8), true), &ctx),
        at(5, OrgUnit)
    );
    assert_eq!(
        effective_concurrency(&own(None, false), &ctx),
        at(5, OrgUnit)
    );
    assert_eq!(
        effective_concurrency(&own(Some(30), false), &ctx),
        at(10, Tenant)
    );
    let no_ou = SettingsContext {
        ou_concurrency: None,
        ..context()
    };
    assert_eq!(
        effective_concurrency(&own(None, false), &no_ou),
        at(10, Tenant)
    );
    let big_ou = SettingsContext {
        ou_concurrency: Some(12),
        ..context()
    };
    assert_eq!(
        effective_concurrency(&own(None, true), &big_ou),
        at(10, Tenant)
    );
}

fn allowed_nickname_char() -> impl Strategy<Value = char> {
    any::<char>().prop_filter("allowed", |c| !NICKNAME_FORBIDDEN.contains(c))
}

proptest! {
    #[test]
    fn any_nickname_with_a_forbidden_character_is_refused_naming_it(
        before in proptest::collection::vec(allowed_nickname_char(), 0..8),
        bad in proptest::sample::select(NICKNAME_FORBIDDEN),
        after in proptest::collection::vec(allowed_nickname_char(), 0..8),
    ) {
        let nickname: String = before.iter().chain(std::iter::once(&bad)).chain(&after).collect();
        match nickname_violation(&nickname) {
            Some(violation @ Violation::ForbiddenCharacters { .. }) => {
                let Violation::ForbiddenCharacters { ref chars } = violation else { unreachable!() };
                prop_assert_eq!(chars, &vec![bad]);
                prop_assert!(violation.english().contains(bad));
            }
            other => prop_assert!(false, "{:?} for {:?}", other, nickname),
        }
    }

    #[test]
    fn any_allowed_nickname_within_the_limit_is_accepted(
        chars in proptest::collection::vec(allowed_nickname_char(), 0..=20),
    ) {
        let nickname: String = chars.into_iter().collect();
        prop_assert_eq!(nickname_violation(&nickname), None);
    }

    #[test]
    fn any_greeting_text_with_a_forbidden_character_is_refused_naming_it(
        prefix in "[a-zA-Z0-9 ,.!?你好]{1,50}",
        bad in proptest::sample::select(GREETING_FORBIDDEN),
    ) {
        let text = format!("{prefix}{bad}");
        prop_assert_eq!(
            greeting_text_violation(&text),
            Some(Violation::ForbiddenCharacters { chars: vec![bad] })
        );
    }

    #[test]
    fn any_plain_greeting_text_within_the_limit_is_accepted(text in "[^<>'\"/\\\\]{1,200}") {
        prop_assume!(!text.trim().is_empty());
        prop_assert_eq!(greeting_text_violation(&text), None);
    }

    #[test]
    fn overlap_detection_agrees_with_an_hour_by_hour_check(
        ranges in proptest::collection::vec((0u8..24, 1u8..=24), 0..=4),
    ) {
        let greetings: Vec<Greeting> = ranges
            .into_iter()
            .filter(|(start, end)| start < end)
            .map(|(start, end)| greeting(start, end % 24))
            .collect();
        // Hours counted from the raw values, independently of the model: an end of 0 is 24.
        let hours = |g: &Greeting| {
            let end = if g.end_hour == 0 { 24 } else { g.end_hour };
            (g.start_hour..end).collect::<Vec<u8>>()
        };
        let shared = |a: &Greeting, b: &Greeting| hours(a).iter().any(|h| hours(b).contains(h));
        let found = overlaps(&greetings);
        for (i, a) in greetings.iter().enumerate() {
            let shares_an_hour = greetings.iter().enumerate().any(|(j, b)| j != i && shared(a, b));
            prop_assert_eq!(found[i].is_some(), shares_an_hour, "{:?}", greetings);
            if let Some(other) = found[i] {
                prop_assert!(other != i + 1 && shared(a, &greetings[other - 1]));
            }
        }
    }

    #[test]
    fn the_tenant_value_always_caps_the_effective_concurrency(
        agent in proptest::option::of(1u8..=60),
        ou in proptest::option::of(1u8..=60),
        tenant in 1u8..=60,
        follow in any::<bool>(),
    ) {
        let settings = PersonalSettings {
            multimedia_concurrency: agent,
            follow_ou_concurrency: follow,
            ..Default::default()
        };
        let ctx = SettingsContext { ou_concurrency: ou, tenant_concurrency: tenant, ..context() };
        let effective = effective_concurrency(&settings, &ctx);
        prop_assert!(effective.value <= tenant);
        let wanted = if follow { None } else { agent }.or(ou).unwrap_or(tenant);
        prop_assert_eq!(effective.value, wanted.min(tenant));
    }
}
