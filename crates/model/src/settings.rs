//! Personalized Settings (PER-1 … PER-8): the agent's own settings, and every rule about them.

use serde::{Deserialize, Serialize};

use std::fmt;
use std::str::FromStr;

use crate::field::UnknownField;
use crate::problem::{FieldError, Violation};
use crate::validation::Errors;

/// PER-1: the number of avatars to choose from.
pub const AVATAR_COUNT: u8 = 8;
/// PER-2
pub const NICKNAME_MAX: usize = 20;
pub const NICKNAME_FORBIDDEN: &[char] = &[
    '+', '~', '!', '@', '#', '$', '%', '&', '*', '(', ')', '/', '=', '{', '}', ';', ':', '\'', '"',
    ',', '<', '.', '>', '?',
];
/// PER-3: the longest address SMTP allows.
pub const EMAIL_MAX: usize = 254;
/// PER-4
pub const GREETINGS_MAX: usize = 4;
pub const GREETING_TEXT_MAX: usize = 200;
pub const GREETING_FORBIDDEN: &[char] = &['<', '>', '\'', '"', '/', '\\'];
/// PER-5 (interpretation: plain text, at most 1,000 characters).
pub const SIGNATURE_MAX: usize = 1000;
/// PER-8
pub const CONCURRENCY_MIN: u8 = 1;
pub const CONCURRENCY_MAX: u8 = 60;

/// PER-4: one greeting for a range of whole hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Greeting {
    /// 0–23, the hour the greeting starts (00:00–23:00).
    pub start_hour: u8,
    /// 1–23, or 0 for midnight at the end of the day (01:00–00:00).
    pub end_hour: u8,
    pub text: String,
}

impl Greeting {
    /// The end as an hour of the day from 1 to 24, so ranges can be compared.
    pub fn end_of_range(&self) -> u8 {
        if self.end_hour == 0 {
            24
        } else {
            self.end_hour
        }
    }

    /// Whether the greeting is in use at `hour` (0–23).
    pub fn covers(&self, hour: u8) -> bool {
        self.start_hour <= hour && hour < self.end_of_range()
    }

    fn overlaps(&self, other: &Greeting) -> bool {
        self.start_hour < other.end_of_range() && other.start_hour < self.end_of_range()
    }
}

/// The settings an agent edits and saves all at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalSettings {
    /// PER-1: 1–8.
    pub avatar: u8,
    /// PER-2: may be empty.
    pub nickname: String,
    /// PER-3: empty when none is set.
    pub work_email: String,
    /// PER-4: at most four, not overlapping.
    pub greetings: Vec<Greeting>,
    /// PER-5: empty means the tenant's signature is used.
    pub signature: String,
    /// PER-7: the concurrency follows the OU configuration.
    pub follow_ou_concurrency: bool,
    /// PER-8: 1–60, or none.
    pub multimedia_concurrency: Option<u8>,
}

impl Default for PersonalSettings {
    fn default() -> Self {
        PersonalSettings {
            avatar: 1,
            nickname: String::new(),
            work_email: String::new(),
            greetings: Vec::new(),
            signature: String::new(),
            follow_ou_concurrency: true,
            multimedia_concurrency: None,
        }
    }
}

/// A save: the settings and the version they were based on (see `SettingsPage::version`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveSettings {
    pub version: i64,
    pub settings: PersonalSettings,
}

/// Where the multimedia concurrency in effect comes from (PER-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConcurrencySource {
    Agent,
    OrgUnit,
    Tenant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveConcurrency {
    pub value: u8,
    pub source: ConcurrencySource,
}

/// The values above the agent that the settings fall back to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsContext {
    pub tenant_signature: String,
    pub ou_concurrency: Option<u8>,
    pub tenant_concurrency: u8,
    /// PER-8 is shown (and accepted) only for agents bound to a business account.
    pub bound_to_business_account: bool,
    /// PER-2: the name customers see when the agent has no nickname.
    pub username: String,
}

/// What the Personalized Settings tab loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsPage {
    pub settings: PersonalSettings,
    /// Increases with every save; a save must name the version it started from.
    pub version: i64,
    pub context: SettingsContext,
}

