mod common;

use std::time::Duration;

use common::{client, field, login, start, userinfo, FULL_SCOPE};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn userinfo_returns_profile_claims() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let response = userinfo(&idp, field(&tokens, "access_token")).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let user = idp.user();
    assert_eq!(field(&body, "sub"), user.sub);
    assert_eq!(field(&body, "name"), user.name);
    assert_eq!(field(&body, "email"), user.email);
    assert_eq!(body["email_verified"], user.email_verified);
    assert_eq!(body["updated_at"], user.updated_at);
}

#[tokio::test]
async fn userinfo_releases_only_claims_of_scope() {
    let idp = start().await;
    let tokens = login(&idp, "openid email").await;

    let body: Value = userinfo(&idp, field(&tokens, "access_token"))
        .await
        .json()
        .await
        .unwrap();

    assert!(body.get("email").is_some());
    assert!(body.get("name").is_none(), "{body}");
}

#[tokio::test]
async fn userinfo_without_authorization_gets_401() {
    let idp = start().await;

    let response = client()
        .get(format!("{}/userinfo", idp.base_url()))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
}

#[tokio::test]
async fn userinfo_with_unknown_token_gets_401() {
    let idp = start().await;

    let response = userinfo(&idp, "never-issued").await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn userinfo_with_expired_token_gets_401() {
    let idp = start().await;
    idp.set_access_token_lifetime(Duration::from_millis(500));
    let tokens = login(&idp, FULL_SCOPE).await;
    let access_token = field(&tokens, "access_token");
    assert_eq!(userinfo(&idp, access_token).await.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(700)).await;

    assert_eq!(
        userinfo(&idp, access_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn access_token_expires_in_follows_lifetime() {
    let idp = start().await;
    idp.set_access_token_lifetime(Duration::from_secs(5));

    let tokens = login(&idp, FULL_SCOPE).await;

    assert_eq!(tokens["expires_in"], 5);
}
