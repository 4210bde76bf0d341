//! The fault-injection harness shared by the fault suite, the stress test and
//! the property tests: a wiremock provider that signs id_tokens, the dev
//! identity provider with a login helper, storage that fails on demand, a
//! clock that tests move, and the record of every token a test handled, for
//! the secrets scan.

// Each test binary uses a different part of the harness.
#![allow(dead_code)]

pub mod clock;
pub mod idp;
pub mod keys;
pub mod mock;
pub mod scenario;
pub mod secrets;
pub mod storage;

use std::collections::HashMap;
use std::sync::Arc;

use session_core::{Credentials, SessionError};

/// The redirect URI every test configuration registers.
pub const REDIRECT_URI: &str = "com.example.app://callback";

/// The scope every test configuration asks for.
pub const SCOPE: &str = "openid profile email offline_access";

/// No extra request parameters.
pub fn no_parameters() -> HashMap<String, String> {
    HashMap::new()
}

/// Returns the variant name of an error, so that an assertion message names
/// the case without printing any message text.
pub fn kind(error: &SessionError) -> &'static str {
    match error {
        SessionError::NoCredentials => "NoCredentials",
        SessionError::NoRefreshToken => "NoRefreshToken",
        SessionError::LoginRequired { .. } => "LoginRequired",
        SessionError::Network { .. } => "Network",
        SessionError::Server { .. } => "Server",
        SessionError::Rejected { .. } => "Rejected",
        SessionError::InvalidResponse { .. } => "InvalidResponse",
        SessionError::InvalidIdToken { .. } => "InvalidIdToken",
        SessionError::ClockSkew { .. } => "ClockSkew",
        SessionError::AuthorizationFailed { .. } => "AuthorizationFailed",
        SessionError::StorageUnavailable { .. } => "StorageUnavailable",
        SessionError::StorageFailed { .. } => "StorageFailed",
        SessionError::Configuration { .. } => "Configuration",
        SessionError::MinTtlTooLarge { .. } => "MinTtlTooLarge",
        SessionError::LoggedOut => "LoggedOut",
    }
}

/// Unwraps a result that must be an error, naming the success otherwise
/// without printing its tokens.
pub fn expect_error<T>(result: Result<T, SessionError>, what: &str) -> SessionError {
    match result {
        Ok(_) => panic!("{what}: expected an error, got a success"),
        Err(error) => error,
    }
}

/// Unwraps a result that must succeed, naming the error kind otherwise.
pub fn expect_ok<T>(result: Result<T, SessionError>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("{what}: expected success, got {} ({error})", kind(&error)),
    }
}

/// Asserts that `text` contains none of `secrets`. The failure message says
/// which secret leaked by position, never the secret or the text.
#[track_caller]
pub fn assert_no_secrets(text: &str, secrets: &[&str], what: &str) {
    for (index, secret) in secrets.iter().enumerate() {
        assert!(
            !text.contains(secret),
            "{what} contains secret #{index} ({} characters)",
            secret.len()
        );
    }
}

/// Asserts that neither the `Display` nor the `Debug` text of `error`
/// contains any of `secrets`.
#[track_caller]
pub fn assert_error_hides(error: &SessionError, secrets: &[&str]) {
    assert_no_secrets(&error.to_string(), secrets, kind(error));
    assert_no_secrets(&format!("{error:?}"), secrets, kind(error));
}

/// Credentials as an app would save them after login, with the expiry
/// counted from the system clock.
pub fn credentials(
    access_token: &str,
    id_token: Option<&str>,
    refresh_token: Option<&str>,
    expires_in: u64,
) -> Arc<Credentials> {
    let credentials = Credentials::new(
        access_token.to_string(),
        "Bearer".to_string(),
        id_token.map(str::to_string),
        refresh_token.map(str::to_string),
        expires_in,
        Some(SCOPE.to_string()),
    );
    Arc::new(expect_ok(credentials, "creating test credentials"))
}