/// PER-8: agent > OU > tenant, except that the tenant value caps the result. The agent value
/// counts only when set and when PER-7 does not say "follow the OU".
pub fn effective_concurrency(
    settings: &PersonalSettings,
    context: &SettingsContext,
) -> EffectiveConcurrency {
    let agent = settings
        .multimedia_concurrency
        .filter(|_| !settings.follow_ou_concurrency && context.bound_to_business_account);
    let preferred = match (agent, context.ou_concurrency) {
        (Some(value), _) => EffectiveConcurrency {
            value,
            source: ConcurrencySource::Agent,
        },
        (None, Some(value)) => EffectiveConcurrency {
            value,
            source: ConcurrencySource::OrgUnit,
        },
        (None, None) => EffectiveConcurrency {
            value: context.tenant_concurrency,
            source: ConcurrencySource::Tenant,
        },
    };
    if context.tenant_concurrency < preferred.value {
        EffectiveConcurrency {
            value: context.tenant_concurrency,
            source: ConcurrencySource::Tenant,
        }
    } else {
        preferred
    }
}

/// PER-5: which signature is in effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignatureInEffect {
    Agent,
    Tenant,
    None,
}

pub fn signature_in_effect(
    settings: &PersonalSettings,
    context: &SettingsContext,
) -> SignatureInEffect {
    if !settings.signature.trim().is_empty() {
        SignatureInEffect::Agent
    } else if !context.tenant_signature.trim().is_empty() {
        SignatureInEffect::Tenant
    } else {
        SignatureInEffect::None
    }
}

/// The characters of `value` found in `forbidden`, each once, in order of appearance.
pub fn forbidden_in(value: &str, forbidden: &[char]) -> Vec<char> {
    let mut found = Vec::new();
    for c in value.chars() {
        if forbidden.contains(&c) && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

pub fn nickname_violation(nickname: &str) -> Option<Violation> {
    let forbidden = forbidden_in(nickname, NICKNAME_FORBIDDEN);
    if !forbidden.is_empty() {
        Some(Violation::ForbiddenCharacters { chars: forbidden })
    } else if nickname.chars().count() > NICKNAME_MAX {
        Some(Violation::TooLong { max: NICKNAME_MAX })
    } else {
        None
    }
}

/// An empty address means "none"; anything else must be a plain `local@domain.tld` address.
pub fn work_email_violation(email: &str) -> Option<Violation> {
    if email.is_empty() {
        return None;
    }
    if email.chars().count() > EMAIL_MAX {
        return Some(Violation::TooLong { max: EMAIL_MAX });
    }
    let plain = email.trim() == email
        && !email.contains('<')
        && email.split_once('@').is_some_and(|(_, domain)| {
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    (!plain || !email_address::EmailAddress::is_valid(email)).then_some(Violation::InvalidEmail)
}

pub fn greeting_text_violation(text: &str) -> Option<Violation> {
    let forbidden = forbidden_in(text, GREETING_FORBIDDEN);
    if text.trim().is_empty() {
        Some(Violation::Required)
    } else if !forbidden.is_empty() {
        Some(Violation::ForbiddenCharacters { chars: forbidden })
    } else if text.chars().count() > GREETING_TEXT_MAX {
        Some(Violation::TooLong {
            max: GREETING_TEXT_MAX,
        })
    } else {
        None
    }
}

pub fn start_hour_violation(hour: u8) -> Option<Violation> {
    (hour > 23).then_some(Violation::OutOfRange { min: 0, max: 23 })
}

pub fn end_hour_violation(greeting: &Greeting) -> Option<Violation> {
    if greeting.end_hour > 23 {
        Some(Violation::OutOfRange { min: 0, max: 23 })
    } else if greeting.end_of_range() <= greeting.start_hour {
        Some(Violation::EndNotAfterStart)
    } else {
        None
    }
}

/// For each greeting, the first other greeting (1-based) that it overlaps, if any.
pub fn overlaps(greetings: &[Greeting]) -> Vec<Option<usize>> {
    greetings
        .iter()
        .enumerate()
        .map(|(i, greeting)| {
            greetings
                .iter()
                .enumerate()
                .find(|(j, other)| *j != i && greeting.overlaps(other))
                .map(|(j, _)| j + 1)
        })
        .collect()
}

pub fn concurrency_violation(value: Option<u8>) -> Option<Violation> {
    value
        .filter(|v| !(CONCURRENCY_MIN..=CONCURRENCY_MAX).contains(v))
        .map(|_| Violation::OutOfRange {
            min: CONCURRENCY_MIN.into(),
            max: CONCURRENCY_MAX.into(),
        })
}

/// PER-8 as typed into a text box: empty means none; anything else must be a whole number from
/// 1 to 60.
pub fn parse_concurrency(text: &str) -> Result<Option<u8>, Violation> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let range = Violation::OutOfRange {
        min: CONCURRENCY_MIN.into(),
        max: CONCURRENCY_MAX.into(),
    };
    let value: u8 = text.parse().map_err(|_| range.clone())?;
    match concurrency_violation(Some(value)) {
        Some(violation) => Err(violation),
        None => Ok(Some(value)),
    }
}

crate::field::fields! {
    /// The members of one greeting (PER-4).
    GreetingMember {
        StartHour = "start_hour",
        EndHour = "end_hour",
        Text = "text",
    }
}

/// A field of the Personalized Settings: a member of the settings, or of one greeting
/// (`greetings[1].text`, index from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingsField {
    Avatar,
    Nickname,
    WorkEmail,
    /// The list as a whole (e.g. more than four).
    Greetings,
    Greeting(usize, GreetingMember),
    Signature,
    FollowOuConcurrency,
    MultimediaConcurrency,
}

impl SettingsField {
    /// The fields that are not inside a greeting.
    pub const TOP_LEVEL: [SettingsField; 7] = [
        SettingsField::Avatar,
        SettingsField::Nickname,
        SettingsField::WorkEmail,
        SettingsField::Greetings,
        SettingsField::Signature,
        SettingsField::FollowOuConcurrency,
        SettingsField::MultimediaConcurrency,
    ];

    fn top_level_name(self) -> Option<&'static str> {
        Some(match self {
            SettingsField::Avatar => "avatar",
            SettingsField::Nickname => "nickname",
            SettingsField::WorkEmail => "work_email",
            SettingsField::Greetings => "greetings",
            SettingsField::Signature => "signature",
            SettingsField::FollowOuConcurrency => "follow_ou_concurrency",
            SettingsField::MultimediaConcurrency => "multimedia_concurrency",
            SettingsField::Greeting(..) => return None,
        })
    }
}

impl fmt::Display for SettingsField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let SettingsField::Greeting(index, member) = self {
            return write!(f, "greetings[{index}].{member}");
        }
        f.write_str(self.top_level_name().unwrap_or_default())
    }
}

