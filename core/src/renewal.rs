//! One renewal with the refresh token, run as a task of its own on the core's
//! runtime so that it finishes and stores its result even when every caller
//! waiting on it was cancelled.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;

use crate::credentials::TokenSet;
use crate::error::{from_provider, SessionError};
use crate::jwt;
use crate::provider::ProviderError;
use crate::runtime;
use crate::session::{Renewal, RenewalOutcome, Session, Shared};
use crate::state::{SessionState, SignedOutReason};

/// The scope and parameters a renewal sends besides the refresh token.
#[derive(Clone, Debug, Default)]
pub struct RenewalRequest {
    pub scope: Option<String>,
    pub parameters: HashMap<String, String>,
}

/// Starts a renewal of `tokens` under the session lock and returns the
/// receiver that its outcome arrives on.
pub fn start(
    session: &Arc<Session>,
    shared: &mut Shared,
    tokens: TokenSet,
    request: RenewalRequest,
) -> watch::Receiver<Option<RenewalOutcome>> {
    let (sender, receiver) = watch::channel(None);
    let id = shared.next_renewal_id;
    shared.next_renewal_id += 1;
    shared.renewal = Some(Renewal {
        id,
        done: receiver.clone(),
    });
    session.set_state(shared, SessionState::Renewing);
    let generation = shared.generation;
    let session = session.clone();
    runtime::spawn_detached(async move {
        let task = {
            let session = session.clone();
            tokio::spawn(async move { run(&session, generation, id, tokens, request).await })
        };
        // A panic in a callback (such as the app's storage) must not leave
        // the renewal slot taken, or no later call could ever renew.
        let outcome = match task.await {
            Ok(outcome) => outcome,
            Err(error) => {
                tracing::error!(%error, "the renewal task stopped abnormally");
                let failure = SessionError::StorageFailed {
                    credentials: None,
                    message: "the renewal stopped because a callback panicked; the stored \
                              credentials were not changed"
                        .to_string(),
                };
                finish(&session, id, RenewalOutcome::Failed(failure))
            }
        };
        // The callers may all have gone; the result is stored either way.
        let _ = sender.send(Some(outcome));
        session.deliver();
    });
    receiver
}

async fn run(
    session: &Session,
    generation: u64,
    id: u64,
    tokens: TokenSet,
    request: RenewalRequest,
) -> RenewalOutcome {
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return finish(
            session,
            id,
            RenewalOutcome::Failed(SessionError::NoRefreshToken),
        );
    };
    tracing::info!(lifetime = tokens.lifetime(), "renewing the session");
    let received_at = session.now();
    let response = session
        .client
        .refresh(
            &refresh_token,
            request.scope.as_deref(),
            &request.parameters,
        )
        .await;
    let response = match response {
        Ok(response) => response,
        Err(error) => return failed(session, generation, id, &refresh_token, error),
    };

    let sub = tokens
        .id_token
        .as_deref()
        .and_then(|token| jwt::decode(token).ok())
        .and_then(|jwt| jwt.claims.sub);
    let checked = session
        .client
        .check_new_id_token(&response, sub.as_deref())
        .await;
    let mut shared = session.lock();
    if shared.generation != generation {
        return discard(
            session,
            &mut shared,
            id,
            &tokens,
            response.refresh_token.as_deref(),
        );
    }
    let outcome = match checked {
        Ok(id_token_expires_at) => {
            let renewed =
                TokenSet::from_response(response, received_at, id_token_expires_at, Some(&tokens));
            tracing::info!(lifetime = renewed.lifetime(), "renewed the session");
            match session.store(&mut shared, renewed) {
                Ok(credentials) => RenewalOutcome::Renewed(credentials),
                Err(error) => RenewalOutcome::Failed(error),
            }
        }
        Err(error) => {
            // The id_token was rejected, but a rotated refresh token is the
            // only one that still works: keep it with the previous tokens.
            tracing::warn!(%error, "the renewed id_token was rejected");
            if let Some(rotated) = response.refresh_token {
                let mut kept = tokens.clone();
                kept.refresh_token = Some(rotated);
                if let Err(store_error) = session.store(&mut shared, kept) {
                    tracing::warn!(%store_error, "keeping the rotated refresh token failed");
                }
            }
            session.set_state(&mut shared, SessionState::SignedIn);
            RenewalOutcome::Failed(error)
        }
    };
    clear_slot(&mut shared, id);
    outcome
}

