//! AGT-4 form values as plain Rust: what the agent typed, the checklist of the password rule,
//! and the model's rules. A rule break shows once the field is typed in, or after a save was
//! tried.

use pc_model::softphone_password::PasswordResetField;
use pc_model::{PasswordChecklist, ResetSoftphonePassword, TwoFactorMethod, Violation};

use crate::form::{typed, Form, FormValues};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordValues {
    pub two_factor: TwoFactorMethod,
    pub reset: ResetSoftphonePassword,
}

pub type PasswordForm = Form<PasswordValues>;

impl PasswordValues {
    pub fn new(two_factor: TwoFactorMethod) -> Self {
        PasswordValues {
            two_factor,
            reset: ResetSoftphonePassword::default(),
        }
    }

    pub fn set(&mut self, field: PasswordResetField, value: String) {
        let reset = &mut self.reset;
        match field {
            PasswordResetField::Password => reset.password = value,
            PasswordResetField::Confirmation => reset.confirmation = value,
            PasswordResetField::Code => reset.code = value,
        }
    }

    pub fn checklist(&self) -> PasswordChecklist {
        PasswordChecklist::of(&self.reset.password)
    }

    /// The confirmation is typed and repeats the password.
    pub fn confirmed(&self) -> bool {
        !self.reset.confirmation.is_empty() && self.reset.confirmation == self.reset.password
    }

    fn typed_value(&self, field: PasswordResetField) -> &str {
        match field {
            PasswordResetField::Password => &self.reset.password,
            PasswordResetField::Confirmation => &self.reset.confirmation,
            PasswordResetField::Code => &self.reset.code,
        }
    }
}

impl FormValues for PasswordValues {
    type Field = PasswordResetField;

    fn violations(&self) -> Vec<(PasswordResetField, Violation)> {
        typed(self.reset.validate(self.two_factor))
    }

    /// The confirmation counts as changed when the password changes too: that may fix it.
    fn value_of(&self, field: PasswordResetField) -> String {
        match field {
            PasswordResetField::Confirmation => {
                format!("{}\n{}", self.reset.password, self.reset.confirmation)
            }
            field => self.typed_value(field).to_owned(),
        }
    }

    fn shows_early(&self, field: PasswordResetField) -> bool {
        !self.typed_value(field).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use pc_model::FieldError;

    use super::*;

    fn type_in(form: PasswordForm, field: PasswordResetField, value: &str) {
        form.update(|v| v.set(field, value.into()));
    }

    #[test]
    fn the_checklist_follows_the_typing_and_errors_wait_for_input() {
        use PasswordResetField::*;
        let form = PasswordForm::new(PasswordValues::new(TwoFactorMethod::Sms));
        assert_eq!(form.error(Password), None);
        assert_eq!(form.first_invalid(), Some(Password));
        type_in(form, Password, "abc");
        assert!(!form.with(PasswordValues::checklist).length);
        assert!(form.error(Password).is_some());
        type_in(form, Password, "Abcdef12.");
        assert!(form.with(PasswordValues::checklist).all_met());
        assert_eq!(form.error(Password), None);
        type_in(form, Confirmation, "Abcdef12");
        assert_eq!(form.error(Confirmation), Some(Violation::Mismatch));
        type_in(form, Confirmation, "Abcdef12.");
        assert!(form.with(PasswordValues::confirmed));
        assert_eq!(form.first_invalid(), Some(Code));
        assert_eq!(form.submit(), Err(Code));
        assert_eq!(form.error(Code), Some(Violation::Required));
        type_in(form, Code, "123456");
        assert_eq!(form.first_invalid(), None);
        form.refuse(vec![FieldError::new(
            Code,
            Violation::WrongCode { tries_left: 4 },
        )]);
        assert_eq!(
            form.error(Code),
            Some(Violation::WrongCode { tries_left: 4 })
        );
        type_in(form, Code, "654321");
        assert_eq!(form.error(Code), None);
    }

    #[test]
    fn without_two_factor_no_code_is_asked_for() {
        use PasswordResetField::*;
        let form = PasswordForm::new(PasswordValues::new(TwoFactorMethod::None));
        type_in(form, Password, "Abcdef12.");
        type_in(form, Confirmation, "Abcdef12.");
        assert!(form.submit().is_ok());
        assert_eq!(form.first_invalid(), None);
        assert_eq!(form.error(Code), None);
    }

    #[test]
    fn a_refused_confirmation_clears_when_the_pair_changes() {
        use PasswordResetField::*;
        let form = PasswordForm::new(PasswordValues::new(TwoFactorMethod::None));
        type_in(form, Password, "Abcdef12.");
        type_in(form, Confirmation, "Abcdef12.");
        form.refuse(vec![FieldError::new(Confirmation, Violation::Mismatch)]);
        assert_eq!(form.error(Confirmation), Some(Violation::Mismatch));
        type_in(form, Confirmation, "Abcdef12.y");
        type_in(form, Password, "Abcdef12.y");
        assert_eq!(form.error(Confirmation), None);
    }
}
