//! AGT-4: whether a softphone password reset asks for a verification code, and the codes: made
//! from the operating system's cryptographic source, kept only as a salted hash, and limited in
//! how often they are sent.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use pc_model::softphone_password::{CODE_RESEND_SECS, CODE_SENDS_PER_HOUR};
use pc_model::PasswordResetContext;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::storage::Db;

/// Whether the agent's softphone password reset needs a verification code, and how it is sent.
pub async fn reset_context(db: &Db, agent_id: i64) -> sqlx::Result<PasswordResetContext> {
    let destination = db.code_destination(agent_id).await?;
    Ok(PasswordResetContext {
        two_factor: destination.method(),
    })
}

/// Six digits, uniform over 000000–999999 (rejection sampling: no modulo bias).
pub fn new_code() -> String {
    const RANGE: u32 = 1_000_000;
    let limit = u32::MAX - u32::MAX % RANGE;
    loop {
        let value = OsRng.next_u32();
        if value < limit {
            return format!("{:06}", value % RANGE);
        }
    }
}

pub fn new_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    salt
}

pub fn code_hash(salt: &[u8], code: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(code.as_bytes());
    hasher.finalize().to_vec()
}

pub fn code_matches(salt: &[u8], stored_hash: &[u8], code: &str) -> bool {
    code_hash(salt, code).ct_eq(stored_hash).into()
}

/// Seconds until another code may be sent, given the send times of the last hour (any order);
/// `None` when one may be sent now. At most one a minute and `CODE_SENDS_PER_HOUR` an hour.
pub fn send_refused_for(sent_in_last_hour: &[i64], now: i64) -> Option<i64> {
    let newest = sent_in_last_hour.iter().copied().max()?;
    let minute = newest + CODE_RESEND_SECS - now;
    let hour = if sent_in_last_hour.len() >= CODE_SENDS_PER_HOUR {
        let mut times = sent_in_last_hour.to_vec();
        times.sort_unstable();
        // The send that has to leave the hour window before another fits.
        times[times.len() - CODE_SENDS_PER_HOUR] + 3600 - now
    } else {
        0
    };
    let wait = minute.max(hour);
    (wait > 0).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| new_code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40);
    }

    #[test]
    fn a_code_matches_only_its_own_hash() {
        let salt = new_salt();
        let stored = code_hash(&salt, "123456");
        assert!(code_matches(&salt, &stored, "123456"));
        assert!(!code_matches(&salt, &stored, "123457"));
        assert!(!code_matches(&new_salt(), &stored, "123456"));
    }

    #[test]
    fn one_a_minute_and_ten_an_hour() {
        assert_eq!(send_refused_for(&[], 1000), None);
        assert_eq!(send_refused_for(&[990], 1000), Some(50));
        assert_eq!(send_refused_for(&[940], 1000), None);
        let ten: Vec<i64> = (0..10).map(|i| 1000 + i * 100).collect();
        // The tenth was sent at 1900; at 2000 the minute is over but the hour is full until
        // the first (1000) leaves it at 4600.
        assert_eq!(send_refused_for(&ten, 2000), Some(2600));
        assert_eq!(send_refused_for(&ten[1..], 2000), None);
    }
}
