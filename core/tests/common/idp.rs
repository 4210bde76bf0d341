//! The dev identity provider embedded in a test, and a login through it the
//! way an app does one: authorize URL, browser redirect, code exchange.

use std::collections::HashMap;
use std::sync::Arc;

use dev_idp::{DevIdp, Options};
use reqwest::header::LOCATION;
use session_core::{AuthConfig, AuthenticationClient, Credentials};

use super::{expect_ok, secrets, REDIRECT_URI, SCOPE};

/// Starts the dev identity provider on 127.0.0.1 with `options`. It serves
/// on the calling runtime, which must therefore have more than the one
/// thread a blocked test would hold.
pub async fn start(options: Options) -> DevIdp {
    secrets::init_tracing();
    DevIdp::start(options)
        .await
        .expect("the dev identity provider did not start")
}

/// A configuration for `idp` as an Auth0-style domain.
pub fn config(idp: &DevIdp, timeout_ms: u32) -> AuthConfig {
    AuthConfig {
        domain: Some(idp.base_url()),
        issuer: None,
        client_id: idp.client_id().to_string(),
        audience: None,
        scope: SCOPE.to_string(),
        redirect_uri: REDIRECT_URI.to_string(),
        leeway_seconds: 60,
        timeout_ms,
    }
}

/// Logs the test user in through `client`: opens the authorize URL as a
/// browser would, reads the redirect, and exchanges its code. Records the
/// tokens for the secrets scan.
pub async fn log_in(client: &AuthenticationClient) -> Arc<Credentials> {
    let request = expect_ok(
        client.authorize(HashMap::new()).await,
        "building the authorize URL",
    );
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the test browser did not start");
    let response = browser
        .get(request.url())
        .send()
        .await
        .expect("the authorize request failed");
    let redirect = response
        .headers()
        .get(LOCATION)
        .expect("the authorize endpoint did not redirect")
        .to_str()
        .expect("the redirect location is not text")
        .to_string();
    assert!(
        redirect.starts_with(REDIRECT_URI),
        "the authorize endpoint redirected elsewhere"
    );
    let credentials = expect_ok(
        client.exchange_code(request, redirect).await,
        "exchanging the authorization code",
    );
    secrets::record_credentials(&credentials);
    credentials
}
