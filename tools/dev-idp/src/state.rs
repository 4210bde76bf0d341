//! The state that the routes and the [`DevIdp`](crate::DevIdp) handle share.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::faults::FaultQueues;
use crate::keys::{KeySet, SigningKey};
use crate::options::{Options, TestUser};
use crate::stats::Stats;
use crate::store::{RefreshTokenLookup, Store};

/// Settings that can change while the server runs; see [`Options`] for
/// what each one does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub latency: Duration,
    pub rotation: bool,
    pub reuse_detection: bool,
    pub access_token_lifetime: Duration,
    pub id_token_lifetime: Duration,
    pub refresh_token_lifetime: Option<Duration>,
}

pub(crate) struct Shared {
    pub issuer: String,
    pub client_id: String,
    pub redirect_uris: Vec<String>,
    pub user: TestUser,
    config: Mutex<RuntimeConfig>,
    keys: Mutex<KeySet>,
    store: Mutex<Store>,
    stats: Mutex<Stats>,
    faults: Mutex<FaultQueues>,
}

/// Locks a mutex, recovering from a panic in another holder: every update
/// below leaves the data consistent before it can panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(options: Options, issuer: String, key: SigningKey) -> Shared {
        let config = RuntimeConfig {
            latency: options.latency,
            rotation: options.rotation,
            reuse_detection: options.reuse_detection,
            access_token_lifetime: options.access_token_lifetime,
            id_token_lifetime: options.id_token_lifetime,
            refresh_token_lifetime: options.refresh_token_lifetime,
        };
        Shared {
            issuer,
            client_id: options.client_id,
            redirect_uris: options.redirect_uris,
            user: options.user,
            config: Mutex::new(config),
            keys: Mutex::new(KeySet::new(key)),
            store: Mutex::new(Store::default()),
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(FaultQueues::default()),
        }
    }

    pub fn config(&self) -> RuntimeConfig {
        lock(&self.config).clone()
    }

    pub fn update_config(&self, update: impl FnOnce(&mut RuntimeConfig)) -> RuntimeConfig {
        let mut config = lock(&self.config);
        update(&mut config);
        config.clone()
    }

    pub fn keys(&self) -> MutexGuard<'_, KeySet> {
        lock(&self.keys)
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultQueues> {
        lock(&self.faults)
    }

    pub fn count(&self, update: impl FnOnce(&mut Stats)) {
        update(&mut lock(&self.stats));
    }

    pub fn stats(&self) -> Stats {
        let mut stats = lock(&self.stats).clone();
        stats.active_refresh_tokens = self.store().valid_refresh_tokens().len();
        stats
    }

    pub fn reset_stats(&self) {
        *lock(&self.stats) = Stats::default();
    }
}

impl Shared {
    /// Makes a new key the signing key; the old one stays in the JWKS.
    /// Returns the new key id.
    pub async fn rotate_signing_key(&self) -> String {
        let key = tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .expect("RSA key generation panicked");
        let kid = key.kid.clone();
        self.keys().rotate(key);
        kid
    }

    /// Returns which kind of token `token` is while it is valid.
    pub fn active_token_kind(&self, token: &str) -> Option<TokenKind> {
        let store = self.store();
        if matches!(
            store.lookup_refresh_token(token),
            RefreshTokenLookup::Current(_)
        ) {
            Some(TokenKind::RefreshToken)
        } else if store.valid_access_token(token).is_some() {
            Some(TokenKind::AccessToken)
        } else {
            None
        }
    }
}

/// The kinds of token that the server issues and can revoke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    AccessToken,
    RefreshToken,
}
