//! Secure storage that cannot be used right now, as an iOS Keychain before
//! the first unlock after a reboot. That is an error of its own and never
//! means signed out: nothing is cleared, and the session comes back once
//! storage does.

use session_core::{SessionError, SessionState};

use crate::common::mock::{json_response, token_body};
use crate::common::scenario::Scenario;
use crate::common::storage::Mode;
use crate::common::{credentials, expect_error, expect_ok, kind, secrets};

#[track_caller]
fn assert_unavailable(error: &SessionError, what: &str) {
    assert!(
        matches!(error, SessionError::StorageUnavailable { .. }),
        "{what} with locked storage was {}",
        kind(error)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_storage_read_is_unavailable_not_signed_out() {
    let scenario = Scenario::start(3600, false).await;
    let manager = scenario.restarted();
    scenario.storage.set_read(Mode::Unavailable);

    let error = expect_error(
        manager
            .credentials(0, false, None, Default::default())
            .await,
        "credentials",
    );
    assert_unavailable(&error, "credentials");
    assert_unavailable(
        &expect_error(manager.has_valid_credentials(0), "has_valid_credentials"),
        "has_valid_credentials",
    );
    assert_unavailable(&expect_error(manager.can_renew(), "can_renew"), "can_renew");
    assert_unavailable(
        &expect_error(manager.user_profile(), "user_profile"),
        "user_profile",
    );
    assert_eq!(manager.state(), SessionState::StorageUnavailable);
    assert_eq!(scenario.storage.deletes(), 0, "locked storage was cleared");
    assert!(scenario.storage.raw().is_some());
    assert_eq!(scenario.provider.token_request_count().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn session_returns_when_storage_unlocks() {
    let scenario = Scenario::start(3600, false).await;
    let manager = scenario.restarted();
    scenario.storage.set_read(Mode::Unavailable);
    let _ = manager
        .credentials(0, false, None, Default::default())
        .await;

    scenario.storage.set_read(Mode::Works);
    let credentials = expect_ok(
        manager
            .credentials(0, false, None, Default::default())
            .await,
        "credentials after unlocking",
    );

    assert_eq!(credentials.access_token(), scenario.access_token);
    assert_eq!(manager.state(), SessionState::SignedIn);
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_storage_write_after_renewal_keeps_everything() {
    let scenario = Scenario::expired().await;
    let before = scenario.storage.raw();
    let access_token = secrets::token("at");
    let rotated = secrets::token("rt");
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            Some(&rotated),
            None,
            3600,
        )))
        .await;
    scenario.storage.set_write(Mode::Unavailable);

    let error = expect_error(scenario.credentials().await, "renewal");

    let SessionError::StorageUnavailable { credentials, .. } = &error else {
        panic!("a locked write was {}", kind(&error));
    };
    let renewed = credentials.as_ref().expect("the renewed credentials");
    assert_eq!(renewed.access_token(), access_token);
    assert_eq!(renewed.refresh_token(), Some(rotated.clone()));
    assert_eq!(scenario.storage.raw(), before, "the old record was touched");
    assert_eq!(scenario.storage.deletes(), 0);
    assert_ne!(
        scenario.manager.state(),
        SessionState::SignedOut {
            reason: session_core::SignedOutReason::RefreshTokenRejected
        }
    );

    // The renewed tokens live on in memory: the rotated refresh token is the
    // only one the provider still accepts.
    let served = expect_ok(scenario.credentials().await, "the next call");
    assert_eq!(served.access_token(), access_token);
    assert_eq!(served.refresh_token(), Some(rotated));
    assert_eq!(scenario.provider.token_request_count().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_storage_write_after_renewal_is_storage_failed() {
    let scenario = Scenario::expired().await;
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(token_body(&access_token, None, None, 3600)))
        .await;
    scenario.storage.set_write(Mode::Fails);

    let error = expect_error(scenario.credentials().await, "renewal");

    let SessionError::StorageFailed { credentials, .. } = &error else {
        panic!("a failed write was {}", kind(&error));
    };
    let renewed = credentials.as_ref().expect("the renewed credentials");
    assert_eq!(renewed.access_token(), access_token);
    assert_eq!(scenario.storage.deletes(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_storage_save_is_unavailable() {
    let scenario = Scenario::start(3600, false).await;
    scenario.storage.set_write(Mode::Unavailable);
    let replacement = credentials(
        &secrets::token("at"),
        None,
        Some(&secrets::token("rt")),
        3600,
    );

    let error = expect_error(scenario.manager.save_credentials(replacement), "save");

    assert_unavailable(&error, "save_credentials");
    assert_eq!(scenario.storage.deletes(), 0);
    assert!(scenario.storage.raw().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_storage_never_reports_signed_out_to_listener() {
    use std::sync::{Arc, Mutex};

    struct Recorder(Arc<Mutex<Vec<SessionState>>>);
    impl session_core::SessionListener for Recorder {
        fn on_state_changed(&self, state: SessionState) {
            self.0.lock().unwrap().push(state);
        }
    }

    let scenario = Scenario::start(3600, false).await;
    let manager = scenario.restarted();
    scenario.storage.set_read(Mode::Unavailable);
    let states = Arc::new(Mutex::new(Vec::new()));
    manager.set_listener(Some(Box::new(Recorder(states.clone()))));
    let _ = manager
        .credentials(0, false, None, Default::default())
        .await;
    let _ = manager.has_valid_credentials(0);
    // Delivery runs on the caller's thread after the lock is released.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let states = states.lock().unwrap().clone();
    assert!(states.contains(&SessionState::StorageUnavailable));
    assert!(
        !states
            .iter()
            .any(|state| matches!(state, SessionState::SignedOut { .. })),
        "locked storage was reported as signed out: {states:?}"
    );
}
