//! Errors: the public `SessionError` named for what the caller should do, the
//! `StorageError` that storage implementations report, and `ProviderError`,
//! the detailed outcome of one HTTP exchange before the caller's context
//! decides what it means.

use std::sync::Arc;

use crate::credentials::Credentials;
use crate::provider::ProviderError;

/// See the UDL for the meaning of each case. Messages never contain a token.
#[derive(Clone, Debug, thiserror::Error)]
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
    StorageUnavailable {
        credentials: Option<Arc<Credentials>>,
        message: String,
    },
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

/// Longest provider-supplied description kept in an error message.
const MAX_DESCRIPTION_CHARS: usize = 200;

/// Decides what a provider error means for the caller. `invalid_grant` maps
/// to `LoginRequired` here; whether the session ends is the manager's call.
/// `secrets` are the tokens sent with the request: they are cut out of any
/// text the provider sent back.
pub(crate) fn from_provider(error: ProviderError, secrets: &[&str]) -> SessionError {
    match error {
        ProviderError::Network(message) => SessionError::Network { message },
        ProviderError::Server {
            status,
            message,
            retry_after,
        } => SessionError::Server {
            status,
            message,
            retry_after_seconds: retry_after,
        },
        ProviderError::InvalidResponse(message) => SessionError::InvalidResponse { message },
        ProviderError::NotFound { endpoint, status } => SessionError::Configuration {
            message: format!(
                "the provider answered HTTP {status} at its {endpoint} endpoint; check the \
                 domain or issuer, and that the endpoint is enabled for this client"
            ),
        },
        ProviderError::Unsupported(message) | ProviderError::Configuration(message) => {
            SessionError::Configuration { message }
        }
        ProviderError::OAuth { status, error } => {
            let code = redact(&error.error, secrets);
            let description = error
                .description
                .as_deref()
                .map(|text| redact(text, secrets))
                .unwrap_or_default();
            let message = if description.is_empty() {
                format!("the provider answered {code}")
            } else {
                format!("the provider answered {code}: {description}")
            };
            match error.error.as_str() {
                "invalid_grant"
                | "login_required"
                | "interaction_required"
                | "consent_required" => SessionError::LoginRequired { message },
                "invalid_client"
                | "unauthorized_client"
                | "unsupported_grant_type"
                | "invalid_audience" => SessionError::Configuration { message },
                "temporarily_unavailable" | "server_error" => SessionError::Server {
                    status,
                    message,
                    retry_after_seconds: None,
                },
                _ => SessionError::Rejected {
                    status,
                    error: code,
                    message,
                },
            }
        }
    }
}

/// Longest message built around provider-controlled values (an id_token's
/// `iss`, a redirect's `error_description`) that an error keeps.
const MAX_MESSAGE_CHARS: usize = 400;

/// Removes control characters from a message that quotes provider-controlled
/// values, and shortens it, so that no forged log line or huge value gets
/// through.
pub(crate) fn clean_message(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE_CHARS)
        .collect()
}

/// Cuts `secrets` out of provider text and shortens it, so that an echoed
/// token or a long page never reaches a message.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut cleaned = text.to_string();
    for secret in secrets.iter().filter(|secret| secret.len() >= 4) {
        cleaned = cleaned.replace(secret, "<redacted>");
    }
    let cleaned: String = cleaned
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DESCRIPTION_CHARS)
        .collect();
    cleaned
}
