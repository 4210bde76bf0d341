//! The device clock, replaceable so that tests can put it ahead of or behind
//! the provider's.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in Unix seconds.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// Returns the system clock.
    pub fn system() -> Self {
        Clock(Arc::new(system_now))
    }

    /// Returns the system clock moved by `offset_seconds` (positive: ahead).
    pub fn offset(offset_seconds: i64) -> Self {
        Clock(Arc::new(move || system_now() + offset_seconds))
    }

    /// Returns a clock that reads `now`, for tests that step time themselves.
    pub fn from_fn(now: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock(now: {})", self.now())
    }
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}
