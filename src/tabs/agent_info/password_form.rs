//! AGT-4 form state as plain Rust: what the agent typed, the checklist of the password rule, and
//! the reasons each field is not accepted (the model's rules, then the server's refusals).

use pc_model::softphone_password::{
    code_violation, confirmation_violation, softphone_password_violation,
};
use pc_model::{FieldError, PasswordChecklist, ResetSoftphonePassword, TwoFactorMethod, Violation};

/// The fields, by the names the request and the server's errors use.
pub const FIELDS: [&str; 3] = ["password", "confirmation", "code"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordForm {
    pub two_factor: TwoFactorMethod,
    pub password: String,
    pub confirmation: String,
    pub code: String,
    /// After a save was tried, every rule break shows, even in fields not yet typed in.
    pub submitted: bool,
    refused: Vec<FieldError>,
}

impl PasswordForm {
    pub fn new(two_factor: TwoFactorMethod) -> Self {
        PasswordForm {
            two_factor,
            password: String::new(),
            confirmation: String::new(),
            code: String::new(),
            submitted: false,
            refused: Vec::new(),
        }
    }

    pub fn value(&self, field: &str) -> &str {
        match field {
            "password" => &self.password,
            "confirmation" => &self.confirmation,
            _ => &self.code,
        }
    }

    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "password" => self.password = value,
            "confirmation" => self.confirmation = value,
            _ => self.code = value,
        }
        // A change to the password may fix or break the confirmation too.
        self.refused
            .retain(|e| e.field != field && !(field == "password" && e.field == "confirmation"));
    }

    pub fn checklist(&self) -> PasswordChecklist {
        PasswordChecklist::of(&self.password)
    }

    /// The confirmation is typed and repeats the password.
    pub fn confirmed(&self) -> bool {
        !self.confirmation.is_empty() && self.confirmation == self.password
    }

    fn rule(&self, field: &str) -> Option<Violation> {
        match field {
            "password" => softphone_password_violation(&self.password),
            "confirmation" => confirmation_violation(&self.password, &self.confirmation),
            _ if self.two_factor == TwoFactorMethod::None => None,
            _ => code_violation(&self.code),
        }
    }

    /// What the field shows: a rule break once typed in (or after a save was tried), else the
    /// server's refusal.
    pub fn error(&self, field: &str) -> Option<Violation> {
        let shown = self.submitted || !self.value(field).is_empty();
        shown.then(|| self.rule(field)).flatten().or_else(|| {
            self.refused
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.violation.clone())
        })
    }

    pub fn first_invalid(&self) -> Option<&'static str> {
        FIELDS.into_iter().find(|field| {
            self.rule(field).is_some() || self.refused.iter().any(|e| e.field == *field)
        })
    }

    pub fn refuse(&mut self, errors: Vec<FieldError>) {
        self.refused = errors;
    }

    pub fn request(&self) -> ResetSoftphonePassword {
        ResetSoftphonePassword {
            password: self.password.clone(),
            confirmation: self.confirmation.clone(),
            code: self.code.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_follows_the_typing_and_errors_wait_for_input() {
        let mut form = PasswordForm::new(TwoFactorMethod::Sms);
        assert_eq!(form.error("password"), None);
        assert_eq!(form.first_invalid(), Some("password"));
        form.set("password", "abc".into());
        assert!(!form.checklist().length);
        assert!(form.error("password").is_some());
        form.set("password", "Abcdef12.".into());
        assert!(form.checklist().all_met());
        assert_eq!(form.error("password"), None);
        form.set("confirmation", "Abcdef12".into());
        assert_eq!(form.error("confirmation"), Some(Violation::Mismatch));
        form.set("confirmation", "Abcdef12.".into());
        assert!(form.confirmed());
        assert_eq!(form.first_invalid(), Some("code"));
        form.submitted = true;
        assert_eq!(form.error("code"), Some(Violation::Required));
        form.set("code", "123456".into());
        assert_eq!(form.first_invalid(), None);
        form.refuse(vec![FieldError::new(
            "code",
            Violation::WrongCode { tries_left: 4 },
        )]);
        assert_eq!(
            form.error("code"),
            Some(Violation::WrongCode { tries_left: 4 })
        );
        form.set("code", "654321".into());
        assert_eq!(form.error("code"), None);
    }

    #[test]
    fn without_two_factor_no_code_is_asked_for() {
        let mut form = PasswordForm::new(TwoFactorMethod::None);
        form.set("password", "Abcdef12.".into());
        form.set("confirmation", "Abcdef12.".into());
        form.submitted = true;
        assert_eq!(form.first_invalid(), None);
        assert_eq!(form.error("code"), None);
    }
}
