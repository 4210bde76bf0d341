//! The renewal rules of the session manager, against the dev identity
//! provider: when to renew, one renewal for all callers, storing before
//! returning, finishing after cancellation, and which failures end a session.

mod harness;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use dev_idp::{Endpoint, FaultResponse, Options};
use harness::{any_credentials, config, signed_in, start_idp, stored, FlakyStorage};
use session_core::{memory_storage, SessionError, SessionManager, SessionState, SignedOutReason};

fn short_lived(seconds: u64) -> Options {
    Options {
        access_token_lifetime: Duration::from_secs(seconds),
        ..Options::default()
    }
}

#[tokio::test]
async fn credentials_served_while_outliving_min_ttl() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, memory_storage()).await;
    let before = idp.stats().total_token_requests();

    let credentials = manager
        .credentials(600, false, None, HashMap::new())
        .await
        .unwrap();

    assert!(credentials.expires_at() > 0);
    assert_eq!(idp.stats().total_token_requests(), before);
}

#[tokio::test]
async fn credentials_renew_within_min_ttl() {
    let idp = start_idp(short_lived(120)).await;
    let manager = signed_in(&idp, memory_storage()).await;
    let first = any_credentials(&manager).await.unwrap();
    idp.set_access_token_lifetime(Duration::from_secs(600));

    let renewed = manager.credentials(300, false, None, HashMap::new()).await;

    // The stored token lives 120 s; renewed ones live 600 s.
    let renewed = renewed.unwrap();
    assert_ne!(renewed.access_token(), first.access_token());
    assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
}

#[tokio::test]
async fn expiring_id_token_renewed_when_required() {
    let idp = start_idp(Options {
        id_token_lifetime: Duration::from_secs(30),
        ..Options::default()
    })
    .await;
    let manager = signed_in(&idp, memory_storage()).await;
    let first = any_credentials(&manager).await.unwrap();

    let without = manager
        .credentials(60, false, None, HashMap::new())
        .await
        .unwrap();
    let with = manager
        .credentials(60, true, None, HashMap::new())
        .await
        .unwrap();

    assert_eq!(without.id_token(), first.id_token());
    assert_ne!(with.id_token(), first.id_token());
}

#[tokio::test]
async fn unmeetable_min_ttl_is_its_own_error() {
    let idp = start_idp(short_lived(60)).await;
    let manager = signed_in(&idp, memory_storage()).await;

    let result = manager.credentials(3600, false, None, HashMap::new()).await;

    match result {
        Err(SessionError::MinTtlTooLarge {
            min_ttl_seconds,
            lifetime_seconds,
        }) => {
            assert_eq!(min_ttl_seconds, 3600);
            assert_eq!(lifetime_seconds, 60);
        }
        other => panic!("expected MinTtlTooLarge, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_renewal_request() {
    let idp = start_idp(short_lived(1)).await;
    let manager = Arc::new(signed_in(&idp, memory_storage()).await);
    idp.set_latency(Duration::from_millis(300));
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let manager = manager.clone();
            tokio::spawn(async move { any_credentials(&manager).await })
        })
        .collect();
    let mut access_tokens = Vec::new();
    for call in calls {
        access_tokens.push(call.await.unwrap().unwrap().access_token());
    }

    assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
    access_tokens.dedup();
    assert_eq!(access_tokens.len(), 1);
}

#[tokio::test]
async fn renewed_credentials_stored_before_returned() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let renewed = any_credentials(&manager).await.unwrap();

    let on_disk = stored(&idp, storage).await.unwrap();
    assert_eq!(on_disk.refresh_token(), renewed.refresh_token());
    assert_eq!(on_disk.access_token(), renewed.access_token());
}

#[tokio::test]
async fn failed_write_keeps_renewed_credentials() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    let saved = stored(&idp, storage.clone()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    storage.fail_writes.store(true, Ordering::SeqCst);

    let error = any_credentials(&manager).await.unwrap_err();

    let SessionError::StorageFailed {
        credentials: Some(renewed),
        ..
    } = error
    else {
        panic!("expected StorageFailed with the credentials, got {error:?}");
    };
    assert_ne!(renewed.refresh_token(), saved.refresh_token());
    let again = any_credentials(&manager).await.unwrap();
    assert_eq!(again.refresh_token(), renewed.refresh_token());
    assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
    let still_stored = stored(&idp, storage).await.unwrap();
    assert_eq!(still_stored.refresh_token(), saved.refresh_token());
}

