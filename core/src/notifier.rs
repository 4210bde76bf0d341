//! Delivery of state changes to the app's listener: one call at a time, in
//! the order the changes happened, and never under the session lock, so a
//! listener may call back into the manager.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::state::{SessionListener, SessionState};

#[derive(Default)]
pub struct Notifier {
    listener: Mutex<Option<Arc<dyn SessionListener>>>,
    queue: Mutex<VecDeque<SessionState>>,
    delivering: Mutex<()>,
}

impl Notifier {
    pub fn set_listener(&self, listener: Option<Box<dyn SessionListener>>) {
        *lock(&self.listener) = listener.map(Arc::from);
    }

    /// Queues a change. Called under the session lock, which fixes the order.
    pub fn push(&self, state: SessionState) {
        lock(&self.queue).push_back(state);
    }

    /// Delivers queued changes. Called after the session lock is released.
    /// When another thread is delivering, it delivers this change too.
    pub fn deliver(&self) {
        loop {
            let Ok(_delivering) = self.delivering.try_lock() else {
                return;
            };
            loop {
                let Some(state) = lock(&self.queue).pop_front() else {
                    break;
                };
                let listener = lock(&self.listener).clone();
                if let Some(listener) = listener {
                    // The app's listener must not break the call that
                    // changed the state, so its panics stop here.
                    let call = AssertUnwindSafe(|| listener.on_state_changed(state));
                    if std::panic::catch_unwind(call).is_err() {
                        tracing::error!(
                            "the session listener panicked; the state change was dropped"
                        );
                    }
                }
            }
            drop(_delivering);
            // A change pushed after the last pop, while this thread still
            // held the delivery lock, would otherwise wait for the next one.
            if lock(&self.queue).is_empty() {
                return;
            }
        }
    }
}

/// Locks `mutex`, ignoring poisoning: the data behind these locks stays
/// consistent even if a listener panicked mid-call.
pub fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
