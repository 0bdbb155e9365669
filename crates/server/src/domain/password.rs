//! Password hashing: argon2id with the crate's recommended parameters, stored as PHC strings.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 accepts any password with default parameters")
        .to_string()
}

/// Whether `password` matches `stored`. An absent or unreadable hash never matches, but still
/// costs one hash so that a wrong account cannot be told from a wrong password by timing.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
    match parsed {
        Some(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        None => {
            let _ = hash(password);
            false
        }
    }
}

/// Runs argon2 work (`hash`, `verify`) for a request: on the blocking pool, so the threads that
/// serve other requests go on, and only with a permit of `checks`, so a flood of requests
/// queues instead of exhausting memory.
pub async fn run_limited<T, F>(checks: &Semaphore, work: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let _permit = checks.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let stored = hash("Demo@2026");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("Demo@2026", Some(&stored)));
        assert!(!verify("demo@2026", Some(&stored)));
    }

    #[test]
    fn no_hash_never_verifies() {
        assert!(!verify("", None));
        assert!(!verify("anything", Some("not a phc string")));
    }

    #[test]
    fn the_same_password_gets_a_new_salt_each_time() {
        assert_ne!(hash("Demo@2026"), hash("Demo@2026"));
    }
}
