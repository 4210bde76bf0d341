//! Tokens far larger than the samples in documentation: access tokens that
//! carry many group claims, id_tokens with large profiles. They are stored
//! and read back byte for byte, by every storage.

use std::sync::Arc;

use serde_json::json;
use session_core::{file_storage, memory_storage, SecureStorage, SessionManager};

use crate::common::clock::TestClock;
use crate::common::mock::{json_response, token_body, MockProvider};
use crate::common::scenario::Scenario;
use crate::common::storage::FaultyStorage;
use crate::common::{credentials, expect_ok, keys, no_parameters, secrets};

/// Builds a JWT of about `length` bytes, sized by a padding claim.
fn large_id_token(issuer: &str, length: usize) -> String {
    let padding = "p".repeat(length * 3 / 4 - 200);
    let token = keys::unsigned_claims(&json!({
        "iss": issuer,
        "sub": "auth0|large-profile",
        "aud": crate::common::mock::CLIENT_ID,
        "iat": keys::now(),
        "exp": keys::now() + 36_000,
        "padding": padding,
    }));
    assert!(
        token.len() >= length - 100,
        "the id_token is {} bytes",
        token.len()
    );
    token
}

/// Saves credentials with the given token sizes to `storage`, reads them
/// back through a second manager, and compares them byte for byte.
async fn assert_round_trip(
    storage: Arc<dyn SecureStorage>,
    access_length: usize,
    id_length: usize,
) {
    let provider = MockProvider::start().await;
    let clock = TestClock::new();
    let access_token = secrets::long_token("at", access_length);
    let refresh_token = secrets::long_token("rt", 2_048);
    let id_token = large_id_token(&provider.issuer(), id_length);
    let saved = credentials(&access_token, Some(&id_token), Some(&refresh_token), 3600);

    let writer = provider.manager(storage.clone(), &clock);
    expect_ok(writer.save_credentials(saved), "saving large tokens");
    let reader: SessionManager = provider.manager(storage, &clock);
    let read = expect_ok(
        reader.credentials(0, true, None, no_parameters()).await,
        "reading large tokens",
    );

    assert!(
        read.access_token() == access_token,
        "the access token changed"
    );
    assert!(read.id_token() == Some(id_token), "the id_token changed");
    assert!(
        read.refresh_token() == Some(refresh_token),
        "the refresh token changed"
    );
    assert_eq!(provider.token_request_count().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn large_tokens_round_trip_in_memory_storage() {
    assert_round_trip(memory_storage(), 12 * 1024, 4 * 1024).await;
    assert_round_trip(memory_storage(), 70 * 1024, 4 * 1024).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn large_tokens_round_trip_in_file_storage() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().to_string_lossy().to_string();
    let storage = expect_ok(file_storage(path.clone()), "file storage");
    assert_round_trip(storage, 12 * 1024, 4 * 1024).await;
    let storage = expect_ok(file_storage(path), "file storage");
    assert_round_trip(storage, 70 * 1024, 4 * 1024).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn large_tokens_round_trip_in_app_storage() {
    assert_round_trip(FaultyStorage::new(), 12 * 1024, 4 * 1024).await;
    assert_round_trip(FaultyStorage::new(), 70 * 1024, 4 * 1024).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn large_renewed_tokens_are_stored_byte_for_byte() {
    let scenario = Scenario::expired().await;
    let access_token = secrets::long_token("at", 70 * 1024);
    let refresh_token = secrets::long_token("rt", 12 * 1024);
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            Some(&refresh_token),
            None,
            3600,
        )))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");
    assert!(renewed.access_token() == access_token);

    let read = expect_ok(
        scenario
            .restarted()
            .credentials(0, false, None, no_parameters())
            .await,
        "reading after a restart",
    );
    assert!(
        read.access_token() == access_token,
        "the access token changed"
    );
    assert!(
        read.refresh_token() == Some(refresh_token),
        "the refresh token changed"
    );
}
