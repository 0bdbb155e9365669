//! The one form-state convention: a plain struct of the form's values in one signal, its errors
//! keyed by the request's typed field (from `pc_model`), and the server's refusals remembered
//! until the agent changes that field. Every form of the app is a `Form<V>`; `V` says which
//! rules apply (the model's) and how to read one field.

use leptos::prelude::*;
use pc_model::{Field, FieldError, Violation};

/// The values of one form.
pub trait FormValues: Clone + PartialEq + Send + Sync + 'static {
    type Field: Field;

    /// Every rule the values break, each at its field, in the order of the form.
    fn violations(&self) -> Vec<(Self::Field, Violation)>;

    /// A field's value as text, to tell whether it changed since the server refused it.
    fn value_of(&self, field: Self::Field) -> String;

    /// Whether a broken rule shows while typing, before the agent tries to save.
    fn shows_early(&self, _field: Self::Field) -> bool {
        true
    }

    /// Whether leaving now would lose something.
    fn differs_from(&self, original: &Self) -> bool {
        self != original
    }
}

/// Turns a request's field errors (from `validate`) into a form's.
pub fn typed<F: Field>(errors: Result<(), Vec<FieldError>>) -> Vec<(F, Violation)> {
    errors
        .err()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|error| Some((error.field_as()?, error.violation)))
        .collect()
}

/// A refusal from the server, with the field's value when it was refused.
#[derive(Clone, Debug, PartialEq)]
struct Refusal<F> {
    field: F,
    violation: Violation,
    value: String,
}

pub struct Form<V: FormValues> {
    values: RwSignal<V>,
    original: RwSignal<V>,
    refusals: RwSignal<Vec<Refusal<V::Field>>>,
    /// After a save was tried, every broken rule shows.
    submitted: RwSignal<bool>,
    /// The values last submitted: a refusal is about them, even if the agent typed on while the
    /// answer was on its way.
    sent: RwSignal<Option<V>>,
}

impl<V: FormValues> Clone for Form<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: FormValues> Copy for Form<V> {}

impl<V: FormValues> Form<V> {
    pub fn new(values: V) -> Self {
        Form {
            values: RwSignal::new(values.clone()),
            original: RwSignal::new(values),
            refusals: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            sent: RwSignal::new(None),
        }
    }

    /// Starts over from `values`, as if the form were new.
    pub fn reset(&self, values: V) {
        self.original.set(values.clone());
        self.values.set(values);
        self.refusals.set(Vec::new());
        self.submitted.set(false);
        self.sent.set(None);
    }

    /// Reads the values (tracked).
    pub fn with<T>(&self, read: impl FnOnce(&V) -> T) -> T {
        self.values.with(read)
    }

    pub fn values_untracked(&self) -> V {
        self.values.get_untracked()
    }

    pub fn update(&self, change: impl FnOnce(&mut V)) {
        self.values.update(change);
    }

    /// Every error to show, each at its field: broken rules, then the server's refusals of
    /// values the agent has not changed since.
    pub fn errors(&self) -> Vec<(V::Field, Violation)> {
        self.at_fault(self.submitted.get())
    }

    /// Every fault, shown yet or not (`all`), or those to show while typing.
    fn at_fault(&self, all: bool) -> Vec<(V::Field, Violation)> {
        self.refusals.with(|refusals| {
            self.values.with(|values| {
                let mut errors: Vec<_> = values
                    .violations()
                    .into_iter()
                    .filter(|(field, _)| all || values.shows_early(*field))
                    .collect();
                for refusal in refusals {
                    let unchanged = values.value_of(refusal.field) == refusal.value;
                    if unchanged && !errors.iter().any(|(field, _)| *field == refusal.field) {
                        errors.push((refusal.field, refusal.violation.clone()));
                    }
                }
                errors
            })
        })
    }

    /// What a text input needs: the field's value, where typing goes (`set`), and its error.
    pub fn text_field(
        &self,
        field: V::Field,
        set: fn(&mut V, String),
    ) -> (Signal<String>, Callback<String>, Signal<Option<Violation>>) {
        let form = *self;
        (
            Signal::derive(move || form.with(|values| values.value_of(field))),
            Callback::new(move |text| form.update(|values| set(values, text))),
            Signal::derive(move || form.error(field)),
        )
    }

    pub fn error(&self, field: V::Field) -> Option<Violation> {
        self.errors()
            .into_iter()
            .find(|(at, _)| *at == field)
            .map(|(_, violation)| violation)
    }

    /// Tries to save: the values to send, or the first field at fault (every error shows from
    /// now on).
    pub fn submit(&self) -> Result<V, V::Field> {
        self.submitted.set(true);
        match self.first_invalid() {
            Some(field) => Err(field),
            None => {
                let values = self.values_untracked();
                self.sent.set(Some(values.clone()));
                Ok(values)
            }
        }
    }

