//! `/_dev/*`: controls for tests that run the server as a separate process.
//! Each mirrors a method of [`DevIdp`](crate::DevIdp).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use tracing::info;

use super::OAuthError;
use crate::faults::{Endpoint, Fault, FaultResponse};
use crate::state::{RuntimeConfig, Shared, TokenKind};

pub(super) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_dev/stats", get(stats))
        .route("/_dev/reset-stats", post(reset_stats))
        .route("/_dev/config", get(config).post(update_config))
        .route("/_dev/fail", post(inject_fault).delete(clear_faults))
        .route("/_dev/revoke-all", post(revoke_all))
        .route("/_dev/introspect", post(introspect))
        .route("/_dev/rotate-key", post(rotate_key))
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, OAuthError> {
    serde_json::from_slice(body)
        .map_err(|error| OAuthError::invalid_request(format!("the JSON body is invalid: {error}")))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.stats()).into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset_stats();
    Json(shared.stats()).into_response()
}

fn config_json(config: &RuntimeConfig) -> Value {
    json!({
        "latency_ms": config.latency.as_millis() as u64,
        "rotation": config.rotation,
        "reuse_detection": config.reuse_detection,
        "access_token_lifetime": config.access_token_lifetime.as_secs(),
        "id_token_lifetime": config.id_token_lifetime.as_secs(),
        "refresh_token_lifetime": config.refresh_token_lifetime.map(|lifetime| lifetime.as_secs()),
    })
}

async fn config(State(shared): State<Arc<Shared>>) -> Response {
    Json(config_json(&shared.config())).into_response()
}

/// Fields that `POST /_dev/config` changes; absent ones keep their value.
/// Lifetimes are in seconds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigUpdate {
    latency_ms: Option<u64>,
    rotation: Option<bool>,
    reuse_detection: Option<bool>,
    access_token_lifetime: Option<u64>,
    id_token_lifetime: Option<u64>,
    /// `null` makes refresh tokens last forever, which an absent field
    /// cannot express.
    #[serde(default, deserialize_with = "present")]
    refresh_token_lifetime: Option<Option<u64>>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(deserializer).map(Some)
}

async fn update_config(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let update: ConfigUpdate = match parse_json(&body) {
        Ok(update) => update,
        Err(error) => return error.into_response(),
    };
    let config = shared.update_config(|config| {
        if let Some(latency) = update.latency_ms {
            config.latency = Duration::from_millis(latency);
        }
        if let Some(rotation) = update.rotation {
            config.rotation = rotation;
        }
        if let Some(reuse_detection) = update.reuse_detection {
            config.reuse_detection = reuse_detection;
        }
        if let Some(lifetime) = update.access_token_lifetime {
            config.access_token_lifetime = Duration::from_secs(lifetime);
        }
        if let Some(lifetime) = update.id_token_lifetime {
            config.id_token_lifetime = Duration::from_secs(lifetime);
        }
        if let Some(lifetime) = update.refresh_token_lifetime {
            config.refresh_token_lifetime = lifetime.map(Duration::from_secs);
        }
    });
    info!(?config, "changed the configuration");
    Json(config_json(&config)).into_response()
}

/// The body of `POST /_dev/fail`: exactly one of `status`, `drop` and
/// `hang`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    endpoint: Endpoint,
    status: Option<u16>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    /// A string is sent as is; any other JSON value is sent serialised.
    body: Option<Value>,
    #[serde(default = "one")]
    count: u32,
    #[serde(default)]
    drop: bool,
    #[serde(default)]
    hang: bool,
}

fn one() -> u32 {
    1
}

fn fault_of(request: FaultRequest) -> Result<Fault, OAuthError> {
    match (request.status, request.drop, request.hang) {
        (Some(status), false, false) => {
            let mut response = FaultResponse::new(status);
            for (name, value) in &request.headers {
                response = response.with_header(name, value);
            }
            match request.body {
                Some(Value::String(text)) => response = response.with_body(&text),
                Some(value) => response = response.with_body(&value.to_string()),
                None => {}
            }
            response.validate().map_err(OAuthError::invalid_request)?;
            Ok(Fault::Respond(response))
        }
        (None, true, false) => Ok(Fault::DropResponse),
        (None, false, true) => Ok(Fault::Hang),
        _ => Err(OAuthError::invalid_request(
            "set exactly one of status, drop: true and hang: true",
        )),
    }
}

async fn inject_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let result = parse_json::<FaultRequest>(&body).and_then(|request| {
        let endpoint = request.endpoint;
        let count = request.count;
        fault_of(request).map(|fault| (endpoint, fault, count))
    });
    match result {
        Ok((endpoint, fault, count)) => {
            info!(?endpoint, count, "queued a fault");
            shared.faults().push(endpoint, fault, count);
            Json(json!({ "queued": count })).into_response()
        }
        Err(error) => error.into_response(),
    }
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults().clear();
    Json(json!({ "cleared": true })).into_response()
}

async fn revoke_all(State(shared): State<Arc<Shared>>) -> Response {
    let revoked = shared.store().revoke_all();
    info!(revoked, "revoked every grant");
    Json(json!({ "revoked_grants": revoked })).into_response()
}

#[derive(Deserialize)]
struct IntrospectRequest {
    token: String,
}

async fn introspect(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: IntrospectRequest = match parse_json(&body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let body = match shared.active_token_kind(&request.token) {
        Some(TokenKind::RefreshToken) => json!({ "active": true, "kind": "refresh_token" }),
        Some(TokenKind::AccessToken) => json!({ "active": true, "kind": "access_token" }),
        None => json!({ "active": false }),
    };
    Json(body).into_response()
}

async fn rotate_key(State(shared): State<Arc<Shared>>) -> Response {
    let kid = shared.rotate_signing_key().await;
    info!(kid, "rotated the signing key");
    Json(json!({ "kid": kid })).into_response()
}
