//! SEC-3: the rules of the request types, written into the OpenAPI document from the same
//! constants the validation functions use, so that a client generated from the document sends
//! what the server accepts. What JSON Schema cannot say (a rule across fields or against the
//! stored data) is said in the schema's description instead.

use std::collections::BTreeMap;

use utoipa::openapi::schema::{Object, Schema, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

use crate::session::{BUSINESS_ACCOUNT_MAX, PASSWORD_MAX as SIGN_IN_PASSWORD_MAX};
use crate::settings::{
    AVATAR_COUNT, CONCURRENCY_MAX, CONCURRENCY_MIN, EMAIL_MAX, GREETINGS_MAX, GREETING_FORBIDDEN,
    GREETING_TEXT_MAX, NICKNAME_FORBIDDEN, NICKNAME_MAX, SIGNATURE_MAX,
};
use crate::softphone_password::{
    PASSWORD_KINDS_MIN, PASSWORD_MAX, PASSWORD_MIN, PASSWORD_SPECIALS,
};
use crate::validation::{PHONE_MAX, PHONE_MIN};

/// The characters Rust's `str::trim` removes (Unicode `White_Space`): a text of only these is
/// blank, which the rules treat as missing.
const WHITE_SPACE: &str = r"\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The highest hour of the day a greeting names (PER-4).
const LAST_HOUR: u8 = 23;

/// Writes every rule that JSON Schema can express into the request schemas of `document`.
pub fn describe_rules(document: &mut OpenApi) {
    let schemas = &mut document
        .components
        .as_mut()
        .expect("the document has components")
        .schemas;

    let sign_in = object(schemas, "SignInRequest");
    text(sign_in, "business_account", |o| {
        o.pattern = Some(not_blank());
        o.max_length = Some(BUSINESS_ACCOUNT_MAX);
    });
    text(sign_in, "password", |o| {
        o.min_length = Some(1);
        o.max_length = Some(SIGN_IN_PASSWORD_MAX);
    });

    let phone_numbers = object(schemas, "SavePhoneNumbers");
    for field in ["fixed_line", "mobile"] {
        text(phone_numbers, field, |o| {
            o.pattern = Some(optional_phone_number());
            o.max_length = Some(PHONE_MAX);
        });
    }

    let reset = object(schemas, "ResetSoftphonePassword");
    append_description(
        reset,
        "Not expressed in the schema: `confirmation` must repeat `password`, and `code` must be the \
         code last sent when the tenant has a two-factor method (otherwise it is ignored).",
    );
    for field in ["password", "confirmation"] {
        text(reset, field, |o| {
            o.pattern = Some(softphone_password());
            o.min_length = Some(PASSWORD_MIN);
            o.max_length = Some(PASSWORD_MAX);
        });
    }

    let card = object(schemas, "GenerateBusinessCard");
    append_description(
        card,
        "Not expressed in the schema: the OU and the channel must be among those the agent is \
         offered (GET /me/business-cards).",
    );
    for field in ["org_unit_id", "channel_id"] {
        required_integer(card, field);
    }

    let batch = object(schemas, "ParameterBatch");
    if let Some(RefOr::T(Schema::Array(ids))) = batch.properties.get_mut("ids") {
        ids.min_items = Some(1);
    }

    let save = object(schemas, "SaveParameter");
    append_description(
        save,
        "Not expressed in the schema: the value must be one that the parameter in the path \
         takes (GET /me/parameters lists each parameter's options).",
    );

    let settings = object(schemas, "PersonalSettings");
    append_description(
        settings,
        "Not expressed in the schema: greetings must not overlap, each ends after it starts (an \
         `end_hour` of 0 is midnight at the end of the day), `work_email` is empty or a plain \
         address, and `multimedia_concurrency` is accepted only for an agent bound to a \
         business account.",
    );
    integer(settings, "avatar", 1, AVATAR_COUNT);
    integer(
        settings,
        "multimedia_concurrency",
        CONCURRENCY_MIN,
        CONCURRENCY_MAX,
    );
    text(settings, "nickname", |o| {
        o.pattern = Some(format!("^[^{}]*$", class(NICKNAME_FORBIDDEN)));
        o.max_length = Some(NICKNAME_MAX);
    });
    text(settings, "work_email", |o| o.max_length = Some(EMAIL_MAX));
    text(settings, "signature", |o| {
        o.max_length = Some(SIGNATURE_MAX)
    });
    if let Some(RefOr::T(Schema::Array(greetings))) = settings.properties.get_mut("greetings") {
        greetings.max_items = Some(GREETINGS_MAX);
    }

    let greeting = object(schemas, "Greeting");
    integer(greeting, "start_hour", 0, LAST_HOUR);
    integer(greeting, "end_hour", 0, LAST_HOUR);
    text(greeting, "text", |o| {
        let forbidden = class(GREETING_FORBIDDEN);
        o.pattern = Some(format!(
            "^[^{forbidden}]*[^{forbidden}{WHITE_SPACE}][^{forbidden}]*$"
        ));
        o.max_length = Some(GREETING_TEXT_MAX);
    });
}

/// A text with at least one character that is not white space.
fn not_blank() -> String {
    format!("[^{WHITE_SPACE}]")
}

/// Empty, or digits with an optional leading `+`, `PHONE_MIN`–`PHONE_MAX` characters in all.
fn optional_phone_number() -> String {
    format!(
        r"^(\+[0-9]{{{},{}}}|[0-9]{{{},{}}})?$",
        PHONE_MIN.saturating_sub(1).max(1),
        PHONE_MAX - 1,
        PHONE_MIN,
        PHONE_MAX
    )
}

/// AGT-4: only letters, digits and the specials, and at least `PASSWORD_KINDS_MIN` of the four
/// kinds (one lookahead per kind, in each combination of that many kinds).
fn softphone_password() -> String {
    let kinds = [
        "[a-z]".to_owned(),
        "[A-Z]".to_owned(),
        "[0-9]".to_owned(),
        format!("[{}]", class(&PASSWORD_SPECIALS)),
    ];
    let combinations: Vec<String> = (0u32..1 << kinds.len())
        .filter(|mask| mask.count_ones() as usize == PASSWORD_KINDS_MIN)
        .map(|mask| {
            kinds
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, kind)| format!("(?=.*{kind})"))
                .collect()
        })
        .collect();
    format!(
        "^(?:{})[A-Za-z0-9{}]*$",
        combinations.join("|"),
        class(&PASSWORD_SPECIALS)
    )
}

