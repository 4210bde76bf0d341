mod common;

use common::{error_code, field, login, refresh, start, start_with, verify_id_token, FULL_SCOPE};
use dev_idp::Options;
use reqwest::StatusCode;
use serde_json::Value;

fn without_rotation() -> Options {
    Options {
        rotation: false,
        ..Options::default()
    }
}

#[tokio::test]
async fn refresh_with_rotation_returns_new_refresh_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");

    let response = refresh(&idp, old, None).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let new = field(&body, "refresh_token");
    assert_ne!(new, old);
    assert_ne!(field(&body, "access_token"), field(&tokens, "access_token"));
    assert_eq!(idp.valid_refresh_tokens(), vec![new.to_owned()]);
}

#[tokio::test]
async fn refresh_with_rotation_rejects_old_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    refresh(&idp, old, None).await;

    let reuse = refresh(&idp, old, None).await;

    assert_eq!(reuse.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(reuse).await, "invalid_grant");
}

#[tokio::test]
async fn refresh_reuse_keeps_new_token_without_reuse_detection() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    let body: Value = refresh(&idp, old, None).await.json().await.unwrap();

    refresh(&idp, old, None).await;

    assert!(idp.is_refresh_token_valid(field(&body, "refresh_token")));
}

#[tokio::test]
async fn refresh_reuse_revokes_grant_with_reuse_detection() {
    let idp = start_with(Options {
        reuse_detection: true,
        ..Options::default()
    })
    .await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let old = field(&tokens, "refresh_token");
    let body: Value = refresh(&idp, old, None).await.json().await.unwrap();

    refresh(&idp, old, None).await;

    assert!(!idp.is_refresh_token_valid(field(&body, "refresh_token")));
    assert!(!idp.is_access_token_valid(field(&body, "access_token")));
}

#[tokio::test]
async fn refresh_without_rotation_omits_refresh_token() {
    let idp = start_with(without_rotation()).await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = refresh(&idp, field(&tokens, "refresh_token"), None)
        .await
        .json()
        .await
        .unwrap();

    assert!(body.get("refresh_token").is_none(), "{body}");
    assert!(body.get("access_token").is_some());
}

#[tokio::test]
async fn refresh_without_rotation_keeps_token_working() {
    let idp = start_with(without_rotation()).await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let token = field(&tokens, "refresh_token");

    for attempt in 0..3 {
        let response = refresh(&idp, token, None).await;
        assert_eq!(response.status(), StatusCode::OK, "attempt {attempt}");
    }
}

#[tokio::test]
async fn refresh_id_token_keeps_sub_without_nonce() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = refresh(&idp, field(&tokens, "refresh_token"), None)
        .await
        .json()
        .await
        .unwrap();

    let claims = verify_id_token(&idp, field(&body, "id_token")).await;
    assert_eq!(claims["sub"], idp.user().sub.as_str());
    assert!(claims.get("nonce").is_none());
}

#[tokio::test]
async fn refresh_with_narrower_scope_returns_that_scope() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = refresh(&idp, field(&tokens, "refresh_token"), Some("openid email"))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(field(&body, "scope"), "openid email");
}

#[tokio::test]
async fn refresh_without_openid_scope_has_no_id_token() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;

    let body: Value = refresh(&idp, field(&tokens, "refresh_token"), Some("profile"))
        .await
        .json()
        .await
        .unwrap();

    assert!(body.get("id_token").is_none(), "{body}");
}

#[tokio::test]
async fn refresh_rejects_scope_beyond_grant() {
    let idp = start().await;
    let tokens = login(&idp, "openid offline_access").await;

    let response = refresh(&idp, field(&tokens, "refresh_token"), Some("openid email")).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_scope");
}

#[tokio::test]
async fn refresh_rejects_unknown_token() {
    let idp = start().await;

    let response = refresh(&idp, "not-a-token-this-server-issued", None).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn refresh_rejects_wrong_client_with_401() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "someone-else"),
        ("refresh_token", field(&tokens, "refresh_token")),
    ];

    let response = common::post_form(&idp, "/oauth/token", &form).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_client");
}
