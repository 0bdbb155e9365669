//! The Agent Parameters table as the agent works with it: the loaded parameters, the checked
//! rows, and the one row being edited with its typed value and errors. Plain Rust (after the
//! todomvc example), so the logic is tested without a browser; the rules are the model's.

use std::collections::BTreeSet;

use leptos::prelude::*;
use pc_model::parameters::{ParameterField, ParameterKind};
use pc_model::{AgentParameter, FieldError, ParameterId, ParametersPage, Violation};

use crate::form::{Form, FormValues};

/// The values of the row being edited.
#[derive(Clone, Debug, PartialEq)]
pub struct RowEdit {
    pub id: ParameterId,
    pub value: String,
}

impl FormValues for RowEdit {
    type Field = ParameterField;

    fn violations(&self) -> Vec<(ParameterField, Violation)> {
        self.id
            .violation(&self.value)
            .map(|violation| (ParameterField::Value, violation))
            .into_iter()
            .collect()
    }

    fn value_of(&self, _field: ParameterField) -> String {
        self.value.clone()
    }
}

#[derive(Clone, Copy)]
pub struct ParametersTable {
    page: RwSignal<ParametersPage>,
    checked: RwSignal<BTreeSet<ParameterId>>,
    editing: RwSignal<bool>,
    edit: Form<RowEdit>,
}

impl ParametersTable {
    pub fn new(page: ParametersPage) -> Self {
        ParametersTable {
            page: RwSignal::new(page),
            checked: RwSignal::new(BTreeSet::new()),
            editing: RwSignal::new(false),
            edit: Form::new(RowEdit {
                id: ParameterId::CalloutCaller,
                value: String::new(),
            }),
        }
    }

    pub fn page(&self) -> ParametersPage {
        self.page.get()
    }

    pub fn version(&self) -> i64 {
        self.page.with_untracked(|p| p.version)
    }

    pub fn parameter(&self, id: ParameterId) -> Option<AgentParameter> {
        self.page
            .with(|p| p.parameters.iter().find(|r| r.id == id).cloned())
    }

    /// The table after a save, reset or sync: the server's answer replaces it. Checked rows
    /// stay checked, so a batch reset can be followed by a batch sync of the same rows.
    pub fn replace_page(&self, page: ParametersPage) {
        self.page.set(page);
    }

    pub fn is_checked(&self, id: ParameterId) -> bool {
        self.checked.with(|c| c.contains(&id))
    }

    pub fn set_checked(&self, id: ParameterId, checked: bool) {
        self.checked.update(|c| {
            if checked {
                c.insert(id);
            } else {
                c.remove(&id);
            }
        });
    }

    pub fn all_checked(&self) -> bool {
        self.checked.with(|c| c.len() == ParameterId::ALL.len())
    }

    pub fn set_all_checked(&self, checked: bool) {
        self.checked.set(if checked {
            ParameterId::ALL.into_iter().collect()
        } else {
            BTreeSet::new()
        });
    }

    /// The checked rows, in table order.
    pub fn checked_ids(&self) -> Vec<ParameterId> {
        self.checked.with(|c| c.iter().copied().collect())
    }

    pub fn editing(&self) -> Option<ParameterId> {
        self.editing.get().then(|| self.edit.with(|edit| edit.id))
    }

    /// Starts editing a row with its saved value.
    pub fn begin_edit(&self, id: ParameterId) {
        let value = self.page.with_untracked(|p| p.value(id).to_owned());
        self.edit.reset(RowEdit { id, value });
        self.editing.set(true);
    }

    pub fn end_edit(&self) {
        self.editing.set(false);
    }

    pub fn edit_value(&self) -> String {
        self.edit.with(|edit| edit.value.clone())
    }

    pub fn set_edit_value(&self, value: String) {
        self.edit.update(|edit| edit.value = value);
    }

    /// Why the typed value cannot be saved: the model's rule for the parameter, else what the
    /// server refused for this very value.
    pub fn edit_error(&self) -> Option<Violation> {
        self.edit.error(ParameterField::Value)
    }

    /// Records the server's refusal of the value being edited.
    /// Answers how many of `errors` are about the edited value.
    pub fn refuse(&self, errors: Vec<FieldError>) -> usize {
        self.edit.refuse(errors)
    }

