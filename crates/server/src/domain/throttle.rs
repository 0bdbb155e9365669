//! SEC-1 (OWASP ASVS 2.2): how sign-in attempts are slowed down, as plain arithmetic over one
//! record per business account and one per client address (`storage::throttle` keeps them).
//!
//! Each key allows `Policy::failures` failed sign-ins in a window of `window_secs` that begins
//! with the first failure counted in it. The next attempt is refused and locks the key for
//! `lock_secs`, doubled with each further lock up to `lock_max_secs`; the doubling is forgotten
//! once a whole window after a lock passes without another lock. While either key is locked,
//! every attempt is refused without looking at the password, so the right password is refused
//! too and an unknown account is refused exactly like a known one.
//!
//! An attempt counts as a failure from the moment it is let through, before its password is
//! checked, so parallel guesses cannot slip past the count. A successful sign-in then clears its
//! account's record and takes its count back from its address's record. Unknown accounts are
//! counted like known ones, so the answers never tell them apart.

use std::net::{IpAddr, Ipv6Addr};

/// The limits for one kind of key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Failed sign-ins allowed in one window.
    pub failures: u32,
    pub window_secs: i64,
    /// The first lock; each further one lasts twice as long as the one before.
    pub lock_secs: i64,
    pub lock_max_secs: i64,
}

/// The limits for business accounts and for client addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub account: Policy,
    pub address: Policy,
}

/// What is known about one key. Times are Unix seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Attempts counted in the current window: failed, or not yet known to have succeeded.
    pub failures: u32,
    /// When the current window ends; after it (and after any lock) the record means nothing.
    pub window_end: i64,
    /// Locks so far.
    pub locks: u32,
    pub locked_until: i64,
}

/// The records of one attempt's two keys; `None` is no record (nothing counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Records {
    pub account: Option<Record>,
    pub address: Option<Record>,
}

impl Record {
    /// The record as it stands at `now`: a fresh one once its window and lock are both over.
    fn at(record: Option<Record>, now: i64) -> Record {
        match record {
            Some(record) if record.window_end > now || record.locked_until > now => record,
            _ => Record::default(),
        }
    }

    fn locked_for(&self, now: i64) -> Option<u64> {
        u64::try_from(self.locked_until - now)
            .ok()
            .filter(|&secs| secs > 0)
    }

    /// The lock that the attempt at `now` starts, when the window's failures are used up.
    fn locked_if_spent(self, policy: &Policy, now: i64) -> Record {
        if self.locked_for(now).is_some() || self.failures < policy.failures {
            return self;
        }
        let doubling = 1i64 << self.locks.min(32);
        let lock = policy
            .lock_secs
            .saturating_mul(doubling)
            .min(policy.lock_max_secs);
        Record {
            failures: 0,
            window_end: now + lock + policy.window_secs,
            locks: self.locks.saturating_add(1),
            locked_until: now + lock,
        }
    }

    fn counted(self, policy: &Policy, now: i64) -> Record {
        Record {
            failures: self.failures.saturating_add(1),
            window_end: if self.failures == 0 {
                now + policy.window_secs
            } else {
                self.window_end
            },
            ..self
        }
    }

    fn taken_back(self) -> Record {
        Record {
            failures: self.failures.saturating_sub(1),
            ..self
        }
    }
}

/// An attempt refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Until the longer of the two locks ends.
    pub wait_secs: u64,
    /// This attempt began a lock (of either key). It is worth an audit event; the attempts
    /// refused during the lock are not, or anyone could fill the audit trail at no cost.
    pub lock_began: bool,
}

