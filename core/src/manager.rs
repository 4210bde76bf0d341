//! The exported `SessionManager`: the tutorial's three steps (save, renew,
//! log out) made automatic and safe for concurrent callers.

use std::collections::HashMap;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::AuthConfig;
use crate::credentials::{Credentials, TokenSet};
use crate::error::{from_provider, SessionError};
use crate::jwt;
use crate::provider::DelegationInput;
use crate::renewal::{self, RenewalRequest};
use crate::runtime;
use crate::session::{RenewalOutcome, Session, Shared};
use crate::state::{RevocationOutcome, SessionListener, SessionState, SignedOutReason};
use crate::storage::SecureStorage;
use crate::{AuthenticationClient, UserProfile};

/// Maximum margin ahead of expiry at which a renewal starts, in seconds.
const MAX_RENEWAL_MARGIN: i64 = 60;

/// How many times a call looks at the session again after its renewal was
/// superseded by a concurrent change, before giving up.
const MAX_ATTEMPTS: usize = 3;

/// See the UDL.
pub struct SessionManager {
    session: Arc<Session>,
}

/// What a call to `credentials` requests.
struct Need {
    /// The caller's minimum time to live, clamped to `i64` for arithmetic.
    min_ttl: i64,
    /// The same, as the caller gave it, for messages.
    requested_min_ttl: u64,
    require_id_token: bool,
    /// Renew even when the stored credentials would do.
    force: bool,
    renewal: RenewalRequest,
}

enum Step {
    Ready(Arc<Credentials>),
    /// Wait for a renewal; `joined` when another call started it.
    Wait {
        receiver: tokio::sync::watch::Receiver<Option<RenewalOutcome>>,
        joined: bool,
    },
}

impl SessionManager {
    pub fn new(config: AuthConfig, storage: Arc<dyn SecureStorage>) -> Result<Self, SessionError> {
        Self::with_clock(config, storage, Clock::system())
    }

    /// Creates a manager whose expiry and id_token time checks read `clock`.
    pub fn with_clock(
        config: AuthConfig,
        storage: Arc<dyn SecureStorage>,
        clock: Clock,
    ) -> Result<Self, SessionError> {
        let client = Arc::new(AuthenticationClient::with_clock(config, clock)?);
        Ok(SessionManager {
            session: Arc::new(Session::new(client, storage)),
        })
    }

    pub fn authentication_client(&self) -> Arc<AuthenticationClient> {
        self.session.client.clone()
    }

    pub fn save_credentials(&self, credentials: Arc<Credentials>) -> Result<(), SessionError> {
        let result = {
            let mut shared = self.session.lock();
            // Saving starts a new session: a renewal in flight belongs to the
            // old one and must not overwrite these credentials.
            shared.generation += 1;
            shared.renewal = None;
            shared.retry_not_before = None;
            self.session
                .store(&mut shared, credentials.tokens().clone())
                .map(|_| ())
        };
        self.session.deliver();
        tracing::info!("saved new credentials");
        result
    }

    pub fn has_valid_credentials(&self, min_ttl_seconds: u64) -> Result<bool, SessionError> {
        let now = self.session.now();
        self.with_stored(|credentials| {
            Ok(credentials.is_some_and(|credentials| {
                let tokens = credentials.tokens();
                tokens.refresh_token.is_some()
                    || tokens.access_token_ttl(now) > seconds(min_ttl_seconds)
            }))
        })
    }

    pub fn can_renew(&self) -> Result<bool, SessionError> {
        self.with_stored(|credentials| {
            Ok(credentials.is_some_and(|credentials| credentials.tokens().refresh_token.is_some()))
        })
    }

