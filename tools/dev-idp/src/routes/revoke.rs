//! `POST /oauth/revoke` (RFC 7009).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tracing::info;

use super::{OAuthError, Params};
use crate::faults::{self, Endpoint};
use crate::server::ConnectionControl;
use crate::state::Shared;

pub(super) async fn revoke(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<ConnectionControl>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.count(|stats| stats.revocation_requests += 1);
    let fault = shared.faults().take(Endpoint::Revoke);
    faults::apply(Endpoint::Revoke, fault, &connection, async {
        match Params::from_body(&headers, &body).and_then(|params| handle(&shared, &params)) {
            Ok(()) => StatusCode::OK.into_response(),
            Err(error) => error.into_response(),
        }
    })
    .await
}

/// Revokes the token. An unknown token is not an error (RFC 7009 section
/// 2.2), so a client cannot learn which tokens exist.
fn handle(shared: &Shared, params: &Params) -> Result<(), OAuthError> {
    params.check_client(shared)?;
    let token = params.require("token")?;
    let revoked = shared.store().revoke_token(token);
    info!(revoked, "handled a revocation request");
    Ok(())
}
