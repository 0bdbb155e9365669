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
    #[error("database: {0}")]
    Database(sqlx::Error),
}

/// The unique columns whose values agents choose, as SQLite names them, with their API field.
/// A clash on any other unique column is a failure, not a refusal.
const UNIQUE_FIELDS: [(&str, &str); 1] = [("agent_settings.work_email", "work_email")];

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        let duplicate = error
            .as_database_error()
            .filter(|e| e.is_unique_violation())
            .and_then(|e| duplicate_field(e.message()));
        match duplicate {
            Some(field) => Refusal::Duplicate { field },
            None => Refusal::Database(error),
        }
    }
}

/// The API field of a unique violation. SQLite reports no constraint name (sqlx's
/// `constraint()` is always `None` for it), only the columns: "UNIQUE constraint failed:
/// table.column, …".
fn duplicate_field(message: &str) -> Option<&'static str> {
    let columns = message.strip_prefix("UNIQUE constraint failed: ")?;
    UNIQUE_FIELDS
        .iter()
        .find(|(column, _)| columns.split(", ").any(|c| c == *column))
        .map(|&(_, field)| field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clash_on_a_chosen_unique_column_names_a_field() {
        assert_eq!(
            duplicate_field("UNIQUE constraint failed: agent_settings.work_email"),
            Some("work_email")
        );
        assert_eq!(
            duplicate_field("UNIQUE constraint failed: business_cards.code"),
            None
        );
    }
}
