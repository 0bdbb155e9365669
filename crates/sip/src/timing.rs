//! When to refresh a binding and when to reconnect. Pure functions of their inputs: the app owns
//! the clock and the timers, this crate only does the arithmetic so it can be tested exhaustively.

/// Delay before refreshing a binding granted for `expires_secs`, in ms.
///
/// Rule: for `expires_secs > 64` refresh `max(32 s, 10 % of expires)` before expiry (600 s →
/// after 540 s), leaving time for a challenge round-trip and a retry; for shorter bindings
/// refresh at half-time. Never below 1 s, so a registrar granting 0 or 1 s cannot make the
/// app spin. Strictly before expiry for every `expires_secs >= 2`.
pub fn refresh_delay_ms(expires_secs: u32) -> u64 {
    let expires_ms = u64::from(expires_secs) * 1000;
    let delay = if expires_secs > 64 {
        expires_ms - (expires_ms / 10).max(32_000)
    } else {
        expires_ms / 2
    };
    delay.max(1000)
}

/// Backoff before reconnecting after attempt number `attempt` (0 for the first reconnect) failed:
/// 1 s doubling up to 60 s, times a factor in [0.8, 1.2) taken from `jitter` in [0, 1) so that many
/// agents dropped at once do not reconnect in lock-step. Out-of-range or NaN jitter is clamped.
/// Result always in [800 ms, 72 s].
pub fn reconnect_delay_ms(attempt: u32, jitter: f64) -> u64 {
    let base_ms = (1000u64 << attempt.min(6)).min(60_000);
    let jitter = if jitter.is_nan() {
        0.5
    } else {
        jitter.clamp(0.0, 1.0)
    };
    let delay = (base_ms as f64 * (0.8 + 0.4 * jitter)).round() as u64;
    delay.clamp(800, 72_000)
}
