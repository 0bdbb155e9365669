//! AGT-6 form state as plain Rust: what the agent typed, the rule's verdict on each number while
//! typing, and the server's refusal until the field changes again.

use pc_model::agent_info::optional_phone_violation;
use pc_model::{AgentInfo, FieldError, SavePhoneNumbers, Violation};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneForm {
    pub fixed_line: String,
    pub mobile: String,
    /// The numbers as read when the dialog opened: the server refuses a save if they changed.
    was: (String, String),
    /// Refusals from the server, by field, until that field is edited.
    refused: Vec<FieldError>,
}

impl PhoneForm {
    pub fn from_agent(agent: &AgentInfo) -> Self {
        let fixed_line = agent.fixed_line.clone().unwrap_or_default();
        let mobile = agent.mobile.clone().unwrap_or_default();
        PhoneForm {
            was: (fixed_line.clone(), mobile.clone()),
            fixed_line,
            mobile,
            refused: Vec::new(),
        }
    }

    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "fixed_line" => self.fixed_line = value,
            _ => self.mobile = value,
        }
        self.refused.retain(|e| e.field != field);
    }

    /// Why `field` is not accepted: the model's rule first, then the server's last word.
    pub fn error(&self, field: &str) -> Option<Violation> {
        let value = if field == "fixed_line" {
            &self.fixed_line
        } else {
            &self.mobile
        };
        optional_phone_violation(value).or_else(|| {
            self.refused
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.violation.clone())
        })
    }

    pub fn first_invalid(&self) -> Option<&'static str> {
        ["fixed_line", "mobile"]
            .into_iter()
            .find(|field| self.error(field).is_some())
    }

    pub fn refuse(&mut self, errors: Vec<FieldError>) {
        self.refused = errors;
    }

    pub fn request(&self) -> SavePhoneNumbers {
        SavePhoneNumbers {
            fixed_line: self.fixed_line.clone(),
            mobile: self.mobile.clone(),
            was_fixed_line: self.was.0.clone(),
            was_mobile: self.was.1.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_follow_the_model_rule_and_server_refusals_clear_on_edit() {
        let mut form = PhoneForm::default();
        assert_eq!(form.first_invalid(), None);
        form.set("mobile", "12".into());
        assert_eq!(form.error("mobile"), Some(Violation::InvalidPhoneNumber));
        assert_eq!(form.first_invalid(), Some("mobile"));
        form.set("mobile", "+8613800138011".into());
        assert_eq!(form.error("mobile"), None);
        form.refuse(vec![FieldError::new("fixed_line", Violation::Required)]);
        assert_eq!(form.error("fixed_line"), Some(Violation::Required));
        form.set("fixed_line", "110".into());
        assert_eq!(form.error("fixed_line"), None);
    }
}
