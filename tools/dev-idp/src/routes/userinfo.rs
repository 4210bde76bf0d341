//! `GET /userinfo` (OpenID Connect Core section 5.3).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use tracing::info;

use super::OAuthError;
use crate::faults::{self, Endpoint};
use crate::server::ConnectionControl;
use crate::state::Shared;
use crate::tokens::profile_claims;

pub(super) async fn userinfo(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<ConnectionControl>,
    headers: HeaderMap,
) -> Response {
    shared.count(|stats| stats.userinfo_requests += 1);
    let fault = shared.faults().take(Endpoint::Userinfo);
    faults::apply(Endpoint::Userinfo, fault, &connection, async {
        match handle(&shared, &headers) {
            Ok(response) => response,
            Err(error) => {
                let mut response = error.into_response();
                // RFC 6750 section 3: a rejected bearer token gets a challenge.
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                response
            }
        }
    })
    .await
}

fn handle(shared: &Shared, headers: &HeaderMap) -> Result<Response, OAuthError> {
    let unauthorized =
        |description: &str| OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_token", description);
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| unauthorized("the Authorization header is missing"))?;
    let token = authorization
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| unauthorized("the Authorization header is not a Bearer token"))?;

    let store = shared.store();
    let record = store
        .valid_access_token(token)
        .ok_or_else(|| unauthorized("the access token is invalid, expired or revoked"))?;
    let claims = profile_claims(&shared.user, record.scope.claim_groups());
    drop(store);
    info!("returned the user's claims from userinfo");
    Ok(Json(claims).into_response())
}
