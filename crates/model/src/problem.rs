//! RFC 9457 problem details, with per-field errors the app can show next to the field at fault.

use serde::{Deserialize, Serialize};

use crate::field::Field;
use crate::video_display::{VideoPart, VIDEO_PIXELS_MAX};

/// What went wrong, as the `type` member of a problem. The app decides what to show by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProblemType {
    #[serde(rename = "/problems/validation")]
    Validation,
    /// The body is not JSON of the expected shape.
    #[serde(rename = "/problems/malformed-request")]
    MalformedRequest,
    #[serde(rename = "/problems/method-not-allowed")]
    MethodNotAllowed,
    #[serde(rename = "/problems/invalid-credentials")]
    InvalidCredentials,
    #[serde(rename = "/problems/unauthenticated")]
    Unauthenticated,
    #[serde(rename = "/problems/csrf-rejected")]
    CsrfRejected,
    #[serde(rename = "/problems/not-found")]
    NotFound,
    /// The change was based on data that has changed since it was read (another tab, another
    /// device): reload and apply it again.
    #[serde(rename = "/problems/stale")]
    Stale,
    #[serde(rename = "/problems/internal")]
    Internal,
    /// The signed-in agent lacks the permission this needs (e.g. PER-6 without the e-card
    /// permission).
    #[serde(rename = "/problems/forbidden")]
    Forbidden,
    /// Asked too often (e.g. verification codes); `retry_after_secs` says when to try again.
    #[serde(rename = "/problems/too-many-requests")]
    TooManyRequests,
}

impl ProblemType {
    pub fn status(self) -> u16 {
        match self {
            ProblemType::Validation => 422,
            ProblemType::MalformedRequest => 400,
            ProblemType::MethodNotAllowed => 405,
            ProblemType::InvalidCredentials | ProblemType::Unauthenticated => 401,
            ProblemType::CsrfRejected | ProblemType::Forbidden => 403,
            ProblemType::NotFound => 404,
            ProblemType::Stale => 409,
            ProblemType::Internal => 500,
            ProblemType::TooManyRequests => 429,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ProblemType::Validation => "Some fields are not valid",
            ProblemType::MalformedRequest => "The request could not be read",
            ProblemType::MethodNotAllowed => "This address does not accept that method",
            ProblemType::InvalidCredentials => "Business account or password is wrong",
            ProblemType::Unauthenticated => "Not signed in, or the session has expired",
            ProblemType::CsrfRejected => "Request refused: it did not come from this app",
            ProblemType::NotFound => "Not found",
            ProblemType::Stale => "These settings were changed elsewhere since you opened them",
            ProblemType::Internal => "Something went wrong on the server",
            ProblemType::Forbidden => "You do not have the permission this needs",
            ProblemType::TooManyRequests => "Too many requests: wait, then try again",
        }
    }
}

/// Why one field was refused. The app turns each into a message in the agent's language;
/// `FieldError::message` carries the English one for other clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Violation {
    Required,
    TooLong {
        max: usize,
    },
    /// The characters of the value that the rule forbids, each once, in order of appearance.
    ForbiddenCharacters {
        chars: Vec<char>,
    },
    InvalidEmail,
    /// The address is already bound to another agent (PER-3).
    EmailTaken,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// A greeting's end hour is not after its start hour (PER-4).
    EndNotAfterStart,
    /// The greeting overlaps greeting number `other` (1-based, as the agent sees them).
    Overlaps {
        other: usize,
    },
    TooMany {
        max: usize,
    },
    /// The setting does not apply to this agent (e.g. concurrency without a business account).
    NotAvailable,
    /// Not a phone number: digits with an optional leading `+`, 3–24 characters.
    InvalidPhoneNumber,
    /// Not one of the parameter's values (the codes that are).
    NotAnOption {
        options: Vec<String>,
    },
    /// PAR-4 needs six comma-separated parts; `found` were given.
    VideoPartCount {
        found: usize,
    },
    /// PAR-4: this part of the display value is not valid.
    InvalidVideoPart {
        part: VideoPart,
    },
    /// The value is not one of those offered to this agent (e.g. an OU they may not access).
    NotOffered,
    /// AGT-4: a softphone password has `min` to `max` characters.
    PasswordLength {
        min: usize,
        max: usize,
    },
    /// AGT-4: at least `min` of uppercase, lowercase, digit and special.
    PasswordKinds {
        min: usize,
    },
    /// The confirmation does not repeat the password.
    Mismatch,
    /// A verification code is six digits.
    InvalidCode,
    /// The code is not the one sent; `tries_left` more wrong tries and it is void.
    WrongCode {
        tries_left: usize,
    },
    /// No code is valid any more (expired, used, too many wrong tries, or none sent): send a
    /// new one.
    CodeExpired,
    /// There is no mobile number or email address to send a code to.
    NoDestination,
}

