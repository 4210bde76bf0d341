//! How the session manager treats its storage: unreadable records, locked
//! storage, restoring a session, and the states a listener sees.

mod harness;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use dev_idp::Options;
use harness::{
    any_credentials, config, login, signed_in, start_idp, FlakyStorage, RecordingListener,
};
use session_core::{file_storage, SessionError, SessionManager, SessionState, SignedOutReason};

const KEY: &str = "sessioncore.credentials";

#[tokio::test]
async fn unreadable_record_is_removed_and_reported_signed_out() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    storage.put_raw(KEY, b"\x00\x9f not a record");
    let manager = SessionManager::new(config(&idp), storage.clone()).unwrap();

    let result = any_credentials(&manager).await;

    assert!(
        matches!(result, Err(SessionError::NoCredentials)),
        "{result:?}"
    );
    assert_eq!(
        manager.state(),
        SessionState::SignedOut {
            reason: SignedOutReason::UnreadableRecord
        }
    );
    assert!(storage.raw(KEY).is_none());
}

#[tokio::test]
async fn locked_storage_is_unavailable_and_never_signed_out() {
    let idp = start_idp(Options::default()).await;
    let storage = Arc::new(FlakyStorage::default());
    signed_in(&idp, storage.clone()).await;
    let saved = storage.raw(KEY);
    let manager = SessionManager::new(config(&idp), storage.clone()).unwrap();
    storage.locked.store(true, Ordering::SeqCst);

    let result = any_credentials(&manager).await;

    assert!(
        matches!(result, Err(SessionError::StorageUnavailable { .. })),
        "{result:?}"
    );
    assert_eq!(manager.state(), SessionState::StorageUnavailable);
    storage.locked.store(false, Ordering::SeqCst);
    assert_eq!(storage.raw(KEY), saved);
    assert!(any_credentials(&manager).await.is_ok());
    assert_eq!(manager.state(), SessionState::SignedIn);
}

#[tokio::test]
async fn session_is_restored_from_file_storage_by_a_new_manager() {
    let idp = start_idp(Options::default()).await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().to_string_lossy().to_string();
    let credentials = login(&idp).await;
    SessionManager::new(config(&idp), file_storage(path.clone()).unwrap())
        .unwrap()
        .save_credentials(credentials.clone())
        .unwrap();

    let restored = SessionManager::new(config(&idp), file_storage(path).unwrap()).unwrap();
    let read = any_credentials(&restored).await.unwrap();

    assert_eq!(read.access_token(), credentials.access_token());
    assert_eq!(read.refresh_token(), credentials.refresh_token());
    assert_eq!(read.id_token(), credentials.id_token());
    assert_eq!(read.expires_at(), credentials.expires_at());
}

#[tokio::test]
async fn listener_receives_states_in_order() {
    let idp = start_idp(Options::default()).await;
    let manager = SessionManager::new(config(&idp), Arc::new(FlakyStorage::default())).unwrap();
    let listener = RecordingListener::default();
    manager.set_listener(Some(Box::new(listener.clone())));

    manager.save_credentials(login(&idp).await).unwrap();
    manager.renew().await.unwrap();
    manager.logout(false).await.unwrap();

    let states = listener.states.lock().unwrap().clone();
    assert_eq!(
        states,
        vec![
            SessionState::SignedOut {
                reason: SignedOutReason::NoCredentials
            },
            SessionState::SignedIn,
            SessionState::Renewing,
            SessionState::SignedIn,
            SessionState::SignedOut {
                reason: SignedOutReason::LoggedOut
            },
        ]
    );
}
