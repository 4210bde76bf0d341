//! A refresh request that the provider handled but whose response never
//! arrived: with rotation, the old refresh token may already be dead. The
//! core may retry once; it must not keep presenting the old token, and a
//! rejection ends the session cleanly.

use std::sync::Arc;
use std::time::Duration;

use dev_idp::{Endpoint, Fault, Options};
use session_core::{SessionError, SessionManager, SessionState, SignedOutReason};

use crate::common::clock::TestClock;
use crate::common::mock::{RotatingTokenEndpoint, Shared};
use crate::common::scenario::Scenario;
use crate::common::storage::FaultyStorage;
use crate::common::{expect_error, expect_ok, idp, kind, no_parameters, secrets};

const ACCESS_TOKEN_LIFETIME: i64 = 3_600;

/// Logs in at a dev identity provider with `rotation`, expires the access
/// token, and makes the next token request meet `fault`.
async fn lost(
    rotation: bool,
    fault: Fault,
    timeout_ms: u32,
) -> (dev_idp::DevIdp, SessionManager, Arc<FaultyStorage>) {
    let idp = idp::start(Options {
        rotation,
        ..Options::default()
    })
    .await;
    let storage = FaultyStorage::new();
    let clock = TestClock::new();
    let manager = SessionManager::with_clock(
        idp::config(&idp, timeout_ms),
        storage.clone(),
        clock.clock(),
    );
    let manager = expect_ok(manager, "creating the manager");
    let login = idp::log_in(&manager.authentication_client()).await;
    expect_ok(manager.save_credentials(login), "saving the login");
    idp.reset_stats();
    clock.advance(ACCESS_TOKEN_LIFETIME + 1);
    idp.inject_fault(Endpoint::Token, fault, 1);
    (idp, manager, storage)
}

/// Checks the end of a session whose rotated refresh token was lost: login
/// required, signed out, and no further requests however often it is asked.
async fn assert_clean_end(
    idp: &dev_idp::DevIdp,
    manager: &SessionManager,
    storage: &FaultyStorage,
) {
    for token in idp.valid_refresh_tokens() {
        secrets::record(&token);
    }
    let error = expect_error(
        manager.credentials(0, false, None, no_parameters()).await,
        "renewal after a lost response",
    );
    assert!(
        matches!(error, SessionError::LoginRequired { .. }),
        "the rejected retry was {}",
        kind(&error)
    );
    let requests = idp.stats().token_requests_for("refresh_token");
    assert!(
        requests <= 2,
        "{requests} refresh requests: more than one retry"
    );
    assert_eq!(
        manager.state(),
        SessionState::SignedOut {
            reason: SignedOutReason::RefreshTokenRejected
        }
    );
    assert!(storage.raw().is_none(), "the dead session stayed stored");

    for _ in 0..5 {
        let error = expect_error(
            manager.credentials(0, false, None, no_parameters()).await,
            "a call after the session ended",
        );
        assert!(
            matches!(error, SessionError::NoCredentials),
            "{}",
            kind(&error)
        );
    }
    assert_eq!(
        idp.stats().token_requests_for("refresh_token"),
        requests,
        "the ended session kept presenting its refresh token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_rotation_response_ends_session_cleanly() {
    let (idp, manager, storage) = lost(true, Fault::DropResponse, 5_000).await;
    assert_clean_end(&idp, &manager, &storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timed_out_rotation_response_ends_session_cleanly() {
    let (idp, manager, storage) = lost(true, Fault::Hang, 1_000).await;
    assert_clean_end(&idp, &manager, &storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_response_without_rotation_is_retried_once() {
    let (idp, manager, storage) = lost(false, Fault::DropResponse, 5_000).await;
    let old_refresh_token = storage.stored_refresh_token();

    let renewed = expect_ok(
        manager.credentials(0, false, None, no_parameters()).await,
        "renewal after a lost response",
    );
    secrets::record_credentials(&renewed);

    assert_eq!(idp.stats().token_requests_for("refresh_token"), 2);
    assert_eq!(manager.state(), SessionState::SignedIn);
    let stored = storage
        .stored_refresh_token()
        .expect("a stored refresh token");
    assert!(idp.is_refresh_token_valid(&stored));
    assert_eq!(Some(stored), old_refresh_token);
}

#[tokio::test(flavor = "multi_thread")]
async fn rotation_lost_to_timeout_is_not_retried_twice() {
    let scenario = Scenario::expired().await;
    let config = scenario.provider.config_with_timeout(500);
    let scenario = scenario.reconfigured(config);
    let endpoint = RotatingTokenEndpoint::new(&scenario.refresh_token, 3600);
    endpoint.delay_next(Duration::from_secs(3));
    scenario
        .provider
        .on("/oauth/token", Shared(endpoint.clone()))
        .await;

    let error = expect_error(scenario.credentials().await, "renewal");

    assert!(
        matches!(error, SessionError::LoginRequired { .. }),
        "the rejected retry was {}",
        kind(&error)
    );
    let requests = scenario.provider.requests_to("/oauth/token").await;
    assert_eq!(requests.len(), 2, "more than one retry, or none");
    let _ = scenario.credentials().await;
    assert_eq!(scenario.provider.token_request_count().await, 2);
    assert_eq!(endpoint.issued().len(), 2);
}
