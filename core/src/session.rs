//! The session's shared state: the credentials as last read from or written
//! to storage, the generation that logout and save advance, the renewal in
//! flight, and the state reported to the listener.
//!
//! States and what moves between them:
//!
//! ```text
//!   SignedOut ──save──▶ SignedIn ──renewal starts──▶ Renewing
//!       ▲                  ▲  ◀──success or retryable error──┘ │
//!       │                  └──────── storage readable again    │
//!       └──logout / refresh token rejected / unreadable record─┘
//!   any state ──storage locked on first read──▶ StorageUnavailable
//! ```

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::client::AuthenticationClient;
use crate::credentials::{Credentials, TokenSet};
use crate::error::{SessionError, StorageError};
use crate::notifier::{lock, Notifier};
use crate::record;
use crate::state::{SessionState, SignedOutReason};
use crate::storage::SecureStorage;

/// The storage key of the session record.
pub const STORAGE_KEY: &str = "sessioncore.credentials";

/// The outcome of a renewal, sent to every caller waiting on it.
#[derive(Clone, Debug)]
pub enum RenewalOutcome {
    Renewed(Arc<Credentials>),
    Failed(SessionError),
    /// The session changed while the renewal ran (new credentials were
    /// saved, or another renewal stored a newer refresh token): the caller
    /// looks at the session again.
    Superseded,
}

pub struct Renewal {
    pub id: u64,
    pub done: watch::Receiver<Option<RenewalOutcome>>,
}

pub enum Stored {
    /// Storage was not read yet, or could not be read.
    Unloaded,
    Loaded(Option<Arc<Credentials>>),
}

pub struct Shared {
    pub stored: Stored,
    /// Advanced by every save and logout. A renewal commits its result only
    /// if the generation it started in is still current.
    pub generation: u64,
    pub renewal: Option<Renewal>,
    pub next_renewal_id: u64,
    pub state: SessionState,
    /// Set by a 429 response: no renewal request is sent before this time.
    pub retry_not_before: Option<i64>,
}

pub struct Session {
    pub client: Arc<AuthenticationClient>,
    pub storage: Arc<dyn SecureStorage>,
    pub shared: Mutex<Shared>,
    pub notifier: Notifier,
}

impl Session {
    pub fn new(client: Arc<AuthenticationClient>, storage: Arc<dyn SecureStorage>) -> Self {
        Session {
            client,
            storage,
            shared: Mutex::new(Shared {
                stored: Stored::Unloaded,
                generation: 0,
                renewal: None,
                next_renewal_id: 0,
                state: SessionState::SignedOut {
                    reason: SignedOutReason::NoCredentials,
                },
                retry_not_before: None,
            }),
            notifier: Notifier::default(),
        }
    }

    pub fn now(&self) -> i64 {
        self.client.clock().now()
    }

    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        lock(&self.shared)
    }

    /// Records a state change for the listener; `deliver` sends it once the
    /// lock is released.
    pub fn set_state(&self, shared: &mut Shared, state: SessionState) {
        if shared.state != state {
            shared.state = state.clone();
            self.notifier.push(state);
        }
    }

    pub fn deliver(&self) {
        self.notifier.deliver();
    }

    /// Returns the stored credentials, reading storage on first use. An
    /// unreadable record is removed and the session reported signed out;
    /// locked storage is an error that leaves the session as it was.
    pub fn load(&self, shared: &mut Shared) -> Result<Option<Arc<Credentials>>, SessionError> {
        if let Stored::Loaded(credentials) = &shared.stored {
            return Ok(credentials.clone());
        }
        let bytes = match contain(|| self.storage.read(STORAGE_KEY.to_string())) {
            Ok(bytes) => bytes,
            Err(error) => {
                if matches!(error, StorageError::Unavailable { .. }) {
                    self.set_state(shared, SessionState::StorageUnavailable);
                }
                tracing::warn!(%error, "reading the stored session failed");
                return Err(storage_error(error, None));
            }
        };
        let Some(bytes) = bytes else {
            shared.stored = Stored::Loaded(None);
            self.set_signed_out(shared, SignedOutReason::NoCredentials);
            return Ok(None);
        };
        match record::decode(&bytes) {
            Ok(tokens) => {
                let current = record::encode(&tokens);
                if current != bytes {
                    // An older record version: store it in the current one.
                    if let Err(error) =
                        contain(|| self.storage.write(STORAGE_KEY.to_string(), current))
                    {
                        tracing::warn!(%error, "rewriting a migrated session record failed");
                    }
                }
                let credentials = Arc::new(Credentials::from_tokens(tokens));
                shared.stored = Stored::Loaded(Some(credentials.clone()));
                self.set_state(shared, SessionState::SignedIn);
                Ok(Some(credentials))
            }
            Err(reason) => {
                tracing::warn!(%reason, "the stored session record is unreadable; removing it");
                if let Err(error) = contain(|| self.storage.delete(STORAGE_KEY.to_string())) {
                    tracing::warn!(%error, "removing the unreadable session record failed");
                }
                shared.stored = Stored::Loaded(None);
                self.set_signed_out(shared, SignedOutReason::UnreadableRecord);
                Ok(None)
            }
        }
    }

    /// Writes `tokens` and makes them the session's credentials. They stay
    /// in memory even when the write fails, and the error returns them.
    pub fn store(
        &self,
        shared: &mut Shared,
        tokens: TokenSet,
    ) -> Result<Arc<Credentials>, SessionError> {
        let record = record::encode(&tokens);
        // Memory first: if the write fails, or the app's storage panics, the
        // new credentials (maybe a rotated refresh token) are still kept.
        let credentials = Arc::new(Credentials::from_tokens(tokens));
        shared.stored = Stored::Loaded(Some(credentials.clone()));
        self.set_state(shared, SessionState::SignedIn);
        let written = contain(|| self.storage.write(STORAGE_KEY.to_string(), record));
        match written {
            Ok(()) => Ok(credentials),
            Err(error) => {
                tracing::warn!(%error, "writing the session record failed; keeping it in memory");
                Err(storage_error(error, Some(credentials)))
            }
        }
    }

    /// Ends the session locally: drops the credentials, deletes the record
    /// and discards any renewal in flight.
    pub fn clear(&self, shared: &mut Shared, reason: SignedOutReason) -> Result<(), SessionError> {
        shared.generation += 1;
        shared.renewal = None;
        shared.retry_not_before = None;
        shared.stored = Stored::Loaded(None);
        self.set_signed_out(shared, reason);
        contain(|| self.storage.delete(STORAGE_KEY.to_string()))
            .map_err(|error| storage_error(error, None))
    }

    fn set_signed_out(&self, shared: &mut Shared, reason: SignedOutReason) {
        self.set_state(shared, SessionState::SignedOut { reason });
    }
}

/// Calls the app's storage, turning a panic into a storage failure so that
/// it cannot leave the session half-changed.
fn contain<T>(call: impl FnOnce() -> Result<T, StorageError>) -> Result<T, StorageError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).unwrap_or_else(|_| {
        tracing::error!("the storage implementation panicked");
        Err(StorageError::Failed {
            message: "the storage implementation panicked".to_string(),
        })
    })
}

/// Maps a storage failure to the caller's error, carrying credentials that
/// were kept in memory when the failure was a write.
pub fn storage_error(error: StorageError, credentials: Option<Arc<Credentials>>) -> SessionError {
    match error {
        StorageError::Unavailable { message } => SessionError::StorageUnavailable {
            credentials,
            message,
        },
        StorageError::Failed { message } => SessionError::StorageFailed {
            credentials,
            message,
        },
    }
}
