//! OpenID Connect discovery and the JWKS.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::state::Shared;

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0
/// section 3), with Auth0's non-standard `delegation_endpoint`.
pub(super) async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Json<Value> {
    // The issuer ends with a slash, as Auth0's do; endpoint paths are
    // appended to it.
    let issuer = &shared.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}authorize"),
        "token_endpoint": format!("{issuer}oauth/token"),
        "userinfo_endpoint": format!("{issuer}userinfo"),
        "jwks_uri": format!("{issuer}.well-known/jwks.json"),
        "revocation_endpoint": format!("{issuer}oauth/revoke"),
        "delegation_endpoint": format!("{issuer}delegation"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": [
            "iss", "sub", "aud", "azp", "iat", "exp", "nonce",
            "name", "given_name", "family_name", "nickname", "picture", "updated_at",
            "email", "email_verified"
        ],
        "authorization_response_iss_parameter_supported": true,
    }))
}

/// `GET /.well-known/jwks.json`: the current signing key first, then the
/// keys it replaced.
pub(super) async fn jwks(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(shared.keys().jwks())
}
