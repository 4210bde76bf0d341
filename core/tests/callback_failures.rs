//! The app's callbacks (listener, storage) and the provider's text cannot
//! break the session: a panic is contained, and provider text is cleaned.

mod harness;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dev_idp::{Endpoint, FaultResponse, Options};
use harness::{any_credentials, config, login, signed_in, start_idp};
use session_core::{
    memory_storage, SecureStorage, SessionError, SessionListener, SessionManager, SessionState,
    StorageError,
};

struct PanickingListener;

impl SessionListener for PanickingListener {
    fn on_state_changed(&self, _state: SessionState) {
        panic!("listener failure");
    }
}

/// Storage whose writes after the first `allowed_writes` panic.
struct PanickingStorage {
    inner: Arc<dyn SecureStorage>,
    writes: AtomicUsize,
    allowed_writes: usize,
}

impl SecureStorage for PanickingStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        self.inner.read(key)
    }

    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        if self.writes.fetch_add(1, Ordering::SeqCst) >= self.allowed_writes {
            panic!("storage failure");
        }
        self.inner.write(key, value)
    }

    fn delete(&self, key: String) -> Result<(), StorageError> {
        self.inner.delete(key)
    }
}

#[tokio::test]
async fn panicking_listener_does_not_break_logout() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, memory_storage()).await;
    manager.set_listener(Some(Box::new(PanickingListener)));

    let outcome = manager.logout(false).await;

    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(matches!(
        any_credentials(&manager).await,
        Err(SessionError::NoCredentials)
    ));
}

#[tokio::test]
async fn storage_panic_during_renewal_leaves_renewal_possible() {
    let idp = start_idp(Options {
        access_token_lifetime: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    let storage = Arc::new(PanickingStorage {
        inner: memory_storage(),
        writes: AtomicUsize::new(0),
        allowed_writes: 1,
    });
    let manager = SessionManager::new(config(&idp), storage.clone()).unwrap();
    manager.save_credentials(login(&idp).await).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let first = any_credentials(&manager).await;
    storage.writes.store(0, Ordering::SeqCst);
    let second = manager.renew().await;

    assert!(
        matches!(
            first,
            Err(SessionError::StorageFailed {
                credentials: Some(_),
                ..
            })
        ),
        "{first:?}"
    );
    assert_ne!(manager.state(), SessionState::Renewing);
    assert!(second.is_ok(), "{second:?}");
}

#[tokio::test]
async fn provider_error_code_never_carries_the_refresh_token() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, memory_storage()).await;
    let refresh_token = any_credentials(&manager)
        .await
        .unwrap()
        .refresh_token()
        .unwrap();
    let body = format!(
        r#"{{"error":"bad {refresh_token}\n\u001b[31mFAKE","error_description":"you sent {refresh_token}"}}"#
    );
    idp.inject_fault(Endpoint::Token, FaultResponse::new(400).with_body(&body), 1);

    let error = manager.renew().await.unwrap_err();

    let text = format!("{error} {error:?}");
    assert!(!text.contains(&refresh_token), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('\n'), "{text}");
}

#[tokio::test]
async fn oversized_retry_after_is_capped_not_ignored() {
    let idp = start_idp(Options::default()).await;
    let manager = signed_in(&idp, memory_storage()).await;
    idp.inject_fault(
        Endpoint::Token,
        FaultResponse::new(429).with_header("retry-after", "999999999999999999999999"),
        1,
    );

    let error = manager.renew().await.unwrap_err();

    assert!(
        matches!(
            error,
            SessionError::Server {
                status: 429,
                retry_after_seconds: Some(300),
                ..
            }
        ),
        "{error:?}"
    );
}