    /// Remembers the server's refusals of the values last submitted (else of the values now),
    /// each until its field differs from what was refused. Answers how many errors named a field
    /// of this form: the others have no place to show here. Untracked: a callback that records a
    /// refusal must not subscribe to the values.
    pub fn refuse(&self, errors: Vec<FieldError>) -> usize {
        let refused = self
            .sent
            .get_untracked()
            .unwrap_or_else(|| self.values_untracked());
        let refusals: Vec<_> = errors
            .into_iter()
            .filter_map(|error| {
                let field = error.field_as()?;
                Some(Refusal {
                    field,
                    value: refused.value_of(field),
                    violation: error.violation,
                })
            })
            .collect();
        let placed = refusals.len();
        self.refusals.set(refusals);
        placed
    }

    /// The first field at fault now, shown yet or not, e.g. to focus after a refusal.
    pub fn first_invalid(&self) -> Option<V::Field> {
        untrack(|| self.at_fault(true))
            .first()
            .map(|(field, _)| *field)
    }

    /// Whether anything differs from the values the form started from (tracked).
    pub fn is_dirty(&self) -> bool {
        self.original
            .with(|original| self.values.with(|values| values.differs_from(original)))
    }
}

#[cfg(test)]
mod tests {
    use pc_model::agent_info::PhoneField;
    use pc_model::SavePhoneNumbers;

    use super::*;

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Phones(SavePhoneNumbers);

    impl FormValues for Phones {
        type Field = PhoneField;

        fn violations(&self) -> Vec<(PhoneField, Violation)> {
            typed(self.0.validate())
        }

        fn value_of(&self, field: PhoneField) -> String {
            match field {
                PhoneField::FixedLine => self.0.fixed_line.clone(),
                PhoneField::Mobile => self.0.mobile.clone(),
            }
        }

        fn shows_early(&self, field: PhoneField) -> bool {
            !self.value_of(field).is_empty()
        }
    }

    #[test]
    fn a_refusal_stays_until_its_field_changes() {
        let form = Form::new(Phones::default());
        form.update(|p| p.0.mobile = "110".into());
        form.refuse(vec![FieldError::new(
            PhoneField::Mobile,
            Violation::InvalidPhoneNumber,
        )]);
        form.update(|p| p.0.fixed_line = "120".into());
        assert_eq!(
            form.error(PhoneField::Mobile),
            Some(Violation::InvalidPhoneNumber)
        );
        form.update(|p| p.0.mobile = "119".into());
        assert_eq!(form.error(PhoneField::Mobile), None);
    }

    #[test]
    fn a_rule_that_waits_for_typing_shows_once_a_save_is_tried() {
        let form = Form::new(Phones::default());
        form.update(|p| p.0.mobile = "12".into());
        form.update(|p| p.0.mobile.clear());
        assert!(form.errors().is_empty());
        form.update(|p| p.0.fixed_line = "1-800".into());
        assert_eq!(form.errors().len(), 1);
        assert_eq!(form.first_invalid(), Some(PhoneField::FixedLine));
        assert_eq!(form.submit(), Err(PhoneField::FixedLine));
        form.update(|p| p.0.fixed_line = "1800".into());
        assert_eq!(form.submit().map(|p| p.0.fixed_line), Ok("1800".into()));
    }

    #[test]
    fn refusals_of_fields_the_form_does_not_have_are_not_kept() {
        let form = Form::new(Phones::default());
        let placed = form.refuse(vec![FieldError::new("nickname", Violation::Required)]);
        assert_eq!(placed, 0);
        assert!(form.errors().is_empty());
    }

    #[test]
    fn a_refusal_is_about_the_values_sent_not_what_was_typed_since() {
        let form = Form::new(Phones::default());
        form.update(|p| p.0.mobile = "110".into());
        assert!(form.submit().is_ok());
        // Typed on while the save was on its way.
        form.update(|p| p.0.mobile = "119".into());
        form.refuse(vec![FieldError::new(
            PhoneField::Mobile,
            Violation::Required,
        )]);
        assert_eq!(form.error(PhoneField::Mobile), None);
        form.update(|p| p.0.mobile = "110".into());
        assert_eq!(form.error(PhoneField::Mobile), Some(Violation::Required));
    }

    #[test]
    fn a_reset_form_is_clean_and_forgets_refusals() {
        let form = Form::new(Phones::default());
        form.update(|p| p.0.mobile = "110".into());
        assert!(form.is_dirty());
        form.refuse(vec![FieldError::new(
            PhoneField::Mobile,
            Violation::Required,
        )]);
        form.reset(Phones::default());
        assert!(!form.is_dirty());
        assert!(form.errors().is_empty());
    }
}
