//! No token in `Display` or `Debug` output of any error, even when the
//! provider echoes the token back in its response, and none in the `Debug`
//! or `Display` output of the values that contain tokens.

use std::collections::HashMap;

use serde_json::json;
use session_core::{Credentials, SessionError};
use wiremock::ResponseTemplate;

use crate::common::mock::{config_for, json_response, token_body};
use crate::common::scenario::Scenario;
use crate::common::storage::Mode;
use crate::common::{assert_error_hides, assert_no_secrets, expect_error, keys, kind, secrets};

/// Returns the tokens of `scenario`, and for the id_token its signature
/// segment too.
fn secrets_of(scenario: &Scenario) -> Vec<String> {
    let mut all = vec![
        scenario.access_token.clone(),
        scenario.refresh_token.clone(),
    ];
    if let Some(id_token) = &scenario.id_token {
        all.push(id_token.clone());
        all.push(id_token.rsplit('.').next().unwrap().to_string());
    }
    all
}

/// A provider response that echoes the token the request sent, in place of
/// `{TOKEN}` in its template.
struct Echo {
    status: u16,
    content_type: &'static str,
    template: &'static str,
}

impl wiremock::Respond for Echo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let form = crate::common::mock::form_of(request);
        let sent = form
            .get("refresh_token")
            .or_else(|| form.get("id_token"))
            .or_else(|| form.get("token"))
            .cloned()
            .unwrap_or_default();
        let body = self.template.replace("{TOKEN}", &sent);
        ResponseTemplate::new(self.status).set_body_raw(body.into_bytes(), self.content_type)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_errors_echoing_the_token_hide_it() {
    let cases = [
        (
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"refresh token {TOKEN} is revoked"}"#,
            "LoginRequired",
        ),
        (
            200,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"refresh token {TOKEN} is revoked"}"#,
            "LoginRequired",
        ),
        (
            400,
            "application/json",
            r#"{"error":"invalid_scope","error_description":"{TOKEN} may not ask for that"}"#,
            "Rejected",
        ),
        (
            401,
            "application/json",
            r#"{"error":"invalid_client","error_description":"client of {TOKEN} unknown"}"#,
            "Configuration",
        ),
        (
            502,
            "text/html",
            "<html><body>upstream failed for refresh_token={TOKEN}</body></html>",
            "Server",
        ),
        (
            200,
            "application/json",
            r#"{"token_type":"Bearer","debug":"{TOKEN}"}"#,
            "InvalidResponse",
        ),
        (
            200,
            "text/plain",
            "refresh_token={TOKEN}",
            "InvalidResponse",
        ),
    ];
    for (status, content_type, template, expected_kind) in cases {
        let scenario = Scenario::start(0, true).await;
        scenario
            .provider
            .on(
                "/oauth/token",
                Echo {
                    status,
                    content_type,
                    template,
                },
            )
            .await;

        let error = expect_error(scenario.credentials().await, template);

        assert_eq!(kind(&error), expected_kind, "{status} {template}");
        let all = secrets_of(&scenario);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_error_hides(&error, &all);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_error_echoing_the_id_token_hides_it() {
    let scenario = Scenario::start(3600, true).await;
    scenario
        .provider
        .on(
            "/delegation",
            Echo {
                status: 404,
                content_type: "text/html",
                template: "<html>no delegation for {TOKEN}</html>",
            },
        )
        .await;

    let error = expect_error(scenario.manager.renew_id_token().await, "delegation");

    let all = secrets_of(&scenario);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_error_hides(&error, &all);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_id_token_error_hides_the_token() {
    let scenario = Scenario::start(0, true).await;
    // Not signed by any key of the JWKS: a valid shape with a wrong signature.
    let forged = keys::unsigned_claims(&keys::id_token_claims(
        &scenario.provider.issuer(),
        crate::common::mock::CLIENT_ID,
        crate::common::mock::SUB,
        3600,
    ));
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            None,
            Some(&forged),
            3600,
        )))
        .await;

    let error = expect_error(scenario.credentials().await, "a forged id_token");

    assert_eq!(kind(&error), "InvalidIdToken");
    let signature = forged.rsplit('.').next().unwrap();
    assert_error_hides(
        &error,
        &[&forged, signature, &access_token, &scenario.refresh_token],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn network_error_hides_the_token() {
    let scenario = Scenario::start(0, false).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let scenario = scenario.reconfigured(config_for(&closed, 2_000));

    let error = expect_error(scenario.credentials().await, "refused");

    assert_eq!(kind(&error), "Network");
    assert_error_hides(&error, &[&scenario.refresh_token, &scenario.access_token]);
}

#[tokio::test(flavor = "multi_thread")]
async fn storage_errors_carrying_credentials_hide_them() {
    for mode in [Mode::Unavailable, Mode::Fails] {
        let scenario = Scenario::start(0, false).await;
        let access_token = secrets::token("at");
        let rotated = secrets::token("rt");
        let id_token = scenario.provider.id_token(36_000);
        scenario
            .provider
            .on_token(json_response(token_body(
                &access_token,
                Some(&rotated),
                Some(&id_token),
                3600,
            )))
            .await;
        scenario.storage.set_write(mode.clone());

        let error = expect_error(scenario.credentials().await, "a failed write");

        assert!(
            matches!(
                error,
                SessionError::StorageUnavailable {
                    credentials: Some(_),
                    ..
                } | SessionError::StorageFailed {
                    credentials: Some(_),
                    ..
                }
            ),
            "{mode:?}: {}",
            kind(&error)
        );
        assert_error_hides(&error, &[&access_token, &rotated, &id_token]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn min_ttl_error_hides_the_tokens() {
    let scenario = Scenario::start(0, false).await;
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(token_body(&access_token, None, None, 3600)))
        .await;

    let error = expect_error(
        scenario
            .manager
            .credentials(7_200, false, None, HashMap::new())
            .await,
        "a minimum time to live beyond the lifetime",
    );

    assert_eq!(kind(&error), "MinTtlTooLarge");
    assert_error_hides(&error, &[&access_token, &scenario.refresh_token]);
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_error_hides_the_code() {
    let scenario = Scenario::start(3600, false).await;
    let client = scenario.manager.authentication_client();
    let request = crate::common::expect_ok(client.authorize(HashMap::new()).await, "authorize");
    let code = secrets::token("code");
    let redirect = format!(
        "{}?code={code}&state=not-the-state-that-was-sent",
        crate::common::REDIRECT_URI
    );

    let error = expect_error(
        client.exchange_code(request.clone(), redirect).await,
        "exchange",
    );

    assert_eq!(kind(&error), "AuthorizationFailed");
    assert_error_hides(&error, &[&code, &request.state()]);
    assert_eq!(scenario.provider.token_request_count().await, 0);
}

#[test]
fn credentials_debug_and_display_hide_tokens() {
    let access_token = secrets::token("at");
    let refresh_token = secrets::token("rt");
    let id_token = keys::unsigned_claims(&json!({"sub": "auth0|debug", "exp": keys::now() + 60}));
    let credentials = Credentials::new(
        access_token.clone(),
        "Bearer".to_string(),
        Some(id_token.clone()),
        Some(refresh_token.clone()),
        3600,
        Some("openid".to_string()),
    )
    .expect("readable credentials");
    let signature = id_token.rsplit('.').next().unwrap();
    let all = [access_token.as_str(), &refresh_token, &id_token, signature];

    assert_no_secrets(&format!("{credentials:?}"), &all, "Credentials Debug");
    assert_no_secrets(&credentials.to_string(), &all, "Credentials Display");
    assert_no_secrets(
        &format!("{:?}", credentials.tokens()),
        &all,
        "TokenSet Debug",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_request_debug_hides_its_secrets() {
    let scenario = Scenario::start(3600, false).await;
    let client = scenario.manager.authentication_client();

    let request = crate::common::expect_ok(client.authorize(HashMap::new()).await, "authorize");

    let state = request.state();
    let url = url::Url::parse(&request.url()).unwrap();
    let nonce = url
        .query_pairs()
        .find(|(name, _)| name == "nonce")
        .map(|(_, value)| value.to_string())
        .expect("a nonce in the authorize URL");
    assert_no_secrets(
        &format!("{request:?}"),
        &[&state, &nonce],
        "AuthorizationRequest Debug",
    );
}
