//! Throttles of password guessing and mass registration: counts per account and per client
//! address over a fixed window, read from the node's clock.
//!
//! A login that fails counts against the account it names and against the client's address;
//! once either has used up its share of the window (`login_failures_per_account_max`,
//! `login_failures_per_client_max` per `throttle_window_ms`), logins are answered 429
//! `too_many_attempts` with `Retry-After` until the window ends, before any password is hashed.
//! Without this, 200 wrong passwords for one user took 2.7 s. A registration counts against the
//! client's address (`registrations_per_client_max`), which also slows the one question a
//! registration answers about others: whether a name is taken (409 `username_taken`, kept
//! because the product has no other way to tell a customer to choose another name; see
//! docs/architecture.md).
//!
//! The caveat of counting per account: whoever guesses wrong for an account can hold its owner
//! out for a window. The window is short and the count generous, so that costs the attacker
//! more than it costs the owner. The counts are in memory and bounded
//! (`throttle_entries_max`); a restart forgets them.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use crate::config::Limits;

/// Counts per key in fixed windows, and says when a key has used up its window.
#[derive(Debug)]
pub struct Throttle<K> {
    limit: u32,
    window_ms: i64,
    entries_max: usize,
    windows: Mutex<HashMap<K, Window>>,
}

/// One key's window: when it started and what it has counted.
#[derive(Debug, Clone, Copy)]
struct Window {
    started_ms: i64,
    count: u32,
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    /// At most `limit` counts per key in each `window`, for at most `entries_max` keys at once.
    pub fn new(limit: u32, window: Duration, entries_max: usize) -> Self {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        Self { limit, window_ms, entries_max, windows: Mutex::default() }
    }

    /// How long `key` must wait before it may try again, if it has used up its window.
    pub fn wait(&self, key: &K, now: Timestamp) -> Option<Duration> {
        let now_ms = now.as_millisecond();
        let windows = self.windows.lock().expect("the throttle is never poisoned");
        let window = windows.get(key).filter(|window| self.current(window, now_ms))?;
        let left_ms = window.started_ms + self.window_ms - now_ms;
        (window.count >= self.limit).then(|| Duration::from_millis(left_ms.max(1) as u64))
    }

    /// Counts one more for `key`.
    pub fn count(&self, key: &K, now: Timestamp) {
        let now_ms = now.as_millisecond();
        let mut windows = self.windows.lock().expect("the throttle is never poisoned");
        if windows.len() >= self.entries_max && !windows.contains_key(key) {
            windows.retain(|_, window| self.current(window, now_ms));
            if windows.len() >= self.entries_max {
                tracing::warn!("the throttle is full; a key goes uncounted");
                return;
            }
        }
        let window = windows.entry(key.clone()).or_insert(Window { started_ms: now_ms, count: 0 });
        if !self.current(window, now_ms) {
            *window = Window { started_ms: now_ms, count: 0 };
        }
        window.count += 1;
    }

    fn current(&self, window: &Window, now_ms: i64) -> bool {
        now_ms < window.started_ms + self.window_ms
    }
}

/// The node's throttles of logins and registrations.
#[derive(Debug)]
pub struct Throttles {
    /// Failed logins, by the (lowercased) username they named.
    pub login_failures_by_account: Throttle<String>,
    /// Failed logins, by client address.
    pub login_failures_by_client: Throttle<IpAddr>,
    /// Registrations, by client address.
    pub registrations_by_client: Throttle<IpAddr>,
}

impl Throttles {
    /// The throttles `limits` set.
    pub fn new(limits: &Limits) -> Self {
        let window = Duration::from_millis(limits.throttle_window_ms);
        let entries = limits.throttle_entries_max;
        Self {
            login_failures_by_account: Throttle::new(
                limits.login_failures_per_account_max,
                window,
                entries,
            ),
            login_failures_by_client: Throttle::new(
                limits.login_failures_per_client_max,
                window,
                entries,
            ),
            registrations_by_client: Throttle::new(
                limits.registrations_per_client_max,
                window,
                entries,
            ),
        }
    }

    /// How long a login for `account` from `client` must wait, if either has used up its share.
    pub fn login_wait(&self, account: &str, client: IpAddr, now: Timestamp) -> Option<Duration> {
        let by_account = self.login_failures_by_account.wait(&account.to_lowercase(), now);
        let by_client = self.login_failures_by_client.wait(&client, now);
        by_account.max(by_client)
    }

    /// Counts a failed login for `account` from `client`.
    pub fn login_failed(&self, account: &str, client: IpAddr, now: Timestamp) {
        self.login_failures_by_account.count(&account.to_lowercase(), now);
        self.login_failures_by_client.count(&client, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).unwrap()
    }

    #[test]
    fn a_key_waits_once_its_window_is_used_up_and_only_until_it_ends() {
        let throttle = Throttle::new(2, Duration::from_secs(10), 100);
        throttle.count(&"ana", at(0));
        assert_eq!(throttle.wait(&"ana", at(1_000)), None);
        throttle.count(&"ana", at(1_000));
        assert_eq!(throttle.wait(&"ana", at(4_000)), Some(Duration::from_secs(6)));
        assert_eq!(throttle.wait(&"bia", at(4_000)), None, "other keys are not held");
        assert_eq!(throttle.wait(&"ana", at(10_000)), None, "a new window");
    }

    #[test]
    fn a_full_throttle_makes_room_from_ended_windows() {
        let throttle = Throttle::new(1, Duration::from_secs(10), 2);
        throttle.count(&1, at(0));
        throttle.count(&2, at(0));
        throttle.count(&3, at(5_000));
        assert_eq!(throttle.wait(&3, at(5_000)), None, "no room: uncounted");
        throttle.count(&3, at(10_000));
        assert!(throttle.wait(&3, at(10_000)).is_some(), "room once the windows ended");
    }
}
