//! Refresh and reconnect delays: boundaries and properties.

use pc_sip::{reconnect_delay_ms, refresh_delay_ms};
use proptest::prelude::*;

#[test]
fn refresh_boundaries() {
    assert_eq!(refresh_delay_ms(0), 1000);
    assert_eq!(refresh_delay_ms(1), 1000);
    assert_eq!(refresh_delay_ms(2), 1000);
    assert_eq!(refresh_delay_ms(3), 1500);
    assert_eq!(refresh_delay_ms(64), 32_000);
    assert_eq!(refresh_delay_ms(65), 33_000);
    assert_eq!(refresh_delay_ms(320), 288_000);
    assert_eq!(refresh_delay_ms(600), 540_000);
    assert_eq!(refresh_delay_ms(3600), 3_240_000);
    assert_eq!(refresh_delay_ms(u32::MAX), u64::from(u32::MAX) * 900);
}

#[test]
fn reconnect_boundaries() {
    assert_eq!(reconnect_delay_ms(0, 0.5), 1000);
    assert_eq!(reconnect_delay_ms(1, 0.5), 2000);
    assert_eq!(reconnect_delay_ms(5, 0.5), 32_000);
    assert_eq!(reconnect_delay_ms(6, 0.5), 60_000);
    assert_eq!(reconnect_delay_ms(u32::MAX, 0.5), 60_000);
    assert_eq!(reconnect_delay_ms(0, 0.0), 800);
    assert_eq!(reconnect_delay_ms(u32::MAX, 0.999_999_9), 72_000);
    assert_eq!(reconnect_delay_ms(0, f64::NAN), 1000);
    assert_eq!(reconnect_delay_ms(0, -3.0), 800);
    assert_eq!(reconnect_delay_ms(40, f64::INFINITY), 72_000);
}

proptest! {
    #[test]
    fn refresh_is_strictly_before_expiry_and_never_zero(expires in 2u32..) {
        let delay = refresh_delay_ms(expires);
        prop_assert!(delay >= 1000);
        prop_assert!(delay < u64::from(expires) * 1000);
    }

    #[test]
    fn refresh_is_monotone(expires in 0u32..u32::MAX) {
        prop_assert!(refresh_delay_ms(expires) <= refresh_delay_ms(expires + 1));
    }

    #[test]
    fn reconnect_is_monotone_and_bounded(attempt in any::<u32>(), jitter in 0.0f64..1.0) {
        let delay = reconnect_delay_ms(attempt, jitter);
        prop_assert!((800..=72_000).contains(&delay));
        prop_assert!(delay <= reconnect_delay_ms(attempt.saturating_add(1), jitter));
    }

    #[test]
    fn reconnect_stays_in_bounds_for_any_jitter(attempt in any::<u32>(), jitter in any::<f64>()) {
        prop_assert!((800..=72_000).contains(&reconnect_delay_ms(attempt, jitter)));
    }
}
