//! Fault injection through the library API.

mod common;

use std::time::Duration;

use common::{field, login, post_form, refresh, start, FULL_SCOPE};
use dev_idp::{Endpoint, Fault, FaultResponse};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn fault_response_sends_status_headers_and_body() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let fault = FaultResponse::new(429)
        .with_header("Retry-After", "7")
        .with_body(r#"{"error":"too_many_requests"}"#);
    idp.inject_fault(Endpoint::Token, fault, 1);

    let response = refresh(&idp, field(&tokens, "refresh_token"), None).await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
}

#[tokio::test]
async fn fault_response_leaves_refresh_token_unrotated() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    idp.inject_fault(Endpoint::Token, FaultResponse::new(503), 1);

    refresh(&idp, refresh_token, None).await;

    assert!(idp.is_refresh_token_valid(refresh_token));
}

#[tokio::test]
async fn fault_applies_to_next_count_requests_only() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    let page = FaultResponse::new(502).with_body("<html>Bad gateway</html>");
    idp.inject_fault(Endpoint::Token, page, 2);

    let first = refresh(&idp, refresh_token, None).await;
    let second = refresh(&idp, refresh_token, None).await;
    let third = refresh(&idp, refresh_token, None).await;

    assert_eq!(first.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(second.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(third.status(), StatusCode::OK);
}

#[tokio::test]
async fn fault_on_one_endpoint_spares_the_others() {
    let idp = start().await;
    idp.inject_fault(Endpoint::Delegation, FaultResponse::new(404), 1);

    let tokens = login(&idp, FULL_SCOPE).await;

    assert!(tokens.get("access_token").is_some());
}

#[tokio::test]
async fn dropped_response_closes_connection_after_rotation() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    idp.inject_fault(Endpoint::Token, Fault::DropResponse, 1);

    let result = common::client()
        .post(format!("{}/oauth/token", idp.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", idp.client_id()),
            ("refresh_token", old),
        ])
        .send()
        .await;

    let error = result.expect_err("the connection closes without a response");
    assert!(!error.is_timeout(), "{error}");
    assert!(!idp.is_refresh_token_valid(old));
    let valid = idp.valid_refresh_tokens();
    assert_eq!(valid.len(), 1);
    assert_ne!(valid[0], old);
}

#[tokio::test]
async fn dropped_response_then_retry_gets_invalid_grant() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    idp.inject_fault(Endpoint::Token, Fault::DropResponse, 1);
    let lost = refresh_result(&idp, old).await;
    assert!(lost.is_err());

    let retry = refresh(&idp, old, None).await;

    assert_eq!(retry.status(), StatusCode::BAD_REQUEST);
    assert_eq!(common::error_code(retry).await, "invalid_grant");
}

async fn refresh_result(
    idp: &dev_idp::DevIdp,
    refresh_token: &str,
) -> reqwest::Result<reqwest::Response> {
    common::client()
        .post(format!("{}/oauth/token", idp.base_url()))
        .timeout(Duration::from_millis(500))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", idp.client_id()),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
}

#[tokio::test]
async fn hung_response_times_out_after_rotation() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    idp.inject_fault(Endpoint::Token, Fault::Hang, 1);

    let error = refresh_result(&idp, old)
        .await
        .expect_err("no response comes");

    assert!(error.is_timeout(), "{error}");
    assert!(!idp.is_refresh_token_valid(old));
    assert_eq!(idp.valid_refresh_tokens().len(), 1);
}

#[tokio::test]
async fn dropped_revocation_still_revokes() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    idp.inject_fault(Endpoint::Revoke, Fault::DropResponse, 1);

    let result = common::client()
        .post(format!("{}/oauth/revoke", idp.base_url()))
        .form(&[("client_id", idp.client_id()), ("token", refresh_token)])
        .send()
        .await;

    assert!(result.is_err());
    assert!(!idp.is_refresh_token_valid(refresh_token));
}

#[tokio::test]
async fn clear_faults_removes_queued_faults() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    idp.inject_fault(Endpoint::Revoke, FaultResponse::new(500), 3);

    idp.clear_faults();
    let form = [
        ("client_id", idp.client_id()),
        ("token", field(&tokens, "refresh_token")),
    ];
    let response = post_form(&idp, "/oauth/revoke", &form).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn faulted_requests_are_counted() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    idp.inject_fault(Endpoint::Token, FaultResponse::new(503), 1);

    refresh(&idp, field(&tokens, "refresh_token"), None).await;

    assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
}
