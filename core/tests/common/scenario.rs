//! The usual starting point of a fault test: a signed-in session stored in
//! `FaultyStorage`, a mock provider, and a clock the test moves.

use std::sync::Arc;

use session_core::{AuthConfig, Credentials, SessionError, SessionManager, SessionState};

use super::clock::TestClock;
use super::mock::MockProvider;
use super::storage::FaultyStorage;
use super::{credentials, expect_ok, no_parameters, secrets};

/// Lifetime of the id_tokens a scenario starts with: ten hours, Auth0's
/// default, so that only the access token expires during a test.
pub const ID_TOKEN_LIFETIME: i64 = 36_000;

pub struct Scenario {
    pub provider: MockProvider,
    pub storage: Arc<FaultyStorage>,
    pub clock: TestClock,
    pub manager: SessionManager,
    pub access_token: String,
    pub refresh_token: String,
    pub id_token: Option<String>,
}

impl Scenario {
    /// Saves credentials whose access token lives `expires_in` seconds, with
    /// a refresh token and, when `with_id_token`, a signed id_token.
    pub async fn start(expires_in: u64, with_id_token: bool) -> Scenario {
        let provider = MockProvider::start().await;
        let storage = FaultyStorage::new();
        let clock = TestClock::new();
        let manager = provider.manager(storage.clone(), &clock);
        let access_token = secrets::token("at");
        let refresh_token = secrets::token("rt");
        let id_token = with_id_token.then(|| provider.id_token(ID_TOKEN_LIFETIME));
        let saved = credentials(
            &access_token,
            id_token.as_deref(),
            Some(&refresh_token),
            expires_in,
        );
        expect_ok(
            manager.save_credentials(saved),
            "saving the first credentials",
        );
        Scenario {
            provider,
            storage,
            clock,
            manager,
            access_token,
            refresh_token,
            id_token,
        }
    }

    /// Replaces the manager with one over the same storage and clock that
    /// uses `config`, as an app restarted with other settings would.
    pub fn reconfigured(mut self, config: AuthConfig) -> Scenario {
        let manager = SessionManager::with_clock(config, self.storage.clone(), self.clock.clock());
        self.manager = expect_ok(manager, "creating a reconfigured manager");
        self
    }

    /// Starts with an access token that is already expired.
    pub async fn expired() -> Scenario {
        Scenario::start(0, false).await
    }

    /// Asks for credentials as most callers do: any remaining lifetime, no
    /// need of the id_token.
    pub async fn credentials(&self) -> Result<Arc<Credentials>, SessionError> {
        self.manager
            .credentials(0, false, None, no_parameters())
            .await
    }

    /// A second manager over the same storage, as after an app restart.
    pub fn restarted(&self) -> SessionManager {
        self.provider.manager(self.storage.clone(), &self.clock)
    }

    /// Asserts that the session is still signed in with the refresh token it
    /// started with, in memory and in storage.
    #[track_caller]
    pub fn assert_kept(&self) {
        assert_eq!(self.manager.state(), SessionState::SignedIn);
        assert_eq!(self.storage.deletes(), 0, "the record was deleted");
        assert!(
            self.storage.stored_refresh_token().as_deref() == Some(self.refresh_token.as_str()),
            "the stored refresh token changed"
        );
        assert!(
            expect_ok(self.manager.can_renew(), "can_renew"),
            "the manager lost its refresh token"
        );
    }
}