    pub async fn credentials(
        &self,
        min_ttl_seconds: u64,
        require_id_token: bool,
        scope: Option<String>,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<Credentials>, SessionError> {
        let force = scope.is_some() || !parameters.is_empty();
        let need = Need {
            min_ttl: seconds(min_ttl_seconds),
            requested_min_ttl: min_ttl_seconds,
            require_id_token,
            force,
            renewal: RenewalRequest { scope, parameters },
        };
        self.get(need).await
    }

    pub fn current_credentials(
        &self,
        min_ttl_seconds: u64,
        require_id_token: bool,
    ) -> Result<Option<Arc<Credentials>>, SessionError> {
        let need = Need {
            min_ttl: seconds(min_ttl_seconds),
            requested_min_ttl: min_ttl_seconds,
            require_id_token,
            force: false,
            renewal: RenewalRequest::default(),
        };
        let now = self.session.now();
        self.with_stored(|credentials| {
            let credentials = credentials.ok_or(SessionError::NoCredentials)?;
            Ok((!needs_renewal(credentials.tokens(), &need, now)).then(|| credentials.clone()))
        })
    }

    pub async fn renew(&self) -> Result<Arc<Credentials>, SessionError> {
        let need = Need {
            min_ttl: 0,
            requested_min_ttl: 0,
            require_id_token: false,
            force: true,
            renewal: RenewalRequest::default(),
        };
        self.get(need).await
    }

    pub async fn renew_id_token(&self) -> Result<Arc<Credentials>, SessionError> {
        let session = self.session.clone();
        runtime::spawn(async move { renew_id_token(&session).await }).await
    }

    pub fn user_profile(&self) -> Result<Option<UserProfile>, SessionError> {
        self.with_stored(|credentials| {
            let Some(id_token) = credentials.and_then(|credentials| credentials.id_token()) else {
                return Ok(None);
            };
            let jwt = jwt::decode(&id_token)
                .map_err(|message| SessionError::InvalidIdToken { message })?;
            jwt::user_profile(&jwt.claims)
                .map(Some)
                .map_err(|message| SessionError::InvalidIdToken { message })
        })
    }

    pub async fn logout(&self, revoke: bool) -> Result<RevocationOutcome, SessionError> {
        let session = self.session.clone();
        runtime::spawn(async move { logout(&session, revoke).await }).await
    }

    pub fn state(&self) -> SessionState {
        let state = {
            let mut shared = self.session.lock();
            // A failed read is reported through the state itself.
            let _ = self.session.load(&mut shared);
            shared.state.clone()
        };
        self.session.deliver();
        state
    }

    pub fn set_listener(&self, listener: Option<Box<dyn SessionListener>>) {
        let has_listener = listener.is_some();
        self.session.notifier.set_listener(listener);
        if has_listener {
            {
                let mut shared = self.session.lock();
                let _ = self.session.load(&mut shared);
                self.session.notifier.push(shared.state.clone());
            }
            self.session.deliver();
        }
    }

    fn with_stored<T>(
        &self,
        read: impl FnOnce(Option<&Arc<Credentials>>) -> Result<T, SessionError>,
    ) -> Result<T, SessionError> {
        let result = {
            let mut shared = self.session.lock();
            self.session
                .load(&mut shared)
                .and_then(|credentials| read(credentials.as_ref()))
        };
        self.session.deliver();
        result
    }

    /// Returns credentials that meet `need`, renewing at most once per
    /// attempt. The check of stored credentials runs on the caller's thread;
    /// only a renewal runs on the core's runtime.
    async fn get(&self, need: Need) -> Result<Arc<Credentials>, SessionError> {
        for _ in 0..MAX_ATTEMPTS {
            let step = self.next_step(&need);
            self.session.deliver();
            let (mut receiver, joined) = match step? {
                Step::Ready(credentials) => return Ok(credentials),
                Step::Wait { receiver, joined } => (receiver, joined),
            };
            let outcome = match receiver.wait_for(Option::is_some).await {
                Ok(outcome) => outcome.clone().expect("wait_for returned a value"),
                Err(_) => RenewalOutcome::Failed(SessionError::Network {
                    message: "the renewal task stopped before it finished".to_string(),
                }),
            };
            let own_request = need.renewal.scope.is_some() || !need.renewal.parameters.is_empty();
            if joined && own_request {
                // That renewal did not carry this call's scope or parameters.
                continue;
            }
            match outcome {
                RenewalOutcome::Renewed(credentials) => {
                    return self.check_min_ttl(&need, credentials)
                }
                RenewalOutcome::Superseded => continue,
                RenewalOutcome::Failed(error) => return self.after_failure(&need, error),
            }
        }
        Err(SessionError::Network {
            message: "the session kept changing during renewal; try again".to_string(),
        })
    }

    fn next_step(&self, need: &Need) -> Result<Step, SessionError> {
        let session = &self.session;
        let mut shared = session.lock();
        let Some(credentials) = session.load(&mut shared)? else {
            return Err(SessionError::NoCredentials);
        };
        let now = session.now();
        let tokens = credentials.tokens();
        if !need.force && !needs_renewal(tokens, need, now) {
            return Ok(Step::Ready(credentials));
        }
        if tokens.refresh_token.is_none() {
            return Err(SessionError::NoRefreshToken);
        }
        if let Some(renewal) = &shared.renewal {
            // Join the renewal in flight unless this call needs a scope or
            // parameters of its own; then it waits, and looks again after.
            return Ok(Step::Wait {
                receiver: renewal.done.clone(),
                joined: true,
            });
        }
        if let Some(wait) = rate_limit_wait(&shared, now) {
            if !need.force && tokens.access_token_ttl(now) > need.min_ttl {
                return Ok(Step::Ready(credentials));
            }
            return Err(SessionError::Server {
                status: 429,
                message: "the provider asked to wait before the next renewal".to_string(),
                retry_after_seconds: Some(wait),
            });
        }
        let tokens = tokens.clone();
        Ok(Step::Wait {
            receiver: renewal::start(session, &mut shared, tokens, need.renewal.clone()),
            joined: false,
        })
    }

    /// Renewed credentials that still cannot meet the caller's minimum time
    /// to live are an error of their own; they are stored all the same.
    fn check_min_ttl(
        &self,
        need: &Need,
        credentials: Arc<Credentials>,
    ) -> Result<Arc<Credentials>, SessionError> {
        let ttl = credentials.tokens().access_token_ttl(self.session.now());
        if need.min_ttl > 0 && ttl < need.min_ttl {
            let lifetime_seconds = credentials.tokens().lifetime();
            if lifetime_seconds == 0 {
                return Err(SessionError::InvalidResponse {
                    message: "the provider's token response has no usable expires_in, so the \
                              renewed access token counts as expired at once"
                        .to_string(),
                });
            }
            return Err(SessionError::MinTtlTooLarge {
                min_ttl_seconds: need.requested_min_ttl,
                lifetime_seconds,
            });
        }
        Ok(credentials)
    }

    /// After a retryable failure, stored credentials that still meet the
    /// caller's own minimum time to live are served: the renewal only ran
    /// early, inside the margin ahead of expiry.
    fn after_failure(
        &self,
        need: &Need,
        error: SessionError,
    ) -> Result<Arc<Credentials>, SessionError> {
        let retryable = matches!(
            error,
            SessionError::Network { .. } | SessionError::Server { .. }
        );
        if !retryable || need.force {
            return Err(error);
        }
        let shared = self.session.lock();
        if let crate::session::Stored::Loaded(Some(credentials)) = &shared.stored {
            let now = self.session.now();
            let tokens = credentials.tokens();
            let id_token_ok = !need.require_id_token
                || tokens
                    .id_token_expires_at
                    .is_none_or(|exp| exp.saturating_sub(now) > need.min_ttl);
            if tokens.access_token_ttl(now) > need.min_ttl && id_token_ok {
                tracing::info!(%error, "serving the still-valid access token after a failed renewal");
                return Ok(credentials.clone());
            }
        }
        Err(error)
    }
}

fn seconds(value: u64) -> i64 {
    value.min(i64::MAX as u64) as i64
}

/// Time before expiry at which credentials count as due: a tenth of the
/// access token's lifetime, at most `MAX_RENEWAL_MARGIN`, so that short-lived
/// tokens are not renewed for most of their life.
fn renewal_margin(tokens: &TokenSet) -> i64 {
    (tokens.lifetime() as i64 / 10).min(MAX_RENEWAL_MARGIN)
}

fn needs_renewal(tokens: &TokenSet, need: &Need, now: i64) -> bool {
    let required = need.min_ttl.max(renewal_margin(tokens));
    if tokens.access_token_ttl(now) <= required {
        return true;
    }
    if need.require_id_token && tokens.id_token.is_some() {
        return match tokens.id_token_expires_at {
            Some(exp) => exp.saturating_sub(now) <= required,
            None => true,
        };
    }
    false
}

fn rate_limit_wait(shared: &Shared, now: i64) -> Option<u64> {
    shared
        .retry_not_before
        .filter(|not_before| *not_before > now)
        .map(|not_before| not_before.saturating_sub(now) as u64)
}

async fn renew_id_token(session: &Session) -> Result<Arc<Credentials>, SessionError> {
    let (tokens, generation) = {
        let mut shared = session.lock();
        let loaded = session.load(&mut shared);
        let generation = shared.generation;
        drop(shared);
        session.deliver();
        match loaded? {
            Some(credentials) => (credentials.tokens().clone(), generation),
            None => return Err(SessionError::NoCredentials),
        }
    };
    let now = session.now();
    let leeway = session.client.provider().config().leeway_seconds as i64;
    let sub = tokens
        .id_token
        .as_deref()
        .and_then(|token| jwt::decode(token).ok())
        .and_then(|jwt| jwt.claims.sub);
    let id_token_valid = tokens.id_token.is_some()
        && tokens
            .id_token_expires_at
            .is_some_and(|exp| exp > now.saturating_add(leeway));
    let (input, used_refresh_token) = match (&tokens.id_token, &tokens.refresh_token) {
        (Some(id_token), _) if id_token_valid => (DelegationInput::IdToken(id_token), false),
        (_, Some(refresh_token)) => (DelegationInput::RefreshToken(refresh_token), true),
        _ => return Err(SessionError::NoRefreshToken),
    };
    tracing::info!(
        with_refresh_token = used_refresh_token,
        "renewing the id_token by delegation"
    );
    let delegation = session.client.delegation(input, sub.as_deref()).await;

    let mut shared = session.lock();
    let result = if shared.generation != generation {
        Err(SessionError::LoggedOut)
    } else {
        match delegation {
            Ok(delegation) => {
                // A delegation changes only the id_token and its expiry.
                let mut updated = match &shared.stored {
                    crate::session::Stored::Loaded(Some(current)) => current.tokens().clone(),
                    _ => tokens.clone(),
                };
                let received_at = session.now();
                updated.id_token_expires_at = jwt::decode(&delegation.id_token)
                    .ok()
                    .and_then(|jwt| jwt.claims.exp)
                    .map(|exp| exp as i64)
                    .or(Some(received_at + delegation.expires_in as i64));
                updated.id_token = Some(delegation.id_token);
                session.store(&mut shared, updated)
            }
            Err(SessionError::LoginRequired { message }) if used_refresh_token => {
                tracing::info!("the provider rejected the refresh token; ending the session");
                if let Err(error) =
                    session.clear(&mut shared, SignedOutReason::RefreshTokenRejected)
                {
                    tracing::warn!(%error, "deleting the rejected session record failed");
                }
                Err(SessionError::LoginRequired { message })
            }
            Err(error) => Err(error),
        }
    };
    drop(shared);
    session.deliver();
    result
}

async fn logout(session: &Session, revoke: bool) -> Result<RevocationOutcome, SessionError> {
    let (refresh_token, cleared) = {
        let mut shared = session.lock();
        let refresh_token = session
            .load(&mut shared)
            .ok()
            .flatten()
            .and_then(|credentials| credentials.refresh_token());
        let cleared = session.clear(&mut shared, SignedOutReason::LoggedOut);
        (refresh_token, cleared)
    };
    session.deliver();
    tracing::info!(revoke, "logged out");
    let outcome = match (revoke, refresh_token) {
        (false, _) => RevocationOutcome::NotRequested,
        (true, None) => RevocationOutcome::NoRefreshToken,
        (true, Some(refresh_token)) => match session.client.provider().revoke(&refresh_token).await
        {
            Ok(()) => RevocationOutcome::Revoked,
            Err(error) => {
                let message = from_provider(error, &[&refresh_token]).to_string();
                tracing::warn!(%message, "revoking the refresh token failed");
                RevocationOutcome::Failed { message }
            }
        },
    };
    cleared.map(|()| outcome)
}
