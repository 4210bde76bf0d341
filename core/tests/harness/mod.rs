//! Shared setup of the session-rule tests: a dev identity provider, a login
//! through it, and storages that fail on demand.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dev_idp::{DevIdp, Options};
use session_core::{
    AuthConfig, AuthenticationClient, Clock, Credentials, SecureStorage, SessionListener,
    SessionManager, SessionState, StorageError,
};

pub const REDIRECT_URI: &str = "dev.sessioncore.test://callback";

pub async fn start_idp(options: Options) -> DevIdp {
    DevIdp::start(options)
        .await
        .expect("the dev identity provider starts")
}

/// An Auth0-shaped configuration for `idp`.
pub fn config(idp: &DevIdp) -> AuthConfig {
    AuthConfig {
        domain: Some(idp.base_url()),
        issuer: None,
        client_id: idp.client_id().to_string(),
        audience: None,
        scope: "openid profile email offline_access".to_string(),
        redirect_uri: REDIRECT_URI.to_string(),
        leeway_seconds: 60,
        timeout_ms: 2_000,
    }
}

/// Logs in through `idp`'s auto-approving `/authorize`.
pub async fn login(idp: &DevIdp) -> Arc<Credentials> {
    let client = AuthenticationClient::new(config(idp)).expect("valid config");
    let request = client
        .authorize(HashMap::new())
        .await
        .expect("authorize URL");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http.get(request.url()).send().await.expect("authorize");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    client
        .exchange_code(request, location)
        .await
        .expect("code exchange")
}

/// A manager over `storage` with fresh credentials from `idp` saved.
pub async fn signed_in(idp: &DevIdp, storage: Arc<dyn SecureStorage>) -> SessionManager {
    let manager = SessionManager::new(config(idp), storage).expect("valid config");
    manager
        .save_credentials(login(idp).await)
        .expect("credentials saved");
    manager
}

/// Reads the credentials that `storage` holds, through a new manager whose
/// clock is years behind, so that reading never renews.
pub async fn stored(idp: &DevIdp, storage: Arc<dyn SecureStorage>) -> Option<Arc<Credentials>> {
    let years_behind = Clock::offset(-10 * 365 * 24 * 3600);
    let manager = SessionManager::with_clock(config(idp), storage, years_behind).ok()?;
    manager
        .credentials(0, false, None, HashMap::new())
        .await
        .ok()
}

/// In-memory storage whose reads and writes can be made to fail, and that
/// counts writes.
#[derive(Default)]
pub struct FlakyStorage {
    values: Mutex<HashMap<String, Vec<u8>>>,
    pub locked: AtomicBool,
    pub fail_writes: AtomicBool,
    pub writes: AtomicUsize,
}

impl FlakyStorage {
    pub fn raw(&self, key: &str) -> Option<Vec<u8>> {
        self.values.lock().unwrap().get(key).cloned()
    }

    pub fn put_raw(&self, key: &str, value: &[u8]) {
        self.values
            .lock()
            .unwrap()
            .insert(key.to_string(), value.to_vec());
    }
}

impl SecureStorage for FlakyStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(StorageError::Unavailable {
                message: "the keychain is locked".to_string(),
            });
        }
        Ok(self.values.lock().unwrap().get(&key).cloned())
    }

    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(StorageError::Unavailable {
                message: "the keychain is locked".to_string(),
            });
        }
        if self.fail_writes.load(Ordering::SeqCst) {
            return Err(StorageError::Failed {
                message: "the disk is full".to_string(),
            });
        }
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.values.lock().unwrap().insert(key, value);
        Ok(())
    }

    fn delete(&self, key: String) -> Result<(), StorageError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(StorageError::Unavailable {
                message: "the keychain is locked".to_string(),
            });
        }
        self.values.lock().unwrap().remove(&key);
        Ok(())
    }
}

/// A listener that records every state it receives.
#[derive(Clone, Default)]
pub struct RecordingListener {
    pub states: Arc<Mutex<Vec<SessionState>>>,
}

impl SessionListener for RecordingListener {
    fn on_state_changed(&self, state: SessionState) {
        self.states.lock().unwrap().push(state);
    }
}

pub async fn any_credentials(
    manager: &SessionManager,
) -> Result<Arc<Credentials>, session_core::SessionError> {
    manager.credentials(0, false, None, HashMap::new()).await
}