    /// Whether the edited row holds a value that differs from the saved one. Text values are
    /// compared in their canonical form, so `0, 0,800,380,pip,fit` is no change from the saved
    /// `0,0,800,380,PiP,Fit`.
    pub fn is_dirty(&self) -> bool {
        if !self.editing.get() {
            return false;
        }
        let edit = self.edit.with(RowEdit::clone);
        let saved = self.page.with(|p| p.value(edit.id).to_owned());
        let typed = match edit.id.kind() {
            ParameterKind::Text if edit.id.violation(&edit.value).is_none() => {
                edit.id.canonical(&edit.value)
            }
            _ => edit.value,
        };
        typed != saved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::{TenantAnswerMode, TenantParameters};

    fn page() -> ParametersPage {
        ParametersPage {
            parameters: ParameterId::ALL
                .into_iter()
                .map(|id| AgentParameter {
                    id,
                    value: id.default_value().to_owned(),
                    synced: true,
                })
                .collect(),
            version: 2,
            tenant: TenantParameters {
                answer_mode: TenantAnswerMode::Automatic,
                integrate_openeye: false,
            },
        }
    }

    #[test]
    fn rows_are_checked_one_by_one_or_all_at_once() {
        let table = ParametersTable::new(page());
        assert!(table.checked_ids().is_empty());
        table.set_checked(ParameterId::SkillQueueSigninMode, true);
        table.set_checked(ParameterId::CalloutCaller, true);
        assert_eq!(
            table.checked_ids(),
            [
                ParameterId::CalloutCaller,
                ParameterId::SkillQueueSigninMode
            ]
        );
        assert!(!table.all_checked());
        table.set_all_checked(true);
        assert!(table.all_checked());
        assert_eq!(table.checked_ids(), ParameterId::ALL);
        table.set_checked(ParameterId::AnswerMode, false);
        assert!(!table.all_checked());
        table.set_all_checked(false);
        assert!(table.checked_ids().is_empty());
    }

    #[test]
    fn an_edit_starts_from_the_saved_value_and_is_checked_while_typing() {
        let table = ParametersTable::new(page());
        table.begin_edit(ParameterId::OpeneyeVideoDisplay);
        assert_eq!(table.editing(), Some(ParameterId::OpeneyeVideoDisplay));
        assert_eq!(table.edit_value(), "");
        assert!(!table.is_dirty());
        table.set_edit_value("0,0,800".into());
        assert_eq!(
            table.edit_error(),
            Some(Violation::VideoPartCount { found: 3 })
        );
        assert!(table.is_dirty());
        table.set_edit_value("0,0,800,380,PiP,Fit".into());
        assert_eq!(table.edit_error(), None);
        table.end_edit();
        assert_eq!(table.editing(), None);
        assert!(!table.is_dirty());
    }

    #[test]
    fn the_same_value_spelled_differently_is_no_change() {
        let mut saved = page();
        saved.parameters[3].value = "0,0,800,380,PiP,Fit".into();
        let table = ParametersTable::new(saved);
        table.begin_edit(ParameterId::OpeneyeVideoDisplay);
        table.set_edit_value(" 0, 0,800,380,pip,fit".into());
        assert!(!table.is_dirty());
        table.set_edit_value("0,0,800,381,PiP,Fit".into());
        assert!(table.is_dirty());
    }

    #[test]
    fn a_server_refusal_stays_until_the_value_changes() {
        let table = ParametersTable::new(page());
        table.begin_edit(ParameterId::CalloutCaller);
        table.set_edit_value("+86100".into());
        table.refuse(vec![FieldError::new(
            ParameterField::Value,
            Violation::InvalidPhoneNumber,
        )]);
        assert_eq!(table.edit_error(), Some(Violation::InvalidPhoneNumber));
        table.set_edit_value("+86101".into());
        assert_eq!(table.edit_error(), None);
        table.set_edit_value("+86100".into());
        assert_eq!(table.edit_error(), Some(Violation::InvalidPhoneNumber));
    }

    #[test]
    fn a_new_page_keeps_the_checked_rows() {
        let table = ParametersTable::new(page());
        table.set_checked(ParameterId::AnswerMode, true);
        let mut saved = page();
        saved.version = 3;
        saved.parameters[1].value = "manual".into();
        table.replace_page(saved);
        assert_eq!(table.version(), 3);
        assert_eq!(table.checked_ids(), [ParameterId::AnswerMode]);
        assert_eq!(
            table.parameter(ParameterId::AnswerMode).unwrap().value,
            "manual"
        );
    }
}
