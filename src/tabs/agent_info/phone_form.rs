//! AGT-6 form values: the request itself, with the numbers as read when the dialog opened (the
//! server refuses a save if they changed since).

use pc_model::agent_info::PhoneField;
use pc_model::{AgentInfo, SavePhoneNumbers, Violation};

use crate::form::{typed, Form, FormValues};

pub type PhoneForm = Form<SavePhoneNumbers>;

pub fn phone_values(agent: &AgentInfo) -> SavePhoneNumbers {
    let fixed_line = agent.fixed_line.clone().unwrap_or_default();
    let mobile = agent.mobile.clone().unwrap_or_default();
    SavePhoneNumbers {
        was_fixed_line: fixed_line.clone(),
        was_mobile: mobile.clone(),
        fixed_line,
        mobile,
    }
}

impl FormValues for SavePhoneNumbers {
    type Field = PhoneField;

    fn violations(&self) -> Vec<(PhoneField, Violation)> {
        typed(self.validate())
    }

    fn value_of(&self, field: PhoneField) -> String {
        match field {
            PhoneField::FixedLine => self.fixed_line.clone(),
            PhoneField::Mobile => self.mobile.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use pc_model::FieldError;

    use super::*;

    #[test]
    fn errors_follow_the_model_rule_and_server_refusals_clear_on_edit() {
        let form = PhoneForm::new(SavePhoneNumbers::default());
        assert_eq!(form.first_invalid(), None);
        form.update(|p| p.mobile = "12".into());
        assert_eq!(
            form.error(PhoneField::Mobile),
            Some(Violation::InvalidPhoneNumber)
        );
        assert_eq!(form.first_invalid(), Some(PhoneField::Mobile));
        form.update(|p| p.mobile = "+8613800138011".into());
        assert_eq!(form.error(PhoneField::Mobile), None);
        form.refuse(vec![FieldError::new(
            PhoneField::FixedLine,
            Violation::Required,
        )]);
        assert_eq!(form.error(PhoneField::FixedLine), Some(Violation::Required));
        form.update(|p| p.fixed_line = "110".into());
        assert_eq!(form.error(PhoneField::FixedLine), None);
    }
}
