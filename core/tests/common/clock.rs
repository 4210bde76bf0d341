//! A device clock that a test moves: the system clock plus an offset.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use session_core::Clock;

use super::keys;

/// The system clock shifted by an offset that the test changes at will.
#[derive(Clone, Default)]
pub struct TestClock {
    offset: Arc<AtomicI64>,
}

impl TestClock {
    pub fn new() -> Self {
        TestClock::default()
    }

    /// The clock to give a `SessionManager`; it follows later `advance` calls.
    pub fn clock(&self) -> Clock {
        let offset = self.offset.clone();
        Clock::from_fn(move || keys::now() + offset.load(Ordering::SeqCst))
    }

    /// Moves the clock `seconds` forward (backward when negative).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// The clock's current reading, in Unix seconds.
    pub fn now(&self) -> i64 {
        keys::now() + self.offset.load(Ordering::SeqCst)
    }
}