impl FromStr for SettingsField {
    type Err = UnknownField;

    fn from_str(name: &str) -> Result<Self, UnknownField> {
        if let Some(field) = SettingsField::TOP_LEVEL
            .into_iter()
            .find(|f| f.top_level_name() == Some(name))
        {
            return Ok(field);
        }
        let (index, member) = name
            .strip_prefix("greetings[")
            .and_then(|rest| rest.split_once("]."))
            .ok_or(UnknownField)?;
        // Digits only, as the formatter writes them: no sign, no spaces, no leading zero.
        let canonical = index == "0" || !index.starts_with('0');
        if index.is_empty() || !canonical || !index.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnknownField);
        }
        let index = index.parse().map_err(|_| UnknownField)?;
        Ok(SettingsField::Greeting(index, member.parse()?))
    }
}

impl crate::field::Field for SettingsField {}

impl PersonalSettings {
    /// Every rule of PER-1 to PER-8, with the field each refusal belongs to. `context` says
    /// whether the concurrency applies to this agent at all.
    pub fn validate(&self, context: &SettingsContext) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add(
            SettingsField::Avatar,
            (!(1..=AVATAR_COUNT).contains(&self.avatar)).then_some(Violation::OutOfRange {
                min: 1,
                max: AVATAR_COUNT.into(),
            }),
        );
        errors.add(SettingsField::Nickname, nickname_violation(&self.nickname));
        errors.add(
            SettingsField::WorkEmail,
            work_email_violation(&self.work_email),
        );
        let too_many = self.greetings.len() > GREETINGS_MAX;
        errors.add(
            "greetings",
            too_many.then_some(Violation::TooMany { max: GREETINGS_MAX }),
        );
        // Checking each of too many greetings against all the others would only cost time.
        let checked = if too_many {
            &[][..]
        } else {
            &self.greetings[..]
        };
        let overlapping = overlaps(checked);
        for (i, greeting) in checked.iter().enumerate() {
            errors.add(
                SettingsField::Greeting(i, GreetingMember::StartHour),
                start_hour_violation(greeting.start_hour),
            );
            let end = end_hour_violation(greeting)
                .or_else(|| overlapping[i].map(|other| Violation::Overlaps { other }));
            errors.add(SettingsField::Greeting(i, GreetingMember::EndHour), end);
            errors.add(
                SettingsField::Greeting(i, GreetingMember::Text),
                greeting_text_violation(&greeting.text),
            );
        }
        errors.add(
            "signature",
            (self.signature.chars().count() > SIGNATURE_MAX)
                .then_some(Violation::TooLong { max: SIGNATURE_MAX }),
        );
        let concurrency =
            if self.multimedia_concurrency.is_some() && !context.bound_to_business_account {
                Some(Violation::NotAvailable)
            } else {
                concurrency_violation(self.multimedia_concurrency)
            };
        errors.add(SettingsField::MultimediaConcurrency, concurrency);
        errors.into_result()
    }
}