impl Violation {
    pub fn english(&self) -> String {
        match self {
            Violation::Required => "This field is required.".to_owned(),
            Violation::TooLong { max } => format!("At most {max} characters."),
            Violation::ForbiddenCharacters { chars } => {
                let listed: Vec<String> = chars.iter().map(char::to_string).collect();
                format!("Remove these characters: {}", listed.join(" "))
            }
            Violation::InvalidEmail => "Enter an email address like name@example.com.".to_owned(),
            Violation::EmailTaken => {
                "This email address is already bound to another agent.".to_owned()
            }
            Violation::OutOfRange { min, max } => {
                format!("Enter a whole number from {min} to {max}.")
            }
            Violation::EndNotAfterStart => "The end must be after the start.".to_owned(),
            Violation::Overlaps { other } => format!("Overlaps greeting {other}."),
            Violation::TooMany { max } => format!("At most {max}."),
            Violation::NotAvailable => "This setting does not apply to this agent.".to_owned(),
            Violation::InvalidPhoneNumber => {
                "Enter digits only, with an optional leading +, 3 to 24 characters.".to_owned()
            }
            Violation::NotAnOption { options } => {
                format!("Choose one of: {}.", options.join(", "))
            }
            Violation::VideoPartCount { found } => format!(
                "Enter six parts separated by commas, x,y,width,height,layout,mode (found {found})."
            ),
            Violation::InvalidVideoPart { part } => match part {
                VideoPart::X | VideoPart::Y => {
                    format!("{part:?}: a whole number from 0 to {VIDEO_PIXELS_MAX}.")
                }
                VideoPart::Width | VideoPart::Height => {
                    format!("{part:?}: a whole number from 1 to {VIDEO_PIXELS_MAX}.")
                }
                VideoPart::Layout => "Layout: PiP or SbS.".to_owned(),
                VideoPart::Mode => "Mode: Fit or Cut.".to_owned(),
            },
            Violation::NotOffered => "Choose one of the options offered.".to_owned(),
            Violation::PasswordLength { min, max } => format!("Use {min} to {max} characters."),
            Violation::PasswordKinds { min } => format!(
                "Use at least {min} of: uppercase letters, lowercase letters, digits, special characters."
            ),
            Violation::Mismatch => "The two passwords are not the same.".to_owned(),
            Violation::InvalidCode => "Enter the 6-digit code.".to_owned(),
            Violation::WrongCode { tries_left } => {
                format!("The code is not correct. {tries_left} tries left.")
            }
            Violation::CodeExpired => {
                "This code is no longer valid. Send a new code.".to_owned()
            }
            Violation::NoDestination => {
                "There is no mobile number or email address to send a code to.".to_owned()
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read through a flat struct: serde's flatten + internally tagged enum buffers every value and
// costs the app ~30 KB of wasm; the JSON is the same either way (a test checks every variant).
#[serde(try_from = "WireFieldError")]
pub struct FieldError {
    /// The request member at fault, as named in the request body (e.g. `business_account`).
    pub field: String,
    #[serde(flatten)]
    pub violation: Violation,
    pub message: String,
}

/// A field error as it is on the wire, every parameter of every violation side by side.
#[derive(Deserialize)]
struct WireFieldError {
    field: String,
    code: String,
    #[serde(default)]
    message: String,
    max: Option<i64>,
    min: Option<i64>,
    chars: Option<Vec<char>>,
    other: Option<usize>,
    options: Option<Vec<String>>,
    found: Option<usize>,
    part: Option<VideoPart>,
    tries_left: Option<usize>,
}

impl TryFrom<WireFieldError> for FieldError {
    type Error = String;

    fn try_from(wire: WireFieldError) -> Result<Self, String> {
        let missing = |name: &str| format!("{} without {name}", wire.code);
        let size = |value: Option<i64>, name: &str| {
            value
                .and_then(|v| usize::try_from(v).ok())
                .ok_or_else(|| missing(name))
        };
        let violation = match wire.code.as_str() {
            "required" => Violation::Required,
            "too_long" => Violation::TooLong {
                max: size(wire.max, "max")?,
            },
            "forbidden_characters" => Violation::ForbiddenCharacters {
                chars: wire.chars.ok_or_else(|| missing("chars"))?,
            },
            "invalid_email" => Violation::InvalidEmail,
            "email_taken" => Violation::EmailTaken,
            "out_of_range" => Violation::OutOfRange {
                min: wire.min.ok_or_else(|| missing("min"))?,
                max: wire.max.ok_or_else(|| missing("max"))?,
            },
            "end_not_after_start" => Violation::EndNotAfterStart,
            "overlaps" => Violation::Overlaps {
                other: wire.other.ok_or_else(|| missing("other"))?,
            },
            "too_many" => Violation::TooMany {
                max: size(wire.max, "max")?,
            },
            "not_available" => Violation::NotAvailable,
            "invalid_phone_number" => Violation::InvalidPhoneNumber,
            "not_an_option" => Violation::NotAnOption {
                options: wire.options.ok_or_else(|| missing("options"))?,
            },
            "video_part_count" => Violation::VideoPartCount {
                found: wire.found.ok_or_else(|| missing("found"))?,
            },
            "invalid_video_part" => Violation::InvalidVideoPart {
                part: wire.part.ok_or_else(|| missing("part"))?,
            },
            "not_offered" => Violation::NotOffered,
            "password_length" => Violation::PasswordLength {
                min: size(wire.min, "min")?,
                max: size(wire.max, "max")?,
            },
            "password_kinds" => Violation::PasswordKinds {
                min: size(wire.min, "min")?,
            },
            "mismatch" => Violation::Mismatch,
            "invalid_code" => Violation::InvalidCode,
            "wrong_code" => Violation::WrongCode {
                tries_left: wire.tries_left.ok_or_else(|| missing("tries_left"))?,
            },
            "code_expired" => Violation::CodeExpired,
            "no_destination" => Violation::NoDestination,
            code => return Err(format!("unknown violation code {code:?}")),
        };
        Ok(FieldError {
            field: wire.field,
            violation,
            message: wire.message,
        })
    }
}

impl FieldError {
    /// `field` is a request's typed field (or, for requests without one, its wire name).
    pub fn new(field: impl std::fmt::Display, violation: Violation) -> Self {
        let message = violation.english();
        FieldError {
            field: field.to_string(),
            violation,
            message,
        }
    }

    /// The field as one of `F`'s, if it names one.
    pub fn field_as<F: Field>(&self) -> Option<F> {
        self.field.parse().ok()
    }
}

/// An RFC 9457 `application/problem+json` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: ProblemType,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With `TooManyRequests`: seconds until the request may be made again (also in the
    /// `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl Problem {
    pub fn new(problem_type: ProblemType) -> Self {
        Problem {
            problem_type,
            title: problem_type.title().to_owned(),
            status: problem_type.status(),
            detail: None,
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn invalid(errors: Vec<FieldError>) -> Self {
        Problem {
            errors,
            ..Problem::new(ProblemType::Validation)
        }
    }

    /// The first error for `field`, if the problem names it.
    pub fn field_error(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_serializes_as_rfc9457_with_field_errors() {
        let problem = Problem::invalid(vec![FieldError::new(
            "password",
            Violation::TooLong { max: 128 },
        )]);
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "/problems/validation");
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["field"], "password");
        assert_eq!(json["errors"][0]["code"], "too_long");
        assert_eq!(json["errors"][0]["max"], 128);
        assert_eq!(json["errors"][0]["message"], "At most 128 characters.");
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, problem);
    }

    #[test]
    fn every_violation_reads_back_as_it_was_written() {
        let all = [
            Violation::Required,
            Violation::TooLong { max: 20 },
            Violation::ForbiddenCharacters {
                chars: vec!['<', '#'],
            },
            Violation::InvalidEmail,
            Violation::EmailTaken,
            Violation::OutOfRange { min: 1, max: 60 },
            Violation::EndNotAfterStart,
            Violation::Overlaps { other: 2 },
            Violation::TooMany { max: 4 },
            Violation::NotAvailable,
            Violation::InvalidPhoneNumber,
            Violation::NotAnOption {
                options: vec!["yes".into(), "no".into()],
            },
            Violation::VideoPartCount { found: 5 },
            Violation::InvalidVideoPart {
                part: VideoPart::Layout,
            },
            Violation::NotOffered,
            Violation::PasswordLength { min: 8, max: 16 },
            Violation::PasswordKinds { min: 3 },
            Violation::Mismatch,
            Violation::InvalidCode,
            Violation::WrongCode { tries_left: 4 },
            Violation::CodeExpired,
            Violation::NoDestination,
        ];
        for violation in all {
            let error = FieldError::new("nickname", violation);
            let json = serde_json::to_string(&error).unwrap();
            let back: FieldError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
        }
        let unknown = r#"{"field":"x","code":"made_up","message":""}"#;
        assert!(serde_json::from_str::<FieldError>(unknown).is_err());
    }

    #[test]
    fn each_problem_type_has_its_own_status() {
        assert_eq!(ProblemType::InvalidCredentials.status(), 401);
        assert_eq!(ProblemType::CsrfRejected.status(), 403);
        assert_eq!(ProblemType::Validation.status(), 422);
        assert_eq!(ProblemType::Forbidden.status(), 403);
        assert_eq!(
            serde_json::to_value(ProblemType::Forbidden).unwrap(),
            "/problems/forbidden"
        );
        assert_eq!(ProblemType::TooManyRequests.status(), 429);
    }

    #[test]
    fn a_refusal_to_send_again_says_when() {
        let problem = Problem {
            retry_after_secs: Some(42),
            ..Problem::new(ProblemType::TooManyRequests)
        };
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "/problems/too-many-requests");
        assert_eq!(json["retry_after_secs"], 42);
        assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), problem);
    }
}
