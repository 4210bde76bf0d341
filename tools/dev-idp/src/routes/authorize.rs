//! `GET /authorize`: approves the test user at once.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tracing::info;
use url::Url;

use super::{OAuthError, Params};
use crate::state::Shared;
use crate::store::{PendingCode, CODE_LIFETIME};
use crate::tokens::Scope;

pub(super) async fn authorize(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Response {
    shared.count(|stats| stats.authorize_requests += 1);
    match handle(&shared, query.as_deref().unwrap_or("")) {
        Ok(location) => redirect(location),
        Err(error) => error.into_response(),
    }
}

/// Returns the redirect location: with a code, or with an error for a
/// request whose client and redirect URI are fine. An unknown client or an
/// unusable redirect URI gets a 400 instead, because redirecting would
/// send the user to a place the client never registered (RFC 6749
/// section 4.1.2.1).
fn handle(shared: &Shared, query: &str) -> Result<Url, OAuthError> {
    let params = Params::from_form(query.as_bytes())?;
    match params.get("client_id") {
        Some(client_id) if client_id == shared.client_id => {}
        Some(client_id) => {
            return Err(OAuthError::invalid_request(format!(
                "unknown client_id {client_id:?}"
            )))
        }
        None => {
            return Err(OAuthError::invalid_request(
                "the client_id parameter is missing",
            ))
        }
    }
    let redirect_uri = params.require("redirect_uri")?;
    let mut location = Url::parse(redirect_uri).map_err(|error| {
        OAuthError::invalid_request(format!("the redirect_uri is not an absolute URI: {error}"))
    })?;
    if !shared.redirect_uris.is_empty()
        && !shared.redirect_uris.iter().any(|uri| uri == redirect_uri)
    {
        return Err(OAuthError::invalid_request(format!(
            "the redirect_uri {redirect_uri} is not registered for this client"
        )));
    }

    let state = params.get("state");
    let outcome = check(&params).map(|checked| {
        shared.store().add_code(PendingCode {
            client_id: shared.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: checked.code_challenge,
            nonce: params.get("nonce").map(str::to_owned),
            scope: checked.scope,
            expires_at: Instant::now() + CODE_LIFETIME,
        })
    });

    let mut query = location.query_pairs_mut();
    match outcome {
        Ok(code) => {
            info!("approved the test user and issued an authorization code");
            query.append_pair("code", &code);
        }
        Err((error, description)) => {
            info!(error, description, "rejected an authorization request");
            query
                .append_pair("error", error)
                .append_pair("error_description", &description);
        }
    }
    if let Some(state) = state {
        query.append_pair("state", state);
    }
    // RFC 9207: the issuer lets the client detect a mix-up between providers.
    query.append_pair("iss", &shared.issuer);
    drop(query);
    Ok(location)
}

struct CheckedRequest {
    code_challenge: String,
    scope: Scope,
}

fn check(params: &Params) -> Result<CheckedRequest, (&'static str, String)> {
    match params.get("response_type") {
        Some("code") => {}
        Some(other) => {
            return Err((
                "unsupported_response_type",
                format!("response_type {other:?} is not supported; use code"),
            ))
        }
        None => return Err(invalid("the response_type parameter is missing")),
    }
    if params.get("state").is_none() {
        return Err(invalid("the state parameter is missing"));
    }
    let code_challenge = params
        .get("code_challenge")
        .ok_or_else(|| invalid("the code_challenge parameter is missing; PKCE is required"))?;
    match params.get("code_challenge_method") {
        Some("S256") => {}
        Some(other) => {
            return Err(invalid(&format!(
                "code_challenge_method {other:?} is not supported; use S256"
            )))
        }
        None => {
            return Err(invalid(
                "the code_challenge_method parameter is missing; use S256",
            ))
        }
    }
    // An S256 challenge is a base64url SHA-256 digest: 43 characters.
    if code_challenge.len() != 43 {
        return Err(invalid(
            "the code_challenge is not a base64url SHA-256 digest",
        ));
    }
    Ok(CheckedRequest {
        code_challenge: code_challenge.to_owned(),
        scope: Scope::parse(params.get("scope").unwrap_or("openid")),
    })
}

fn invalid(description: &str) -> (&'static str, String) {
    ("invalid_request", description.to_owned())
}

fn redirect(location: Url) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}
