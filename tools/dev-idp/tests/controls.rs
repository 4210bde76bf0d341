//! The in-process controls: counters, run-time settings and key rotation.

mod common;

use std::time::{Duration, Instant};

use common::{
    error_code, field, login, post_form, refresh, start, userinfo, verify_id_token, FULL_SCOPE,
};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn stats_count_requests_per_endpoint() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    let body: Value = refresh(&idp, refresh_token, None)
        .await
        .json()
        .await
        .unwrap();
    refresh(&idp, refresh_token, None).await;
    userinfo(&idp, field(&body, "access_token")).await;
    let delegation = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("client_id", idp.client_id()),
        ("id_token", field(&body, "id_token")),
    ];
    post_form(&idp, "/delegation", &delegation).await;
    let revocation = [("client_id", idp.client_id()), ("token", "never-issued")];
    post_form(&idp, "/oauth/revoke", &revocation).await;

    let stats = idp.stats();

    assert_eq!(stats.authorize_requests, 1);
    assert_eq!(stats.token_requests_for("authorization_code"), 1);
    assert_eq!(stats.token_requests_for("refresh_token"), 2);
    assert_eq!(stats.total_token_requests(), 3);
    assert_eq!(stats.delegation_requests, 1);
    assert_eq!(stats.revocation_requests, 1);
    assert_eq!(stats.userinfo_requests, 1);
    assert_eq!(stats.active_refresh_tokens, 1);
}

#[tokio::test]
async fn reset_stats_sets_counters_to_zero() {
    let idp = start().await;
    login(&idp, FULL_SCOPE).await;

    idp.reset_stats();

    let stats = idp.stats();
    assert_eq!(stats.authorize_requests, 0);
    assert_eq!(stats.total_token_requests(), 0);
    assert_eq!(stats.active_refresh_tokens, 1);
}

#[tokio::test]
async fn latency_delays_token_endpoint() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    idp.set_latency(Duration::from_millis(400));

    let started = Instant::now();
    let response = refresh(&idp, field(&tokens, "refresh_token"), None).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn latency_delays_delegation_endpoint() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    idp.set_latency(Duration::from_millis(400));
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("client_id", idp.client_id()),
        ("refresh_token", field(&tokens, "refresh_token")),
    ];

    let started = Instant::now();
    let response = post_form(&idp, "/delegation", &form).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn rotation_switched_off_at_run_time() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    idp.set_rotation(false);
    let body: Value = refresh(&idp, field(&tokens, "refresh_token"), None)
        .await
        .json()
        .await
        .unwrap();

    assert!(body.get("refresh_token").is_none());
    assert!(!idp.config().rotation);
}

#[tokio::test]
async fn refresh_token_expires_after_its_lifetime() {
    let idp = start().await;
    idp.set_refresh_token_lifetime(Some(Duration::from_millis(500)));
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    assert!(idp.is_refresh_token_valid(refresh_token));

    tokio::time::sleep(Duration::from_millis(700)).await;

    let response = refresh(&idp, refresh_token, None).await;
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn rotated_signing_key_signs_new_id_tokens() {
    let idp = start().await;
    let old_kid = field(&idp.jwks()["keys"][0], "kid").to_owned();

    let new_kid = idp.rotate_signing_key().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    assert_ne!(new_kid, old_kid);
    let id_token = field(&tokens, "id_token");
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.kid.as_deref(), Some(new_kid.as_str()));
    verify_id_token(&idp, id_token).await;
}

#[tokio::test]
async fn rotated_signing_key_keeps_old_key_in_jwks() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    idp.rotate_signing_key().await;

    assert_eq!(idp.jwks()["keys"].as_array().unwrap().len(), 2);
    verify_id_token(&idp, field(&tokens, "id_token")).await;
}