/// Decides what a failed refresh request means. Only `invalid_grant` for the
/// refresh token that is still the stored one ends the session; every other
/// failure keeps the credentials.
fn failed(
    session: &Session,
    generation: u64,
    id: u64,
    refresh_token: &str,
    error: ProviderError,
) -> RenewalOutcome {
    let invalid_grant =
        matches!(&error, ProviderError::OAuth { error, .. } if error.error == "invalid_grant");
    let rate_limit = match &error {
        ProviderError::Server {
            status: 429,
            retry_after,
            ..
        } => Some(retry_after.unwrap_or(0)),
        _ => None,
    };
    let session_error = from_provider(error, &[refresh_token]);
    tracing::warn!(error = %session_error, "renewing the session failed");

    let mut shared = session.lock();
    if shared.generation != generation {
        clear_slot(&mut shared, id);
        return superseded_or_logged_out(&shared);
    }
    let still_stored = match &shared.stored {
        crate::session::Stored::Loaded(Some(credentials)) => {
            credentials.tokens().refresh_token.as_deref() == Some(refresh_token)
        }
        _ => false,
    };
    let outcome = if invalid_grant && still_stored {
        tracing::info!("the provider rejected the refresh token; ending the session");
        if let Err(error) = session.clear(&mut shared, SignedOutReason::RefreshTokenRejected) {
            tracing::warn!(%error, "deleting the rejected session record failed");
        }
        RenewalOutcome::Failed(session_error)
    } else if invalid_grant {
        RenewalOutcome::Superseded
    } else {
        if let Some(wait) = rate_limit {
            shared.retry_not_before = Some(session.now().saturating_add(wait as i64));
        }
        session.set_state(&mut shared, SessionState::SignedIn);
        RenewalOutcome::Failed(session_error)
    };
    clear_slot(&mut shared, id);
    outcome
}

/// Drops the result of a renewal that finished after logout or after new
/// credentials were saved (it must never be stored), and revokes a refresh
/// token that it rotated in, which nothing else would ever use.
fn discard(
    session: &Session,
    shared: &mut Shared,
    id: u64,
    previous: &TokenSet,
    rotated: Option<&str>,
) -> RenewalOutcome {
    tracing::info!("the session changed during the renewal; discarding its result");
    clear_slot(shared, id);
    let outcome = superseded_or_logged_out(shared);
    if let Some(rotated) = rotated.filter(|token| Some(*token) != previous.refresh_token.as_deref())
    {
        let client = session.client.clone();
        let rotated = rotated.to_string();
        runtime::spawn_detached(async move {
            if let Err(error) = client.provider().revoke(&rotated).await {
                tracing::debug!(?error, "revoking a discarded refresh token failed");
            }
        });
    }
    outcome
}

fn superseded_or_logged_out(shared: &Shared) -> RenewalOutcome {
    match shared.state {
        SessionState::SignedOut { .. } => RenewalOutcome::Failed(SessionError::LoggedOut),
        _ => RenewalOutcome::Superseded,
    }
}

fn finish(session: &Session, id: u64, outcome: RenewalOutcome) -> RenewalOutcome {
    let mut shared = session.lock();
    clear_slot(&mut shared, id);
    if shared.state == SessionState::Renewing {
        session.set_state(&mut shared, SessionState::SignedIn);
    }
    outcome
}

fn clear_slot(shared: &mut Shared, id: u64) {
    if shared
        .renewal
        .as_ref()
        .is_some_and(|renewal| renewal.id == id)
    {
        shared.renewal = None;
    }
}
