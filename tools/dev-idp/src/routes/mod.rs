//! The HTTP routes: Auth0's paths, plus `/_dev/*` controls for tests that
//! run the server as a separate process.

mod authorize;
mod control;
mod delegation;
mod discovery;
mod revoke;
mod token;
mod userinfo;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tracing::info;

use crate::state::Shared;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route("/authorize", get(authorize::authorize))
        .route("/oauth/token", post(token::token))
        .route("/delegation", post(delegation::delegation))
        .route("/oauth/revoke", post(revoke::revoke))
        .route(
            "/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .merge(control::router())
        .with_state(shared)
}

/// An OAuth 2.0 error response (RFC 6749 section 5.2).
#[derive(Debug)]
pub(crate) struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
}

impl OAuthError {
    pub fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub fn invalid_client(client_id: Option<&str>) -> Self {
        let description = match client_id {
            Some(client_id) => format!("unknown client_id {client_id:?}"),
            None => "the client_id parameter is missing".to_owned(),
        };
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        // Descriptions name parameters and client ids, never token values.
        info!(status = %self.status, error = self.code, description = %self.description, "rejected a request");
        let body = json!({ "error": self.code, "error_description": self.description });
        let mut response = (self.status, Json(body)).into_response();
        no_store(&mut response);
        response
    }
}

/// Marks a response that carries tokens or token errors as not cacheable
/// (RFC 6749 section 5.1).
pub(crate) fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Request parameters from a query string, a form body or, as Auth0 also
/// accepts, a JSON object body.
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Parses a body by its `Content-Type`: JSON for `application/json`,
    /// form encoding otherwise.
    pub fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<Params, OAuthError> {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim_start().starts_with("application/json"));
        if is_json {
            Self::from_json(body)
        } else {
            Self::from_form(body)
        }
    }

    /// Parses form encoding, rejecting a repeated parameter (RFC 6749
    /// section 3.1).
    pub fn from_form(text: &[u8]) -> Result<Params, OAuthError> {
        let mut params = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(text) {
            if params
                .insert(name.to_string(), value.into_owned())
                .is_some()
            {
                return Err(OAuthError::invalid_request(format!(
                    "the {name} parameter is repeated"
                )));
            }
        }
        Ok(Params(params))
    }

    fn from_json(body: &[u8]) -> Result<Params, OAuthError> {
        let object: serde_json::Map<String, Value> =
            serde_json::from_slice(body).map_err(|error| {
                OAuthError::invalid_request(format!("the JSON body is invalid: {error}"))
            })?;
        let mut params = HashMap::new();
        for (name, value) in object {
            let text = match value {
                Value::Null => continue,
                Value::String(text) => text,
                Value::Bool(flag) => flag.to_string(),
                Value::Number(number) => number.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(OAuthError::invalid_request(format!(
                        "the {name} parameter must be a string"
                    )))
                }
            };
            params.insert(name, text);
        }
        Ok(Params(params))
    }

    /// Returns a parameter, treating an empty value as absent (RFC 6749
    /// section 3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::invalid_request(format!("the {name} parameter is missing")))
    }

    /// Checks that `client_id` is the configured client.
    pub fn check_client(&self, shared: &Shared) -> Result<(), OAuthError> {
        match self.get("client_id") {
            Some(client_id) if client_id == shared.client_id => Ok(()),
            other => Err(OAuthError::invalid_client(other)),
        }
    }
}

/// Waits the configured latency, for endpoints that simulate a slow
/// provider.
pub(crate) async fn wait_latency(shared: &Shared) {
    let latency = shared.config().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
}
