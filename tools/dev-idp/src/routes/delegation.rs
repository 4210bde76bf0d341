//! `POST /delegation`: Auth0's legacy endpoint that trades a valid id_token
//! or refresh token for a new id_token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};
use tracing::info;

use super::{no_store, OAuthError, Params};
use crate::faults::{self, Endpoint};
use crate::server::ConnectionControl;
use crate::state::Shared;
use crate::store::RefreshTokenLookup;
use crate::tokens::{sign_id_token, verify_own_id_token, IdTokenRejection, IdTokenRequest, Scope};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub(super) async fn delegation(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<ConnectionControl>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.count(|stats| stats.delegation_requests += 1);
    super::wait_latency(&shared).await;

    let fault = shared.faults().take(Endpoint::Delegation);
    faults::apply(Endpoint::Delegation, fault, &connection, async {
        let result = Params::from_body(&headers, &body).and_then(|params| handle(&shared, &params));
        match result {
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
        JWT_BEARER => {}
        other => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {other:?} is not supported; use {JWT_BEARER}"),
            ))
        }
    }
    if let Some(api_type) = params.get("api_type") {
        if api_type != "app" {
            return Err(OAuthError::invalid_request(format!(
                "api_type {api_type:?} is not supported; use app"
            )));
        }
    }
    let scope = Scope::parse(params.get("scope").unwrap_or("openid"));
    if !scope.contains("openid") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "the scope must contain openid",
        ));
    }

    // The new id_token keeps the profile claims that the credential it
    // replaces released, so that a renewal does not shrink the profile.
    let groups = match (params.get("id_token"), params.get("refresh_token")) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_request(
                "send either id_token or refresh_token, not both",
            ))
        }
        (Some(id_token), None) => {
            let claims = {
                let keys = shared.keys();
                verify_own_id_token(&keys, id_token, &shared.issuer, &shared.client_id)
            }
            .map_err(|rejection| match rejection {
                IdTokenRejection::Expired => OAuthError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "the id_token is expired",
                ),
                IdTokenRejection::Invalid(reason) => {
                    OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_token", reason)
                }
            })?;
            if claims.get("sub").and_then(Value::as_str) != Some(shared.user.sub.as_str()) {
                return Err(OAuthError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "the id_token's subject is not the test user",
                ));
            }
            crate::tokens::ClaimGroups::of_claims(&claims)
        }
        (None, Some(refresh_token)) => {
            let store = shared.store();
            match store.lookup_refresh_token(refresh_token) {
                RefreshTokenLookup::Current(id) => store
                    .grant(id)
                    .expect("a current refresh token belongs to an existing grant")
                    .scope
                    .claim_groups(),
                RefreshTokenLookup::Retired(_) | RefreshTokenLookup::Unknown => {
                    return Err(OAuthError::invalid_grant(
                        "the refresh token is invalid, expired, rotated or revoked",
                    ))
                }
            }
        }
        (None, None) => {
            return Err(OAuthError::invalid_request(
                "the id_token or refresh_token parameter is missing",
            ))
        }
    };

    let lifetime = shared.config().id_token_lifetime;
    let request = IdTokenRequest {
        issuer: &shared.issuer,
        client_id: &shared.client_id,
        lifetime,
        nonce: None,
        groups,
    };
    let id_token = sign_id_token(&shared.keys(), &shared.user, &request);
    info!("issued an id_token by delegation");
    Ok(json!({
        "id_token": id_token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
    }))
}