/// The characters as the inside of a regular expression's character class, escaped where a
/// class needs it (ECMA-262 and Python alike).
fn class(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| match c {
            '\\' | ']' | '[' | '^' | '-' => format!("\\{c}"),
            _ => c.to_string(),
        })
        .collect()
}

fn object<'a>(schemas: &'a mut BTreeMap<String, RefOr<Schema>>, name: &str) -> &'a mut Object {
    match schemas.get_mut(name) {
        Some(RefOr::T(Schema::Object(object))) => object,
        _ => panic!("{name} is not an object schema of the document"),
    }
}

fn property<'a>(object: &'a mut Object, name: &str) -> &'a mut Object {
    match object.properties.get_mut(name) {
        Some(RefOr::T(Schema::Object(property))) => property,
        _ => panic!("{name} is not a property of the schema"),
    }
}

fn text(object: &mut Object, name: &str, rule: impl FnOnce(&mut Object)) {
    rule(property(object, name));
}

fn integer(object: &mut Object, name: &str, min: u8, max: u8) {
    let property = property(object, name);
    property.minimum = Some(min.into());
    property.maximum = Some(max.into());
}

/// A member that is optional in Rust only so that a missing one is refused at its field.
fn required_integer(object: &mut Object, name: &str) {
    property(object, name).schema_type = SchemaType::Type(Type::Integer);
    if !object.required.iter().any(|required| required == name) {
        object.required.push(name.to_owned());
    }
}

fn append_description(object: &mut Object, text: &str) {
    object.description = Some(match object.description.take() {
        Some(description) => format!("{description}\n\n{text}"),
        None => text.to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_escapes_what_a_character_class_needs() {
        assert_eq!(class(&['<', '\\', '^', '-', ']']), r"<\\\^\-\]");
    }
}