#[tokio::test]
async fn cancelled_caller_renewal_still_stored() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = Arc::new(signed_in(&idp, storage.clone()).await);
    let old = stored(&idp, storage.clone()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    idp.set_latency(Duration::from_millis(500));

    let caller = {
        let manager = manager.clone();
        tokio::spawn(async move { any_credentials(&manager).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    caller.abort();
    tokio::time::sleep(Duration::from_millis(1000)).await;

    let rotated = stored(&idp, storage)
        .await
        .unwrap()
        .refresh_token()
        .unwrap();
    assert_ne!(Some(rotated.clone()), old.refresh_token());
    assert!(idp.is_refresh_token_valid(&rotated));
    assert!(!idp.is_refresh_token_valid(&old.refresh_token().unwrap()));
}

#[tokio::test]
async fn rejected_stored_refresh_token_ends_the_session() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    idp.revoke_all();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let error = any_credentials(&manager).await.unwrap_err();

    assert!(
        matches!(error, SessionError::LoginRequired { .. }),
        "{error:?}"
    );
    assert_eq!(
        manager.state(),
        SessionState::SignedOut {
            reason: SignedOutReason::RefreshTokenRejected
        }
    );
    assert!(storage.raw("sessioncore.credentials").is_none());
}

#[tokio::test]
async fn server_error_keeps_credentials_and_is_retryable() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    let saved = storage.raw("sessioncore.credentials");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    idp.inject_fault(
        Endpoint::Token,
        FaultResponse::new(502)
            .with_header("content-type", "text/html")
            .with_body("<html>bad gateway</html>"),
        1,
    );

    let error = any_credentials(&manager).await.unwrap_err();

    assert!(
        matches!(error, SessionError::Server { status: 502, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("bad gateway"));
    assert_eq!(storage.raw("sessioncore.credentials"), saved);
    assert!(any_credentials(&manager).await.is_ok());
}

#[tokio::test]
async fn invalid_client_is_configuration_error() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    idp.inject_fault(
        Endpoint::Token,
        FaultResponse::new(401).with_body(r#"{"error":"invalid_client"}"#),
        1,
    );

    let error = any_credentials(&manager).await.unwrap_err();

    assert!(
        matches!(error, SessionError::Configuration { .. }),
        "{error:?}"
    );
    assert!(storage.raw("sessioncore.credentials").is_some());
}

#[tokio::test]
async fn rate_limit_waits_retry_after() {
    let idp = start_idp(short_lived(1)).await;
    let manager = signed_in(&idp, memory_storage()).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    idp.inject_fault(
        Endpoint::Token,
        FaultResponse::new(429).with_header("retry-after", "30"),
        1,
    );

    let first = any_credentials(&manager).await.unwrap_err();
    let second = any_credentials(&manager).await.unwrap_err();

    assert!(matches!(
        first,
        SessionError::Server {
            status: 429,
            retry_after_seconds: Some(30),
            ..
        }
    ));
    assert!(matches!(
        second,
        SessionError::Server {
            status: 429,
            retry_after_seconds: Some(29..=30),
            ..
        }
    ));
    assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
    assert!(manager.can_renew().unwrap());
}

#[tokio::test]
async fn delegation_endpoint_missing_is_a_configuration_error() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = signed_in(&idp, storage.clone()).await;
    idp.inject_fault(Endpoint::Delegation, FaultResponse::new(404), 1);

    let error = manager.renew_id_token().await.unwrap_err();

    assert!(
        matches!(error, SessionError::Configuration { .. }),
        "{error:?}"
    );
    assert!(manager.can_renew().unwrap());
}

#[tokio::test]
async fn logout_during_renewal_discards_the_renewed_credentials() {
    let idp = start_idp(short_lived(1)).await;
    let storage = Arc::new(FlakyStorage::default());
    let manager = Arc::new(signed_in(&idp, storage.clone()).await);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    idp.set_latency(Duration::from_millis(500));

    let caller = {
        let manager = manager.clone();
        tokio::spawn(async move { any_credentials(&manager).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    manager.logout(false).await.unwrap();
    let result = caller.await.unwrap();

    assert!(matches!(result, Err(SessionError::LoggedOut)), "{result:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(storage.raw("sessioncore.credentials").is_none());
    assert!(matches!(
        any_credentials(&manager).await,
        Err(SessionError::NoCredentials)
    ));
}

#[tokio::test]
async fn configuration_with_plain_http_off_loopback_is_rejected() {
    let idp = start_idp(Options::default()).await;
    let mut config = config(&idp);
    config.domain = Some("http://example.com".to_string());

    let result = SessionManager::new(config, memory_storage());

    assert!(matches!(result, Err(SessionError::Configuration { .. })));
}

#[tokio::test]
async fn current_credentials_null_when_renewal_due() {
    let idp = start_idp(short_lived(120)).await;
    let manager = signed_in(&idp, memory_storage()).await;
    let before = idp.stats().total_token_requests();

    let valid = manager.current_credentials(60, false).unwrap();
    let due = manager.current_credentials(600, false).unwrap();

    assert!(valid.is_some());
    assert!(due.is_none());
    assert_eq!(idp.stats().total_token_requests(), before);
}