impl Limits {
    /// A sign-in attempt at `now`: the records to keep, and how it is refused, if it is (else
    /// the attempt is counted and its password may be checked).
    pub fn attempt(&self, records: Records, now: i64) -> (Records, Option<Refused>) {
        let (account_before, address_before) = (
            Record::at(records.account, now),
            Record::at(records.address, now),
        );
        let account = account_before.locked_if_spent(&self.account, now);
        let address = address_before.locked_if_spent(&self.address, now);
        let refused = account
            .locked_for(now)
            .max(address.locked_for(now))
            .map(|wait_secs| Refused {
                wait_secs,
                lock_began: account.locks > account_before.locks
                    || address.locks > address_before.locks,
            });
        let kept = if refused.is_some() {
            Records {
                account: Some(account),
                address: Some(address),
            }
        } else {
            Records {
                account: Some(account.counted(&self.account, now)),
                address: Some(address.counted(&self.address, now)),
            }
        };
        (kept, refused)
    }
}

/// After a successful sign-in: the account starts afresh, and the address's count of the
/// attempt is taken back (its other failures stay, so one valid account cannot clear them).
pub fn after_success(records: Records) -> Records {
    Records {
        account: None,
        address: records.address.map(Record::taken_back),
    }
}

/// The account's key: as typed, trimmed and lowercased, so `Alice.Wang ` and `alice.wang`
/// share one count whether or not the account exists.
pub fn account_key(business_account: &str) -> String {
    business_account.trim().to_lowercase()
}

