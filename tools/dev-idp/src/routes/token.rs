//! `POST /oauth/token`: the authorization_code and refresh_token grants.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use tracing::info;

use super::{no_store, OAuthError, Params};
use crate::faults::{self, Endpoint};
use crate::server::ConnectionControl;
use crate::state::Shared;
use crate::store::{CodeRedemption, GrantId, RefreshTokenLookup};
use crate::tokens::{pkce_matches, sign_id_token, IdTokenRequest, Scope};

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<ConnectionControl>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_body(&headers, &body);
    let grant_type = match &params {
        Ok(params) => params.get("grant_type").unwrap_or("").to_owned(),
        Err(_) => String::new(),
    };
    shared.count(|stats| *stats.token_requests.entry(grant_type).or_default() += 1);
    super::wait_latency(&shared).await;

    let fault = shared.faults().take(Endpoint::Token);
    faults::apply(Endpoint::Token, fault, &connection, async {
        match params.and_then(|params| handle(&shared, &params)) {
            Ok(body) => {
                let mut response = Json(body).into_response();
                no_store(&mut response);
                response
            }
            Err(error) => error.into_response(),
        }
    })
    .await
}

fn handle(shared: &Shared, params: &Params) -> Result<Value, OAuthError> {
    params.check_client(shared)?;
    match params.require("grant_type")? {
        "authorization_code" => exchange_code(shared, params),
        "refresh_token" => refresh(shared, params),
        other => Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!(
                "grant_type {other:?} is not supported; use authorization_code or refresh_token"
            ),
        )),
    }
}

fn exchange_code(shared: &Shared, params: &Params) -> Result<Value, OAuthError> {
    let code = params.require("code")?;
    let verifier = params.require("code_verifier")?;
    let redirect_uri = params.require("redirect_uri")?;
    let config = shared.config();

    let mut store = shared.store();
    let pending = match store.redeem_code(code) {
        CodeRedemption::Valid(pending) => pending,
        CodeRedemption::Reused => {
            info!("rejected a reused authorization code and revoked its tokens");
            return Err(OAuthError::invalid_grant(
                "the authorization code was already used; any tokens issued for it are revoked",
            ));
        }
        CodeRedemption::Unknown => {
            return Err(OAuthError::invalid_grant(
                "the authorization code is invalid or expired",
            ))
        }
    };
    if pending.client_id != shared.client_id {
        return Err(OAuthError::invalid_grant(
            "the authorization code was issued to another client",
        ));
    }
    if pending.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "the redirect_uri differs from the one sent to /authorize",
        ));
    }
    if !pkce_matches(verifier, &pending.code_challenge) {
        return Err(OAuthError::invalid_grant(
            "the code_verifier does not match the code_challenge",
        ));
    }

    let scope = pending.scope.clone();
    let grant = store.create_grant(
        code,
        &shared.client_id,
        scope.clone(),
        config.refresh_token_lifetime,
    );
    let refresh_token = store
        .grant(grant)
        .and_then(|grant| grant.refresh_token.clone());
    drop(store);
    info!(grant, %scope, "exchanged an authorization code");
    Ok(issue(
        shared,
        grant,
        &scope,
        pending.nonce.as_deref(),
        refresh_token,
    ))
}

fn refresh(shared: &Shared, params: &Params) -> Result<Value, OAuthError> {
    let presented = params.require("refresh_token")?;
    let requested_scope = params.get("scope").map(Scope::parse);
    let config = shared.config();

    let mut store = shared.store();
    let grant_id = match store.lookup_refresh_token(presented) {
        RefreshTokenLookup::Current(id) => id,
        RefreshTokenLookup::Retired(id) => {
            if config.reuse_detection {
                store.revoke_grant(id);
                info!(
                    grant = id,
                    "a rotated refresh token was reused; revoked its grant"
                );
            }
            return Err(OAuthError::invalid_grant(
                "the refresh token was replaced by rotation and is no longer valid",
            ));
        }
        RefreshTokenLookup::Unknown => {
            return Err(OAuthError::invalid_grant(
                "the refresh token is invalid, expired or revoked",
            ))
        }
    };
    let grant = store
        .grant(grant_id)
        .expect("a current refresh token belongs to an existing grant");
    if grant.client_id != shared.client_id {
        return Err(OAuthError::invalid_grant(
            "the refresh token was issued to another client",
        ));
    }
    let scope = match requested_scope {
        Some(requested) if !requested.is_empty() => {
            if !requested.is_subset_of(&grant.scope) {
                return Err(OAuthError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    format!(
                        "the requested scope {requested:?} exceeds the granted scope {:?}",
                        grant.scope.to_string()
                    ),
                ));
            }
            requested
        }
        _ => grant.scope.clone(),
    };
    // RFC 6749 section 6: without rotation the client keeps its token, so
    // the response carries none.
    let new_refresh_token = if config.rotation {
        store.rotate_refresh_token(grant_id)
    } else {
        None
    };
    drop(store);
    info!(grant = grant_id, rotated = config.rotation, %scope, "refreshed tokens");
    Ok(issue(shared, grant_id, &scope, None, new_refresh_token))
}

/// Issues an access token for `grant` and builds the token response, with an
/// id_token when the scope has `openid`.
fn issue(
    shared: &Shared,
    grant: GrantId,
    scope: &Scope,
    nonce: Option<&str>,
    refresh_token: Option<String>,
) -> Value {
    let config = shared.config();
    let access_token =
        shared
            .store()
            .add_access_token(grant, scope.clone(), config.access_token_lifetime);

    let mut body = Map::new();
    body.insert("access_token".into(), access_token.into());
    body.insert("token_type".into(), "Bearer".into());
    body.insert(
        "expires_in".into(),
        config.access_token_lifetime.as_secs().into(),
    );
    body.insert("scope".into(), scope.to_string().into());
    if scope.contains("openid") {
        let request = IdTokenRequest {
            issuer: &shared.issuer,
            client_id: &shared.client_id,
            lifetime: config.id_token_lifetime,
            nonce,
            groups: scope.claim_groups(),
        };
        let id_token = sign_id_token(&shared.keys(), &shared.user, &request);
        body.insert("id_token".into(), id_token.into());
    }
    if let Some(refresh_token) = refresh_token {
        body.insert("refresh_token".into(), refresh_token.into());
    }
    json!(body)
}
