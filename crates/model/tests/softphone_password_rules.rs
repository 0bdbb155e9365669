//! AGT-4: the softphone password rule by property: the checklist the app shows and the verdict
//! the server gives always agree, and each item means what it says.

use pc_model::softphone_password::*;
use pc_model::Violation;
use proptest::prelude::*;

/// Passwords near the rule: letters, digits, allowed and forbidden specials, 0–20 characters.
fn candidate() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('A', 'Z'),
            proptest::char::range('a', 'z'),
            proptest::char::range('0', '9'),
            proptest::sample::select(PASSWORD_SPECIALS.to_vec()),
            proptest::sample::select(vec!['!', '#', ' ', '-', '坐', 'é']),
        ],
        0..20,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn the_checklist_and_the_verdict_agree(password in candidate()) {
        let checklist = PasswordChecklist::of(&password);
        let verdict = softphone_password_violation(&password);
        prop_assert_eq!(checklist.all_met(), verdict.is_none(), "{:?} {:?}", checklist, verdict);
    }

    #[test]
    fn each_item_means_what_it_says(password in candidate()) {
        let checklist = PasswordChecklist::of(&password);
        let count = password.chars().count();
        prop_assert_eq!(checklist.length, (8..=16).contains(&count));
        let allowed = password
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(&c));
        prop_assert_eq!(checklist.allowed_characters, allowed);
        let kinds = [
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| PASSWORD_SPECIALS.contains(&c)),
        ];
        prop_assert_eq!(checklist.kinds, kinds.iter().filter(|&&k| k).count() >= 3);
    }

    #[test]
    fn a_request_is_valid_exactly_when_every_field_is(
        password in candidate(),
        same in any::<bool>(),
        code in "[0-9]{6}|[0-9a]{0,7}",
    ) {
        let confirmation = if same { password.clone() } else { format!("{password}x") };
        let request = ResetSoftphonePassword { password: password.clone(), confirmation, code: code.clone() };
        let expected = PasswordChecklist::of(&password).all_met()
            && same
            && code.len() == 6
            && code.bytes().all(|b| b.is_ascii_digit());
        prop_assert_eq!(request.validate(TwoFactorMethod::Sms).is_ok(), expected);
        // Without two-factor the code does not matter.
        let no_code = PasswordChecklist::of(&password).all_met() && same;
        prop_assert_eq!(request.validate(TwoFactorMethod::None).is_ok(), no_code);
    }
}

#[test]
fn a_mismatch_is_reported_at_the_confirmation() {
    let request = ResetSoftphonePassword {
        password: "Abcdef12".into(),
        confirmation: "Abcdef13".into(),
        code: String::new(),
    };
    let errors = request.validate(TwoFactorMethod::Email).unwrap_err();
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.violation.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("confirmation", Violation::Mismatch),
            ("code", Violation::Required)
        ]
    );
}
