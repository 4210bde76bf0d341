mod common;

use std::time::Duration;

use common::{error_code, field, login, post_form, start, verify_id_token, FULL_SCOPE};
use dev_idp::DevIdp;
use reqwest::{Response, StatusCode};
use serde_json::Value;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

async fn delegate(idp: &DevIdp, credential: (&str, &str)) -> Response {
    let form = [
        ("grant_type", JWT_BEARER),
        ("client_id", idp.client_id()),
        credential,
        ("scope", "openid"),
        ("api_type", "app"),
    ];
    post_form(idp, "/delegation", &form).await
}

#[tokio::test]
async fn delegation_with_id_token_returns_new_id_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let response = delegate(&idp, ("id_token", field(&tokens, "id_token"))).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(field(&body, "token_type"), "Bearer");
    assert_eq!(body["expires_in"], 36_000);
    let claims = verify_id_token(&idp, field(&body, "id_token")).await;
    assert_eq!(claims["sub"], idp.user().sub.as_str());
    assert!(claims.get("nonce").is_none());
}

#[tokio::test]
async fn delegation_keeps_profile_claims_of_original_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = delegate(&idp, ("id_token", field(&tokens, "id_token")))
        .await
        .json()
        .await
        .unwrap();

    let claims = verify_id_token(&idp, field(&body, "id_token")).await;
    assert_eq!(claims["name"], idp.user().name.as_str());
    assert_eq!(claims["email"], idp.user().email.as_str());
}

#[tokio::test]
async fn delegation_with_refresh_token_does_not_rotate_it() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");

    let response = delegate(&idp, ("refresh_token", refresh_token)).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    verify_id_token(&idp, field(&body, "id_token")).await;
    assert!(body.get("refresh_token").is_none());
    assert!(idp.is_refresh_token_valid(refresh_token));
}

#[tokio::test]
async fn delegation_rejects_unknown_refresh_token() {
    let idp = start().await;

    let response = delegate(&idp, ("refresh_token", "never-issued")).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn delegation_rejects_expired_id_token() {
    let idp = start().await;
    idp.set_id_token_lifetime(Duration::from_secs(1));
    let tokens = login(&idp, FULL_SCOPE).await;
    // `exp` has whole seconds, so the token is expired after at most 2 s.
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let response = delegate(&idp, ("id_token", field(&tokens, "id_token"))).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_token");
}

#[tokio::test]
async fn delegation_rejects_id_token_of_another_server() {
    let idp = start().await;
    let other = start().await;
    let tokens = login(&other, FULL_SCOPE).await;

    let response = delegate(&idp, ("id_token", field(&tokens, "id_token"))).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_token");
}

#[tokio::test]
async fn delegation_rejects_tampered_id_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let id_token = field(&tokens, "id_token");
    let mut parts: Vec<&str> = id_token.split('.').collect();
    let forged_claims = base64_claims(&idp, "someone-else");
    parts[1] = &forged_claims;

    let response = delegate(&idp, ("id_token", &parts.join("."))).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(field(&body, "error"), "invalid_token");
    assert_eq!(
        field(&body, "error_description"),
        "the id_token signature is invalid"
    );
}

fn base64_claims(idp: &DevIdp, sub: &str) -> String {
    use base64::Engine;
    let claims = serde_json::json!({
        "iss": idp.issuer(),
        "aud": idp.client_id(),
        "sub": sub,
        "exp": 4_000_000_000u64,
    });
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
}

#[tokio::test]
async fn delegation_rejects_wrong_client_with_401() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let form = [
        ("grant_type", JWT_BEARER),
        ("client_id", "someone-else"),
        ("id_token", field(&tokens, "id_token")),
    ];

    let response = post_form(&idp, "/delegation", &form).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_client");
}

#[tokio::test]
async fn delegation_accepts_json_body() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let body = serde_json::json!({
        "grant_type": JWT_BEARER,
        "client_id": idp.client_id(),
        "refresh_token": field(&tokens, "refresh_token"),
        "scope": "openid",
        "api_type": "app",
    });

    let response = common::client()
        .post(format!("{}/delegation", idp.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn delegation_expires_in_follows_id_token_lifetime() {
    let idp = start().await;
    idp.set_id_token_lifetime(Duration::from_secs(90));
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = delegate(&idp, ("refresh_token", field(&tokens, "refresh_token")))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(body["expires_in"], 90);
    let claims = verify_id_token(&idp, field(&body, "id_token")).await;
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert_eq!(lifetime, 90);
}