/// The address's key. An IPv6 client usually holds a whole /64 network, so that is the key;
/// an IPv4 address mapped into IPv6 counts as the IPv4 address. Without a known address
/// (the app served without connection info), all such requests share one key.
pub fn address_key(address: Option<IpAddr>) -> String {
    match address.map(|a| a.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        account: Policy {
            failures: 3,
            window_secs: 900,
            lock_secs: 60,
            lock_max_secs: 300,
        },
        address: Policy {
            failures: 5,
            window_secs: 900,
            lock_secs: 60,
            lock_max_secs: 300,
        },
    };

    /// What the database would hold: the records after each attempt, for one account and one
    /// address unless a test swaps them.
    struct Keys {
        records: Records,
    }

    impl Keys {
        fn new() -> Self {
            Keys {
                records: Records::default(),
            }
        }

        /// An attempt at `now` that fails when let through; the wait when refused.
        fn fail(&mut self, now: i64) -> Option<u64> {
            self.attempt(now).map(|refused| refused.wait_secs)
        }

        fn attempt(&mut self, now: i64) -> Option<Refused> {
            let (kept, refused) = LIMITS.attempt(self.records, now);
            self.records = kept;
            refused
        }

        fn succeed(&mut self, now: i64) -> Option<u64> {
            let wait = self.fail(now);
            if wait.is_none() {
                self.records = after_success(self.records);
            }
            wait
        }
    }

    #[test]
    fn the_attempt_after_the_allowed_failures_is_refused_for_the_first_lock() {
        let mut keys = Keys::new();
        for second in 0..3 {
            assert_eq!(keys.fail(1000 + second), None);
        }
        assert_eq!(keys.fail(1010), Some(60));
        assert_eq!(
            keys.fail(1040),
            Some(30),
            "refused while locked, counting down"
        );
        assert_eq!(keys.succeed(1069), Some(1), "the right password too");
        assert_eq!(keys.fail(1070), None, "let through once the lock is over");
    }

    #[test]
    fn each_further_lock_lasts_twice_as_long_up_to_the_maximum() {
        let mut keys = Keys::new();
        let mut now = 1000;
        let mut locks = Vec::new();
        for _ in 0..5 {
            // From ever new addresses, so that only the account's limit applies.
            loop {
                keys.records.address = None;
                if keys.fail(now).is_some() {
                    break;
                }
                now += 1;
            }
            let lock = keys.records.account.unwrap().locked_until - now;
            locks.push(lock);
            now += lock;
        }
        assert_eq!(locks, [60, 120, 240, 300, 300]);
    }

    #[test]
    fn the_doubling_is_forgotten_a_window_after_the_last_lock() {
        let mut keys = Keys::new();
        for _ in 0..3 {
            keys.fail(1000);
        }
        assert_eq!(keys.fail(1000), Some(60));
        let after = 1060 + 900;
        for _ in 0..3 {
            assert_eq!(keys.fail(after), None);
        }
        assert_eq!(keys.fail(after), Some(60), "a first lock again");
    }

    #[test]
    fn failures_older_than_the_window_no_longer_count() {
        let mut keys = Keys::new();
        keys.fail(1000);
        keys.fail(1001);
        assert_eq!(
            keys.fail(1000 + 900),
            None,
            "the window began at the first failure"
        );
        keys.fail(1901);
        keys.fail(1902);
        assert_eq!(keys.fail(1903), Some(60));
    }

    #[test]
    fn a_success_clears_the_account_but_not_the_address() {
        let mut keys = Keys::new();
        keys.fail(1000);
        keys.fail(1001);
        assert_eq!(keys.succeed(1002), None);
        assert_eq!(keys.records.account, None);
        assert_eq!(keys.records.address.unwrap().failures, 2);
        for second in 0..3 {
            assert_eq!(keys.fail(1003 + second), None, "three failures again");
        }
        assert_eq!(
            keys.fail(1010),
            Some(60),
            "the address's five are spent too"
        );
        assert_eq!(keys.records.address.unwrap().locks, 1);
    }

    #[test]
    fn a_locked_address_refuses_every_account_and_counts_none() {
        let mut keys = Keys::new();
        for account in 0..5 {
            keys.records.account = None;
            assert_eq!(keys.fail(1000 + account), None);
        }
        keys.records.account = None;
        assert_eq!(keys.fail(1010), Some(60));
        assert_eq!(keys.records.account.unwrap().failures, 0);
    }

    #[test]
    fn a_refused_attempt_reports_the_longer_of_two_locks() {
        let records = Records {
            account: Some(Record {
                failures: 0,
                window_end: 2000,
                locks: 1,
                locked_until: 1100,
            }),
            address: Some(Record {
                failures: 0,
                window_end: 2000,
                locks: 1,
                locked_until: 1300,
            }),
        };
        let (kept, refused) = LIMITS.attempt(records, 1000);
        assert_eq!(refused.map(|r| r.wait_secs), Some(300));
        assert_eq!(kept, records, "nothing changes while locked");
    }

    #[test]
    fn only_the_attempt_that_begins_a_lock_says_so() {
        let mut keys = Keys::new();
        for second in 0..3 {
            assert_eq!(keys.attempt(1000 + second), None);
        }
        let began = |refused: Option<Refused>| refused.map(|r| r.lock_began);
        assert_eq!(began(keys.attempt(1010)), Some(true));
        assert_eq!(began(keys.attempt(1011)), Some(false));
        assert_eq!(began(keys.attempt(1069)), Some(false));
        // After the lock, from another address: three more failures, then the next lock.
        keys.records.address = None;
        for second in 0..3 {
            assert_eq!(keys.attempt(1070 + second), None);
        }
        assert_eq!(began(keys.attempt(1080)), Some(true));
        // An address lock begins too, whichever account was typed.
        let mut keys = Keys::new();
        for account in 0..5 {
            keys.records.account = None;
            assert_eq!(keys.attempt(1000 + account), None);
        }
        keys.records.account = None;
        assert_eq!(began(keys.attempt(1010)), Some(true));
        keys.records.account = None;
        assert_eq!(began(keys.attempt(1011)), Some(false));
    }

    #[test]
    fn accounts_are_keyed_as_typed_but_trimmed_and_lowercased() {
        assert_eq!(account_key(" Alice.Wang "), "alice.wang");
        assert_eq!(account_key("nobody"), "nobody");
    }

    #[test]
    fn addresses_are_keyed_by_ipv4_address_or_ipv6_network() {
        let key = |text: &str| address_key(Some(text.parse().unwrap()));
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff::1"), key("2001:db8:1:2::9"));
        assert_eq!(address_key(None), "unknown");
    }
}
