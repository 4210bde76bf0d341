//! The `/_dev/*` controls that process-mode tests use.

mod common;

use std::time::{Duration, Instant};

use common::{client, error_code, field, login, refresh, start, FULL_SCOPE};
use dev_idp::DevIdp;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

async fn post_json(idp: &DevIdp, path: &str, body: Value) -> Response {
    client()
        .post(format!("{}{path}", idp.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get_json(idp: &DevIdp, path: &str) -> Value {
    client()
        .get(format!("{}{path}", idp.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn dev_stats_returns_counters() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    refresh(&idp, field(&tokens, "refresh_token"), None).await;

    let stats = get_json(&idp, "/_dev/stats").await;

    assert_eq!(stats["authorize_requests"], 1);
    assert_eq!(stats["token_requests"]["authorization_code"], 1);
    assert_eq!(stats["token_requests"]["refresh_token"], 1);
    assert_eq!(stats["delegation_requests"], 0);
    assert_eq!(stats["revocation_requests"], 0);
    assert_eq!(stats["userinfo_requests"], 0);
    assert_eq!(stats["active_refresh_tokens"], 1);
}

#[tokio::test]
async fn dev_config_changes_lifetimes_and_rotation() {
    let idp = start().await;
    let update = json!({
        "latency_ms": 250,
        "rotation": false,
        "access_token_lifetime": 5,
        "id_token_lifetime": 7,
        "refresh_token_lifetime": 60
    });

    let response = post_json(&idp, "/_dev/config", update).await;

    assert_eq!(response.status(), StatusCode::OK);
    let config = idp.config();
    assert_eq!(config.latency, Duration::from_millis(250));
    assert!(!config.rotation);
    assert_eq!(config.access_token_lifetime, Duration::from_secs(5));
    assert_eq!(config.id_token_lifetime, Duration::from_secs(7));
    assert_eq!(config.refresh_token_lifetime, Some(Duration::from_secs(60)));
}

#[tokio::test]
async fn dev_config_lifetime_shows_in_token_response() {
    let idp = start().await;
    post_json(&idp, "/_dev/config", json!({ "access_token_lifetime": 3 })).await;

    let tokens = login(&idp, FULL_SCOPE).await;

    assert_eq!(tokens["expires_in"], 3);
}

#[tokio::test]
async fn dev_config_null_refresh_lifetime_means_forever() {
    let idp = start().await;
    idp.set_refresh_token_lifetime(Some(Duration::from_secs(60)));

    post_json(
        &idp,
        "/_dev/config",
        json!({ "refresh_token_lifetime": null }),
    )
    .await;

    assert_eq!(idp.config().refresh_token_lifetime, None);
}

#[tokio::test]
async fn dev_config_rejects_unknown_field() {
    let idp = start().await;

    let response = post_json(&idp, "/_dev/config", json!({ "latency": 5 })).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(idp.config().latency, Duration::ZERO);
}

#[tokio::test]
async fn dev_config_latency_delays_token_endpoint() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    post_json(&idp, "/_dev/config", json!({ "latency_ms": 300 })).await;

    let started = Instant::now();
    refresh(&idp, field(&tokens, "refresh_token"), None).await;

    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn dev_fail_with_status_headers_and_body() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let fault = json!({
        "endpoint": "token",
        "status": 429,
        "headers": { "Retry-After": "3" },
        "body": { "error": "too_many_requests" },
        "count": 1
    });
    assert_eq!(
        post_json(&idp, "/_dev/fail", fault).await.status(),
        StatusCode::OK
    );

    let response = refresh(&idp, field(&tokens, "refresh_token"), None).await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(error_code(response).await, "too_many_requests");
}

#[tokio::test]
async fn dev_fail_drop_loses_response_after_rotation() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    post_json(
        &idp,
        "/_dev/fail",
        json!({ "endpoint": "/oauth/token", "drop": true }),
    )
    .await;

    let result = client()
        .post(format!("{}/oauth/token", idp.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", idp.client_id()),
            ("refresh_token", old),
        ])
        .send()
        .await;

    assert!(result.is_err());
    assert!(!idp.is_refresh_token_valid(old));
    assert_eq!(idp.valid_refresh_tokens().len(), 1);
}

#[tokio::test]
async fn dev_fail_rejects_status_together_with_drop() {
    let idp = start().await;
    let fault = json!({ "endpoint": "token", "status": 500, "drop": true });

    let response = post_json(&idp, "/_dev/fail", fault).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn dev_fail_rejects_unknown_endpoint() {
    let idp = start().await;
    let fault = json!({ "endpoint": "authorize", "status": 500 });

    let response = post_json(&idp, "/_dev/fail", fault).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn dev_fail_delete_clears_faults() {
    let idp = start().await;
    post_json(
        &idp,
        "/_dev/fail",
        json!({ "endpoint": "token", "status": 500 }),
    )
    .await;

    client()
        .delete(format!("{}/_dev/fail", idp.base_url()))
        .send()
        .await
        .unwrap();
    let tokens = login(&idp, FULL_SCOPE).await;

    assert!(tokens.get("access_token").is_some());
}

#[tokio::test]
async fn dev_revoke_all_invalidates_refresh_tokens() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let response = post_json(&idp, "/_dev/revoke-all", json!({})).await;

    let body: Value = response.json().await.unwrap();
    assert_eq!(body["revoked_grants"], 1);
    let refreshed = refresh(&idp, field(&tokens, "refresh_token"), None).await;
    assert_eq!(error_code(refreshed).await, "invalid_grant");
}

#[tokio::test]
async fn dev_introspect_reports_token_kind() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let refresh_token = json!({ "token": field(&tokens, "refresh_token") });
    let access_token = json!({ "token": field(&tokens, "access_token") });
    let unknown = json!({ "token": "never-issued" });
    let refresh_body: Value = post_json(&idp, "/_dev/introspect", refresh_token)
        .await
        .json()
        .await
        .unwrap();
    let access_body: Value = post_json(&idp, "/_dev/introspect", access_token)
        .await
        .json()
        .await
        .unwrap();
    let unknown_body: Value = post_json(&idp, "/_dev/introspect", unknown)
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(
        refresh_body,
        json!({ "active": true, "kind": "refresh_token" })
    );
    assert_eq!(
        access_body,
        json!({ "active": true, "kind": "access_token" })
    );
    assert_eq!(unknown_body, json!({ "active": false }));
}

#[tokio::test]
async fn dev_rotate_key_adds_key_to_jwks() {
    let idp = start().await;

    let body: Value = post_json(&idp, "/_dev/rotate-key", json!({}))
        .await
        .json()
        .await
        .unwrap();

    let jwks = get_json(&idp, "/.well-known/jwks.json").await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(jwks["keys"][0]["kid"], body["kid"]);
}
