//! Strict refresh token rotation (each refresh token works once) while many
//! callers need a renewal at the same moment: exactly one request, one new
//! refresh token, and every caller gets the new access token.

use std::sync::Arc;
use std::time::Duration;

use dev_idp::{DevIdp, Options};
use session_core::{Credentials, SessionManager};

use crate::common::clock::TestClock;
use crate::common::storage::FaultyStorage;
use crate::common::{expect_ok, idp, no_parameters, secrets};

/// Access token lifetime of the dev identity provider's default options.
const ACCESS_TOKEN_LIFETIME: i64 = 3_600;

struct Rotation {
    idp: DevIdp,
    storage: Arc<FaultyStorage>,
    clock: TestClock,
    manager: Arc<SessionManager>,
    first: Arc<Credentials>,
}

/// Logs in at a dev identity provider that rotates strictly and responds to
/// token requests after `latency`, then lets the access token expire.
async fn expired_session(latency: Duration) -> Rotation {
    let idp = idp::start(Options {
        rotation: true,
        latency,
        ..Options::default()
    })
    .await;
    let storage = FaultyStorage::new();
    let clock = TestClock::new();
    let manager =
        SessionManager::with_clock(idp::config(&idp, 5_000), storage.clone(), clock.clock());
    let manager = Arc::new(expect_ok(manager, "creating the manager"));
    let first = idp::log_in(&manager.authentication_client()).await;
    expect_ok(manager.save_credentials(first.clone()), "saving the login");
    idp.reset_stats();
    clock.advance(ACCESS_TOKEN_LIFETIME + 1);
    Rotation {
        idp,
        storage,
        clock,
        manager,
        first,
    }
}

fn call(manager: &Arc<SessionManager>) -> tokio::task::JoinHandle<Arc<Credentials>> {
    let manager = manager.clone();
    tokio::spawn(async move {
        let credentials = manager.credentials(0, false, None, no_parameters()).await;
        let credentials = expect_ok(credentials, "a concurrent caller");
        secrets::record_credentials(&credentials);
        credentials
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_rotation() {
    let rotation = expired_session(Duration::from_millis(300)).await;
    let old_refresh_token = rotation.first.refresh_token().expect("a refresh token");

    let mut calls: Vec<_> = (0..5).map(|_| call(&rotation.manager)).collect();
    // Two more arrive while the request is out, without waiting for the
    // first five.
    tokio::time::sleep(Duration::from_millis(100)).await;
    calls.push(call(&rotation.manager));
    calls.push(call(&rotation.manager));
    let mut results = Vec::new();
    for call in calls {
        results.push(call.await.expect("a caller panicked"));
    }

    let stats = rotation.idp.stats();
    assert_eq!(stats.token_requests_for("refresh_token"), 1);
    let new_access_token = results[0].access_token();
    assert_ne!(new_access_token, rotation.first.access_token());
    for result in &results {
        assert_eq!(result.access_token(), new_access_token);
    }
    let stored = rotation
        .storage
        .stored_refresh_token()
        .expect("a stored refresh token");
    assert_ne!(stored, old_refresh_token, "the old refresh token is stored");
    assert!(rotation.idp.is_refresh_token_valid(&stored));
    assert!(!rotation.idp.is_refresh_token_valid(&old_refresh_token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_caller_does_not_stop_the_rotation() {
    let rotation = expired_session(Duration::from_millis(300)).await;

    let cancelled = call(&rotation.manager);
    tokio::time::sleep(Duration::from_millis(50)).await;
    cancelled.abort();
    // Long enough for the request, its latency and the write.
    tokio::time::sleep(Duration::from_millis(1_000)).await;

    let stored = rotation
        .storage
        .stored_refresh_token()
        .expect("a stored refresh token");
    assert!(
        rotation.idp.is_refresh_token_valid(&stored),
        "the renewal of a cancelled caller was not stored"
    );
    let after = call(&rotation.manager).await.unwrap();
    assert_eq!(after.refresh_token(), Some(stored));
    assert_eq!(rotation.idp.stats().token_requests_for("refresh_token"), 1);
    assert!(rotation.clock.now() > 0);
}
