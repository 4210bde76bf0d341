mod common;

use common::{error_code, field, login, post_form, refresh, start, userinfo, FULL_SCOPE};
use reqwest::StatusCode;

#[tokio::test]
async fn revoke_answers_200_with_empty_body() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let form = [
        ("client_id", idp.client_id()),
        ("token", field(&tokens, "refresh_token")),
    ];

    let response = post_form(&idp, "/oauth/revoke", &form).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn revoked_refresh_token_gets_invalid_grant() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    let form = [("client_id", idp.client_id()), ("token", refresh_token)];
    post_form(&idp, "/oauth/revoke", &form).await;

    let response = refresh(&idp, refresh_token, None).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_grant");
}

#[tokio::test]
async fn revoked_refresh_token_takes_access_tokens_along() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let form = [
        ("client_id", idp.client_id()),
        ("token", field(&tokens, "refresh_token")),
    ];
    post_form(&idp, "/oauth/revoke", &form).await;

    let response = userinfo(&idp, field(&tokens, "access_token")).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoke_accepts_json_body() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    let body = serde_json::json!({ "client_id": idp.client_id(), "token": refresh_token });

    let response = common::client()
        .post(format!("{}/oauth/revoke", idp.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert!(!idp.is_refresh_token_valid(refresh_token));
}

#[tokio::test]
async fn revoke_of_unknown_token_answers_200() {
    let idp = start().await;
    let form = [("client_id", idp.client_id()), ("token", "never-issued")];

    let response = post_form(&idp, "/oauth/revoke", &form).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoke_rejects_wrong_client_with_401() {
    let idp = start().await;
    let tokens = login(&idp, FULL_SCOPE).await;
    let refresh_token = field(&tokens, "refresh_token");
    let form = [("client_id", "someone-else"), ("token", refresh_token)];

    let response = post_form(&idp, "/oauth/revoke", &form).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "invalid_client");
    assert!(idp.is_refresh_token_valid(refresh_token));
}

#[tokio::test]
async fn revoke_all_invalidates_every_session() {
    let idp = start().await;
    let first = login(&idp, FULL_SCOPE).await;
    let second = login(&idp, FULL_SCOPE).await;

    let revoked = idp.revoke_all();

    assert_eq!(revoked, 2);
    assert!(idp.valid_refresh_tokens().is_empty());
    for tokens in [&first, &second] {
        let response = refresh(&idp, field(tokens, "refresh_token"), None).await;
        assert_eq!(error_code(response).await, "invalid_grant");
        let response = userinfo(&idp, field(tokens, "access_token")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}
