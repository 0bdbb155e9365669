//! Why storage did not make a change: the one answer of every storage function that can refuse.

/// Why a change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// What the change was based on was changed since it was read (another tab, another
    /// request at the same time).
    #[error("changed since it was read")]
    Stale,
    /// The value of `field` (as the API names it) must be unique and another row has it.
    #[error("{field} is taken")]
    Duplicate { field: &'static str },
    /// There is nothing to change.
    #[error("not found")]
    NotFound,
    /// The change names something that is not there or does not fit (PRV: an OU, a manager or
    /// a member that the tenant does not have, an agent ID range with none free).
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The change is not the caller's to make (PRV: the name of a skill queue that the tenant
    /// file declares).
    #[error("{0}")]
    Unchangeable(String),
    #[error("database: {0}")]
    Database(sqlx::Error),
}

/// The unique columns whose values agents choose, with their API field: as SQLite names them
/// in its message, and the PostgreSQL constraint. A clash on any other unique column is a
/// failure, not a refusal.
const UNIQUE_FIELDS: [UniqueField; 3] = [
    UniqueField {
        sqlite_column: "agent_settings.work_email",
        postgres_constraint: "agent_settings_work_email_key",
        field: "work_email",
    },
    // PRV: unique indexes on expressions; SQLite names the index instead of a column.
    UniqueField {
        sqlite_column: "index 'employees_business_account_key'",
        postgres_constraint: "employees_business_account_key",
        field: "userName",
    },
    UniqueField {
        sqlite_column: "index 'skill_queues_name_key'",
        postgres_constraint: "skill_queues_name_key",
        field: "displayName",
    },
];

struct UniqueField {
    sqlite_column: &'static str,
    postgres_constraint: &'static str,
    field: &'static str,
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        let duplicate = error
            .as_database_error()
            .filter(|e| e.is_unique_violation())
            .and_then(|e| duplicate_field(e.constraint(), e.message()));
        match duplicate {
            Some(field) => Refusal::Duplicate { field },
            None => Refusal::Database(error),
        }
    }
}

/// The API field of a unique violation. PostgreSQL names the constraint; SQLite names none
/// (sqlx's `constraint()` is always `None` for it), only the columns in its message: "UNIQUE
/// constraint failed: table.column, …".
fn duplicate_field(constraint: Option<&str>, message: &str) -> Option<&'static str> {
    let columns = message.strip_prefix("UNIQUE constraint failed: ");
    UNIQUE_FIELDS
        .iter()
        .find(|unique| match (constraint, columns) {
            (Some(constraint), _) => constraint == unique.postgres_constraint,
            (None, Some(columns)) => {
                columns == unique.sqlite_column
                    || columns.split(", ").any(|c| c == unique.sqlite_column)
            }
            (None, None) => false,
        })
        .map(|unique| unique.field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clash_on_a_chosen_unique_column_names_a_field() {
        assert_eq!(
            duplicate_field(None, "UNIQUE constraint failed: agent_settings.work_email"),
            Some("work_email")
        );
        assert_eq!(
            duplicate_field(None, "UNIQUE constraint failed: business_cards.code"),
            None
        );
        assert_eq!(
            duplicate_field(
                None,
                "UNIQUE constraint failed: index 'employees_business_account_key'"
            ),
            Some("userName")
        );
        assert_eq!(
            duplicate_field(
                Some("agent_settings_work_email_key"),
                "duplicate key value violates unique constraint"
            ),
            Some("work_email")
        );
        assert_eq!(
            duplicate_field(
                Some("business_cards_code_key"),
                "duplicate key value violates unique constraint"
            ),
            None
        );
    }
}
