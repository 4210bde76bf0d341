mod common;

use common::{
    authorize_url, client, param, pkce, redirect_params, start, start_with, valid_authorize_params,
    FULL_SCOPE, REDIRECT_URI,
};
use dev_idp::Options;
use reqwest::StatusCode;

#[tokio::test]
async fn authorize_redirects_with_code_state_and_issuer() {
    let idp = start().await;
    let pkce = pkce();
    let url = authorize_url(&idp, &valid_authorize_params(&idp, &pkce, FULL_SCOPE));

    let response = client().get(url).send().await.unwrap();

    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?")),
        "{location}"
    );
    let params = redirect_params(&response);
    assert!(param(&params, "code").is_some_and(|code| code.len() >= 32));
    assert_eq!(param(&params, "state"), Some("state-123"));
    assert_eq!(param(&params, "iss"), Some(idp.issuer().as_str()));
    assert_eq!(param(&params, "error"), None);
}

#[tokio::test]
async fn authorize_issues_a_new_code_each_time() {
    let idp = start().await;
    let pkce = pkce();

    let first = common::authorize(&idp, &pkce, FULL_SCOPE, None).await;
    let second = common::authorize(&idp, &pkce, FULL_SCOPE, None).await;

    assert_ne!(first, second);
}

#[tokio::test]
async fn authorize_rejects_unknown_client_without_redirect() {
    let idp = start().await;
    let pkce = pkce();
    let mut params = valid_authorize_params(&idp, &pkce, FULL_SCOPE);
    params.retain(|(name, _)| *name != "client_id");
    params.push(("client_id", "someone-else"));

    let response = client()
        .get(authorize_url(&idp, &params))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
}

#[tokio::test]
async fn authorize_rejects_missing_redirect_uri_without_redirect() {
    let idp = start().await;
    let pkce = pkce();
    let mut params = valid_authorize_params(&idp, &pkce, FULL_SCOPE);
    params.retain(|(name, _)| *name != "redirect_uri");

    let response = client()
        .get(authorize_url(&idp, &params))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(common::error_code(response).await, "invalid_request");
}

#[tokio::test]
async fn authorize_rejects_unregistered_redirect_uri() {
    let options = Options {
        redirect_uris: vec!["com.example.other://callback".to_owned()],
        ..Options::default()
    };
    let idp = start_with(options).await;
    let pkce = pkce();
    let url = authorize_url(&idp, &valid_authorize_params(&idp, &pkce, FULL_SCOPE));

    let response = client().get(url).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

/// Sends a valid request without `removed` and with `added`, and returns
/// the error code and state of the redirect.
async fn redirect_error(removed: &str, added: Option<(&str, &str)>) -> (String, Option<String>) {
    let idp = start().await;
    let pkce = pkce();
    let mut params = valid_authorize_params(&idp, &pkce, FULL_SCOPE);
    params.retain(|(name, _)| *name != removed);
    params.extend(added);

    let response = client()
        .get(authorize_url(&idp, &params))
        .send()
        .await
        .unwrap();

    let params = redirect_params(&response);
    assert_eq!(param(&params, "code"), None);
    assert!(param(&params, "error_description").is_some());
    (
        param(&params, "error").unwrap().to_owned(),
        param(&params, "state").map(str::to_owned),
    )
}

#[tokio::test]
async fn authorize_without_code_challenge_redirects_invalid_request() {
    let (error, state) = redirect_error("code_challenge", None).await;

    assert_eq!(error, "invalid_request");
    assert_eq!(state.as_deref(), Some("state-123"));
}

#[tokio::test]
async fn authorize_with_plain_challenge_method_redirects_invalid_request() {
    let (error, _) = redirect_error(
        "code_challenge_method",
        Some(("code_challenge_method", "plain")),
    )
    .await;

    assert_eq!(error, "invalid_request");
}

#[tokio::test]
async fn authorize_without_state_redirects_invalid_request() {
    let (error, state) = redirect_error("state", None).await;

    assert_eq!(error, "invalid_request");
    assert_eq!(state, None);
}

#[tokio::test]
async fn authorize_with_token_response_type_redirects_unsupported() {
    let (error, _) = redirect_error("response_type", Some(("response_type", "token"))).await;

    assert_eq!(error, "unsupported_response_type");
}
