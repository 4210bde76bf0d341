//! Errors: the public `SessionError` named for what the caller should do, the
//! `StorageError` that storage implementations report, and `ProviderError`,
//! the detailed outcome of one HTTP exchange before the caller's context
//! decides what it means.

use std::sync::Arc;

use crate::credentials::Credentials;

/// See the UDL for the meaning of each case.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no credentials are stored; log in first")]
    NoCredentials,
    #[error(
        "the stored credentials have no refresh token; log in again with the offline_access scope"
    )]
    NoRefreshToken,
    #[error("login required: {message}")]
    LoginRequired { message: String },
    #[error("network error: {message}")]
    Network { message: String },
    #[error("server error (HTTP {status}): {message}")]
    Server {
        status: u16,
        message: String,
        retry_after_seconds: Option<u64>,
    },
    #[error("request rejected (HTTP {status}, {error}): {message}")]
    Rejected {
        status: u16,
        error: String,
        message: String,
    },
    #[error("invalid response: {message}")]
    InvalidResponse { message: String },
    #[error("invalid id_token: {message}")]
    InvalidIdToken { message: String },
    #[error("clock skew: {message}")]
    ClockSkew { message: String },
    #[error("authorization failed: {message}")]
    AuthorizationFailed { message: String },
    #[error("secure storage is unavailable: {message}")]
    StorageUnavailable { message: String },
    #[error("writing to secure storage failed: {message}")]
    StorageFailed {
        credentials: Option<Arc<Credentials>>,
        message: String,
    },
    #[error("configuration error: {message}")]
    Configuration { message: String },
    #[error("the minimum time to live of {min_ttl_seconds} s exceeds the token lifetime of {lifetime_seconds} s")]
    MinTtlTooLarge {
        min_ttl_seconds: u64,
        lifetime_seconds: u64,
    },
    #[error("the user logged out while this call was running")]
    LoggedOut,
}

/// See the UDL for the meaning of each case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("storage unavailable: {message}")]
    Unavailable { message: String },
    #[error("storage failed: {message}")]
    Failed { message: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for StorageError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        StorageError::Failed {
            message: format!(
                "storage implementation failed unexpectedly: {}",
                error.reason
            ),
        }
    }
}
