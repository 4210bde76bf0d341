//! Revocation at logout (RFC 7009) when the endpoint misbehaves. The local
//! logout always completes at once; the revocation's outcome is reported on
//! its own, and any 2xx counts as revoked whatever the body.

use std::time::{Duration, Instant};

use session_core::{RevocationOutcome, SessionState, SignedOutReason};
use wiremock::ResponseTemplate;

use crate::common::mock::{config_for, raw_json_response};
use crate::common::scenario::Scenario;
use crate::common::{assert_no_secrets, expect_ok};

/// The maximum duration of a logout whose revocation request never gets a
/// response: the core's five-second revocation limit, plus scheduling slack.
const SLOWEST_LOGOUT: Duration = Duration::from_secs(7);

#[track_caller]
fn assert_logged_out(scenario: &Scenario) {
    assert!(scenario.storage.raw().is_none(), "the record stayed stored");
    assert_eq!(
        scenario.manager.state(),
        SessionState::SignedOut {
            reason: SignedOutReason::LoggedOut
        }
    );
}

/// Logs out with revocation against `response` and returns the outcome.
async fn logout_against(response: ResponseTemplate) -> (RevocationOutcome, Scenario) {
    let scenario = Scenario::start(3600, false).await;
    scenario.provider.on("/oauth/revoke", response).await;
    let outcome = expect_ok(scenario.manager.logout(true).await, "logout");
    assert_logged_out(&scenario);
    let requests = scenario.provider.requests_to("/oauth/revoke").await;
    assert_eq!(requests.len(), 1, "one revocation request");
    assert_eq!(requests[0].get("token"), Some(&scenario.refresh_token));
    (outcome, scenario)
}

#[track_caller]
fn assert_failed(outcome: &RevocationOutcome, scenario: &Scenario, what: &str) {
    let RevocationOutcome::Failed { message } = outcome else {
        panic!("{what}: the revocation outcome was {outcome:?}");
    };
    assert_no_secrets(
        message,
        &[&scenario.refresh_token, &scenario.access_token],
        what,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_revocation_still_logs_out() {
    let scenario = Scenario::start(3600, false).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let scenario = scenario.reconfigured(config_for(&closed, 5_000));

    let outcome = expect_ok(scenario.manager.logout(true).await, "logout");

    assert_logged_out(&scenario);
    assert_failed(&outcome, &scenario, "an unreachable endpoint");
}

#[tokio::test(flavor = "multi_thread")]
async fn hanging_revocation_still_logs_out_quickly() {
    let scenario = std::sync::Arc::new(Scenario::start(3600, false).await);
    scenario
        .provider
        .on(
            "/oauth/revoke",
            ResponseTemplate::new(200).set_delay(Duration::from_secs(30)),
        )
        .await;

    let started = Instant::now();
    let logout = {
        let scenario = scenario.clone();
        tokio::spawn(async move { scenario.manager.logout(true).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!logout.is_finished(), "the revocation did not wait");
    assert_logged_out(&scenario);

    let outcome = expect_ok(logout.await.unwrap(), "logout");
    assert!(
        started.elapsed() < SLOWEST_LOGOUT,
        "logout took {:?}",
        started.elapsed()
    );
    assert_failed(&outcome, &scenario, "a hanging endpoint");
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_503_is_reported_failed() {
    let (outcome, scenario) = logout_against(ResponseTemplate::new(503)).await;
    assert_failed(&outcome, &scenario, "503");
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_unsupported_token_type_is_reported_failed() {
    let body = r#"{"error":"unsupported_token_type","error_description":"Refresh tokens cannot be revoked here."}"#;
    let (outcome, scenario) = logout_against(raw_json_response(400, body)).await;
    assert_failed(&outcome, &scenario, "400 unsupported_token_type");
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_error_echoing_token_hides_it() {
    let scenario = Scenario::start(3600, false).await;
    let body = serde_json::json!({
        "error": "invalid_request",
        "error_description": format!("token {} is malformed", scenario.refresh_token),
    });
    scenario
        .provider
        .on("/oauth/revoke", raw_json_response(400, &body.to_string()))
        .await;

    let outcome = expect_ok(scenario.manager.logout(true).await, "logout");

    assert_failed(&outcome, &scenario, "an echoed token");
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_200_with_empty_body_is_revoked() {
    let (outcome, _) = logout_against(ResponseTemplate::new(200)).await;
    assert_eq!(outcome, RevocationOutcome::Revoked);
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_204_is_revoked() {
    let (outcome, _) = logout_against(ResponseTemplate::new(204)).await;
    assert_eq!(outcome, RevocationOutcome::Revoked);
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_200_with_any_body_is_revoked() {
    let bodies = [
        ("text/html", "<html><body>OK</body></html>"),
        ("application/json", "{}"),
        ("application/json", r#"{"error":"invalid_token"}"#),
        ("application/json", "not json"),
    ];
    for (content_type, body) in bodies {
        let response =
            ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), content_type);
        let (outcome, _) = logout_against(response).await;
        assert_eq!(outcome, RevocationOutcome::Revoked, "{content_type} {body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_without_revocation_sends_nothing() {
    let scenario = Scenario::start(3600, false).await;

    let outcome = expect_ok(scenario.manager.logout(false).await, "logout");

    assert_eq!(outcome, RevocationOutcome::NotRequested);
    assert_logged_out(&scenario);
    assert!(scenario
        .provider
        .requests_to("/oauth/revoke")
        .await
        .is_empty());
}
