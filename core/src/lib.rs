//! SessionCore keeps a signed-in user signed in: it stores OAuth 2.0 / OpenID
//! Connect credentials through the app's secure storage, renews them before
//! they expire, and ends the session on logout. The foreign interface, seen
//! from Kotlin and Swift, is `session_core.udl`; Rust programs use the same
//! types directly.

mod client;
mod clock;
mod config;
mod credentials;
mod error;
pub mod fuzzing;
mod id_token;
mod jwt;
mod manager;
mod notifier;
mod pkce;
mod provider;
mod record;
mod renewal;
mod runtime;
mod session;
mod state;
mod storage;
mod token_response;

use std::path::PathBuf;
use std::sync::Arc;

pub use client::AuthenticationClient;
pub use clock::Clock;
pub use config::AuthConfig;
pub use credentials::{Credentials, Delegation, TokenSet};
pub use error::{SessionError, StorageError};
pub use manager::SessionManager;
pub use pkce::AuthorizationRequest;
pub use state::{RevocationOutcome, SessionListener, SessionState, SignedOutReason};
pub use storage::{FileStorage, MemoryStorage, SecureStorage};

/// The standard OpenID Connect claims of the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserProfile {
    pub sub: String,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub nickname: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub picture: Option<String>,
    pub updated_at: Option<i64>,
    pub extra_claims_json: String,
}

/// Returns the version of this library.
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Creates storage in process memory.
pub fn memory_storage() -> Arc<dyn SecureStorage> {
    Arc::new(MemoryStorage::default())
}

/// Creates storage in files of `directory`.
pub fn file_storage(directory: String) -> Result<Arc<dyn SecureStorage>, SessionError> {
    let storage = FileStorage::new(PathBuf::from(directory)).map_err(|error| {
        SessionError::StorageFailed {
            credentials: None,
            message: error.to_string(),
        }
    })?;
    Ok(Arc::new(storage))
}

/// Compiles the README's examples as doctests, so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}

uniffi::include_scaffolding!("session_core");
