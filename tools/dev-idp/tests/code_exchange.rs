mod common;

use common::{
    authorize, error_code, exchange_code, field, pkce, post_form, start, verify_id_token,
    FULL_SCOPE, REDIRECT_URI,
};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn code_exchange_returns_bearer_tokens() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;

    let response = exchange_code(&idp, &code, &pkce.verifier).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert!(field(&body, "access_token").len() >= 32);
    assert_eq!(field(&body, "token_type"), "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(field(&body, "scope"), FULL_SCOPE);
    assert!(field(&body, "refresh_token").len() >= 32);
    assert!(field(&body, "id_token").split('.').count() == 3);
}

#[tokio::test]
async fn code_exchange_id_token_verifies_and_carries_nonce() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, Some("nonce-42")).await;
    let body: Value = exchange_code(&idp, &code, &pkce.verifier)
        .await
        .json()
        .await
        .unwrap();

    let claims = verify_id_token(&idp, field(&body, "id_token")).await;

    assert_eq!(claims["nonce"], "nonce-42");
    assert_eq!(claims["iss"], idp.issuer().as_str());
    assert_eq!(claims["aud"], idp.client_id());
    assert_eq!(claims["azp"], idp.client_id());
    assert_eq!(claims["sub"], idp.user().sub.as_str());
    let issued_at = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["exp"].as_u64().unwrap(), issued_at + 36_000);
}

#[tokio::test]
async fn code_exchange_id_token_has_profile_claims() {
    let idp = start().await;
    let body = common::login(&idp, FULL_SCOPE).await;

    let claims = verify_id_token(&idp, field(&body, "id_token")).await;

    let user = idp.user();
    assert_eq!(claims["name"], user.name.as_str());
    assert_eq!(claims["given_name"], user.given_name.as_str());
    assert_eq!(claims["family_name"], user.family_name.as_str());
    assert_eq!(claims["nickname"], user.nickname.as_str());
    assert_eq!(claims["email"], user.email.as_str());
    assert_eq!(claims["email_verified"], user.email_verified);
    assert_eq!(claims["picture"], user.picture.as_str());
    assert_eq!(claims["updated_at"], user.updated_at);
}

#[tokio::test]
async fn code_without_offline_access_omits_refresh() {
    let idp = start().await;

    let body = common::login(&idp, "openid profile").await;

    assert!(body.get("refresh_token").is_none(), "{body}");
    assert!(body.get("id_token").is_some());
}

#[tokio::test]
async fn code_exchange_without_openid_has_no_id_token() {
    let idp = start().await;

    let body = common::login(&idp, "offline_access").await;

    assert!(body.get("id_token").is_none(), "{body}");
    assert!(body.get("refresh_token").is_some());
}

#[tokio::test]
async fn code_exchange_rejects_wrong_verifier() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let other = common::pkce();

    let response = exchange_code(&idp, &code, &other.verifier).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn code_exchange_rejects_reused_code() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let first = exchange_code(&idp, &code, &pkce.verifier).await;
    assert_eq!(first.status(), StatusCode::OK);

    let second = exchange_code(&idp, &code, &pkce.verifier).await;

    assert_eq!(second.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(second).await, "invalid_grant");
}

#[tokio::test]
async fn code_reuse_revokes_tokens_of_first_exchange() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let first: Value = exchange_code(&idp, &code, &pkce.verifier)
        .await
        .json()
        .await
        .unwrap();

    exchange_code(&idp, &code, &pkce.verifier).await;

    assert!(!idp.is_refresh_token_valid(field(&first, "refresh_token")));
    assert!(!idp.is_access_token_valid(field(&first, "access_token")));
}

#[tokio::test]
async fn code_exchange_rejects_different_redirect_uri() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", idp.client_id()),
        ("code", &code),
        ("code_verifier", &pkce.verifier),
        ("redirect_uri", "com.example.app://elsewhere"),
    ];

    let response = post_form(&idp, "/oauth/token", &form).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn code_exchange_rejects_wrong_client_with_401() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", "someone-else"),
        ("code", &code),
        ("code_verifier", &pkce.verifier),
        ("redirect_uri", REDIRECT_URI),
    ];

    let response = post_form(&idp, "/oauth/token", &form).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_client");
}

#[tokio::test]
async fn code_exchange_accepts_json_body() {
    let idp = start().await;
    let pkce = pkce();
    let code = authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let body = serde_json::json!({
        "grant_type": "authorization_code",
        "client_id": idp.client_id(),
        "code": code,
        "code_verifier": pkce.verifier,
        "redirect_uri": REDIRECT_URI,
    });

    let response = common::client()
        .post(format!("{}/oauth/token", idp.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn token_rejects_unknown_grant_type() {
    let idp = start().await;
    let form = [("grant_type", "password"), ("client_id", idp.client_id())];

    let response = post_form(&idp, "/oauth/token", &form).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "unsupported_grant_type");
}
