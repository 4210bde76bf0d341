//! The legacy Auth0 `/delegation` endpoint, which most tenants no longer
//! offer. Its absence is a configuration error, never a reason to sign the
//! user out; its success changes only the id_token and the id_token's expiry.

use serde_json::json;
use session_core::SessionError;
use wiremock::ResponseTemplate;

use crate::common::mock::json_response;
use crate::common::scenario::{Scenario, ID_TOKEN_LIFETIME};
use crate::common::{assert_error_hides, expect_error, expect_ok, kind};

/// Mounts `response` at `/delegation`, calls `renew_id_token`, and checks
/// that the result is a configuration error and the session intact.
async fn assert_missing_endpoint(scenario: &Scenario, response: ResponseTemplate) {
    scenario.provider.on("/delegation", response).await;
    let before = scenario.storage.raw();

    let error = expect_error(scenario.manager.renew_id_token().await, "delegation");

    assert!(
        matches!(error, SessionError::Configuration { .. }),
        "a missing /delegation was {}",
        kind(&error)
    );
    let id_token = scenario.id_token.as_deref().unwrap();
    assert_error_hides(&error, &[id_token, &scenario.refresh_token, "<html"]);
    assert_eq!(scenario.storage.raw(), before, "the record changed");
    scenario.assert_kept();
    assert_eq!(scenario.provider.requests_to("/delegation").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_404_with_empty_body_is_configuration_error() {
    let scenario = Scenario::start(3600, true).await;
    assert_missing_endpoint(&scenario, ResponseTemplate::new(404)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_404_with_html_body_is_configuration_error() {
    let scenario = Scenario::start(3600, true).await;
    let page = "<html><body><h1>Not Found</h1></body></html>";
    let response = ResponseTemplate::new(404).set_body_raw(page.as_bytes().to_vec(), "text/html");
    assert_missing_endpoint(&scenario, response).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_410_is_configuration_error() {
    let scenario = Scenario::start(3600, true).await;
    assert_missing_endpoint(&scenario, ResponseTemplate::new(410)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_404_with_refresh_token_keeps_session() {
    let scenario = Scenario::start(3600, true).await;
    // The id_token has expired, so the refresh token is what is sent.
    scenario.clock.advance(ID_TOKEN_LIFETIME + 3_600);
    assert_missing_endpoint(&scenario, ResponseTemplate::new(404)).await;
    let requests = scenario.provider.requests_to("/delegation").await;
    assert_eq!(
        requests[0].get("refresh_token"),
        Some(&scenario.refresh_token)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_success_updates_only_id_token() {
    let scenario = Scenario::start(3600, true).await;
    let before = expect_ok(
        scenario.credentials().await,
        "credentials before the delegation",
    );
    let new_id_token = scenario.provider.id_token(ID_TOKEN_LIFETIME + 600);
    scenario
        .provider
        .on(
            "/delegation",
            json_response(json!({
                "id_token": new_id_token,
                "token_type": "Bearer",
                "expires_in": ID_TOKEN_LIFETIME + 600,
            })),
        )
        .await;

    let after = expect_ok(scenario.manager.renew_id_token().await, "delegation");

    assert_eq!(after.id_token(), Some(new_id_token));
    assert_ne!(after.id_token_expires_at(), before.id_token_expires_at());
    let expected_expiry = after.id_token_expires_at().unwrap();
    assert!(expected_expiry >= before.id_token_expires_at().unwrap() + 600);
    assert_eq!(after.access_token(), before.access_token());
    assert_eq!(after.refresh_token(), before.refresh_token());
    assert_eq!(after.expires_at(), before.expires_at());
    assert_eq!(after.scope(), before.scope());
    assert_eq!(after.token_type(), before.token_type());
    assert_eq!(scenario.provider.token_request_count().await, 0);

    let restarted = scenario.restarted();
    let stored = expect_ok(
        restarted
            .credentials(0, true, None, Default::default())
            .await,
        "credentials after a restart",
    );
    assert_eq!(stored.id_token(), after.id_token());
    assert_eq!(stored.access_token(), before.access_token());
    assert_eq!(stored.refresh_token(), before.refresh_token());
}
