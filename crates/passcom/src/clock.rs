//! Where the node gets the time and its randomness.
//!
//! Nothing in the node calls `SystemTime::now()` or the OS random generator directly: it asks
//! its [`Clock`] and its [`Entropy`]. Production uses the system's; tests use a clock they move
//! by hand (session expiry without sleeping); the deterministic simulator will use seeded twins
//! so that a failing run replays exactly.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A source of the current instant.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system's clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved, for tests.
#[derive(Debug)]
pub struct ManualClock {
    millis: AtomicI64,
}

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: Timestamp) -> Self {
        Self { millis: AtomicI64::new(at.as_millisecond()) }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: SignedDuration) {
        self.millis.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.millis.load(Ordering::SeqCst))
            .expect("the manual clock stays in range")
    }
}

/// A source of random bytes. Session tokens come from here, so the production source must be
/// cryptographically secure.
pub trait Entropy: Send + Sync + 'static {
    /// Fills `bytes` with random bytes.
    fn fill(&self, bytes: &mut [u8]);

    /// A random 64-bit number.
    fn next_u64(&self) -> u64 {
        let mut bytes = [0; 8];
        self.fill(&mut bytes);
        u64::from_le_bytes(bytes)
    }
}

/// The operating system's secure generator (through a thread-local ChaCha reseeded from it).
#[derive(Debug, Default)]
pub struct SystemEntropy;

impl Entropy for SystemEntropy {
    fn fill(&self, bytes: &mut [u8]) {
        rand::rng().fill_bytes(bytes);
    }
}

/// A generator that yields the same bytes for the same seed: for simulation and tests only.
#[derive(Debug)]
pub struct SeededEntropy {
    generator: Mutex<StdRng>,
}

impl SeededEntropy {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self { generator: Mutex::new(StdRng::seed_from_u64(seed)) }
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, bytes: &mut [u8]) {
        self.generator.lock().expect("the generator lock is never poisoned").fill_bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_clock_moves_only_when_told() {
        let start: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(SignedDuration::from_mins(31));
        assert_eq!(clock.now(), "2026-12-01T10:31:00Z".parse().unwrap());
    }

    #[test]
    fn seeded_entropy_repeats_and_system_entropy_does_not() {
        assert_eq!(SeededEntropy::new(7).next_u64(), SeededEntropy::new(7).next_u64());
        assert_ne!(SystemEntropy.next_u64(), SystemEntropy.next_u64());
    }
}
