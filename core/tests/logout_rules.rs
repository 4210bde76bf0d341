//! Logout: local credentials always go, revocation is best effort and
//! reported beside the result.

mod harness;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dev_idp::{Endpoint, Fault, FaultResponse, Options};
use harness::{any_credentials, signed_in, start_idp, FlakyStorage};
use session_core::{RevocationOutcome, SessionError};

const KEY: &str = "sessioncore.credentials";

#[tokio::test]
async fn logout_with_revocation_revokes_the_refresh_token() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    let refresh_token = any_credentials(&manager)
        .await
        .unwrap()
        .refresh_token()
        .unwrap();

    let outcome = manager.logout(true).await.unwrap();

    assert_eq!(outcome, RevocationOutcome::Revoked);
    assert!(!idp.is_refresh_token_valid(&refresh_token));
    assert!(storage.raw(KEY).is_none());
    assert!(matches!(
        any_credentials(&manager).await,
        Err(SessionError::NoCredentials)
    ));
}

#[tokio::test]
async fn logout_clears_locally_when_revocation_fails() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    idp.inject_fault(Endpoint::Revoke, FaultResponse::new(503), 1);

    let outcome = manager.logout(true).await.unwrap();

    assert!(
        matches!(outcome, RevocationOutcome::Failed { .. }),
        "{outcome:?}"
    );
    assert!(storage.raw(KEY).is_none());
}

#[tokio::test]
async fn logout_is_quick_when_revocation_hangs() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    idp.inject_fault(Endpoint::Revoke, Fault::Hang, 1);

    let started = Instant::now();
    let outcome = manager.logout(true).await.unwrap();

    assert!(
        matches!(outcome, RevocationOutcome::Failed { .. }),
        "{outcome:?}"
    );
    // The harness sets a 2 s request time limit.
    assert!(started.elapsed() < Duration::from_secs(4));
    assert!(storage.raw(KEY).is_none());
}

#[tokio::test]
async fn revocation_answered_200_with_any_body_is_success() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, Arc::new(FlakyStorage::default())).await;
    idp.inject_fault(
        Endpoint::Revoke,
        FaultResponse::new(200).with_body("<html>ok</html>"),
        1,
    );

    let outcome = manager.logout(true).await.unwrap();

    assert_eq!(outcome, RevocationOutcome::Revoked);
}

#[tokio::test]
async fn logout_without_revocation_reports_not_requested() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, Arc::new(FlakyStorage::default())).await;

    let outcome = manager.logout(false).await.unwrap();

    assert_eq!(outcome, RevocationOutcome::NotRequested);
    assert_eq!(idp.stats().revocation_requests, 0);
}
