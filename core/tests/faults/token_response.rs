//! Token responses that real providers send but that do not follow the
//! letter of RFC 6749 §5.1: expiry as a string, token types in any case,
//! extra fields, and error objects behind a 200 status.

use serde_json::json;
use session_core::{SessionError, SessionState, SignedOutReason};

use crate::common::mock::{json_response, raw_json_response};
use crate::common::scenario::Scenario;
use crate::common::{expect_error, expect_ok, kind, secrets};

#[tokio::test(flavor = "multi_thread")]
async fn expires_in_as_string_counts_from_receipt() {
    let scenario = Scenario::expired().await;
    let access_token = secrets::token("at");
    let refresh_token = secrets::token("rt");
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": "86399",
            "refresh_token": refresh_token,
        })))
        .await;

    let before = scenario.clock.now();
    let renewed = expect_ok(scenario.credentials().await, "renewal");
    let after = scenario.clock.now();

    assert_eq!(renewed.access_token(), access_token);
    assert!(renewed.expires_at() >= before + 86_399, "expiry too early");
    assert!(renewed.expires_at() <= after + 86_399, "expiry too late");
}

#[tokio::test(flavor = "multi_thread")]
async fn expires_in_as_number_counts_from_receipt() {
    let scenario = Scenario::expired().await;
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 86399,
        })))
        .await;

    let before = scenario.clock.now();
    let renewed = expect_ok(scenario.credentials().await, "renewal");
    let after = scenario.clock.now();

    assert!(renewed.expires_at() >= before + 86_399, "expiry too early");
    assert!(renewed.expires_at() <= after + 86_399, "expiry too late");
}

/// An expiry that cannot be read must never make a token valid forever:
/// with a refresh token, the next call renews again.
#[tokio::test(flavor = "multi_thread")]
async fn unreadable_expires_in_is_due_at_once() {
    for expires_in in [
        json!("soon"),
        json!(null),
        json!(-5),
        json!({"seconds": 60}),
    ] {
        let scenario = Scenario::expired().await;
        scenario
            .provider
            .on_token(json_response(json!({
                "access_token": secrets::token("at"),
                "token_type": "Bearer",
                "expires_in": expires_in,
            })))
            .await;

        let first = scenario.credentials().await;
        if let Ok(renewed) = &first {
            assert!(
                renewed.expires_at() <= scenario.clock.now(),
                "expires_in {expires_in} made the token outlive its receipt"
            );
            let _ = scenario.credentials().await;
            assert_eq!(
                scenario.provider.token_request_count().await,
                2,
                "expires_in {expires_in}: the second call did not renew"
            );
        }
        // Rejecting the response outright is also safe, as long as the
        // stored session stays.
        if first.is_err() {
            scenario.assert_kept();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_expires_in_is_due_at_once() {
    let scenario = Scenario::expired().await;
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": secrets::token("at"),
            "token_type": "Bearer",
        })))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");
    assert!(renewed.expires_at() <= scenario.clock.now());
    let _ = scenario.credentials().await;
    assert_eq!(scenario.provider.token_request_count().await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_type_in_any_case_is_accepted() {
    for token_type in ["bearer", "BEARER", "Bearer", "bEaReR"] {
        let scenario = Scenario::expired().await;
        let access_token = secrets::token("at");
        scenario
            .provider
            .on_token(json_response(json!({
                "access_token": access_token,
                "token_type": token_type,
                "expires_in": 3600,
            })))
            .await;

        let renewed = expect_ok(scenario.credentials().await, token_type);
        assert_eq!(renewed.access_token(), access_token, "{token_type}");
        assert!(
            renewed.token_type().eq_ignore_ascii_case("bearer"),
            "{token_type} came back as another type"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_token_type_means_bearer() {
    let scenario = Scenario::expired().await;
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": secrets::token("at"),
            "expires_in": 3600,
        })))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");
    assert_eq!(renewed.token_type(), "Bearer");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_response_fields_are_ignored() {
    let scenario = Scenario::expired().await;
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "ext_expires_in": 7200,
            "expires_on": "1735689600",
            "session_state": "0c4b7d1e-6b4d-4a7b-9a4b-1f2e3d4c5b6a",
            "not_before": 1735686000,
            "resource": "https://api.example.com",
            "nested": {"deep": [1, 2, {"x": null}]},
        })))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");
    assert_eq!(renewed.access_token(), access_token);
    assert!(renewed.expires_at() >= scenario.clock.now() + 3_590);
}

/// Runs one renewal that the provider rejects with `status` and `body`, and
/// returns the error with the scenario.
async fn renewal_error(status: u16, body: &str) -> (SessionError, Scenario) {
    let scenario = Scenario::expired().await;
    scenario
        .provider
        .on_token(raw_json_response(status, body))
        .await;
    let error = expect_error(scenario.credentials().await, body);
    (error, scenario)
}

#[tokio::test(flavor = "multi_thread")]
async fn status_200_invalid_grant_ends_session() {
    let body =
        r#"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#;
    let (as_200, scenario_200) = renewal_error(200, body).await;
    let (as_400, scenario_400) = renewal_error(400, body).await;

    assert!(
        matches!(as_200, SessionError::LoginRequired { .. }),
        "a 200 invalid_grant was {}",
        kind(&as_200)
    );
    assert_eq!(as_200.to_string(), as_400.to_string());
    for scenario in [&scenario_200, &scenario_400] {
        assert_eq!(
            scenario.manager.state(),
            SessionState::SignedOut {
                reason: SignedOutReason::RefreshTokenRejected
            }
        );
        assert!(
            scenario.storage.raw().is_none(),
            "the session stayed stored"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_200_error_classified_as_400() {
    let bodies = [
        r#"{"error":"invalid_scope","error_description":"The scope is not allowed."}"#,
        r#"{"error":"invalid_client"}"#,
        r#"{"error":"temporarily_unavailable"}"#,
        r#"{"error":"access_denied","error_description":null}"#,
    ];
    for body in bodies {
        let (as_200, scenario_200) = renewal_error(200, body).await;
        let (as_400, _) = renewal_error(400, body).await;
        assert_eq!(kind(&as_200), kind(&as_400), "{body}");
        assert_eq!(as_200.to_string(), as_400.to_string(), "{body}");
        if let (
            SessionError::Rejected {
                status: status_200, ..
            },
            SessionError::Rejected {
                status: status_400, ..
            },
        ) = (&as_200, &as_400)
        {
            assert_eq!(*status_200, 400, "{body}");
            assert_eq!(*status_400, 400, "{body}");
        }
        scenario_200.assert_kept();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn response_without_access_token_is_never_stored() {
    let bodies = [
        r#"{"token_type":"Bearer"}"#,
        r#"{"token_type":"Bearer","expires_in":3600,"refresh_token":null}"#,
        r#"{"access_token":null,"token_type":"Bearer"}"#,
        r#"{"access_token":42,"token_type":"Bearer"}"#,
        r#"{"access_token":"","token_type":"Bearer","expires_in":3600}"#,
        r#"{}"#,
        r#"[]"#,
        r#""access_token""#,
        r#"{"access_token":"#,
        "",
    ];
    for body in bodies {
        let scenario = Scenario::expired().await;
        let before = scenario.storage.raw();
        scenario
            .provider
            .on_token(raw_json_response(200, body))
            .await;

        let error = expect_error(scenario.credentials().await, body);

        assert!(
            matches!(error, SessionError::InvalidResponse { .. }),
            "{body:?} was {}",
            kind(&error)
        );
        assert_eq!(scenario.storage.raw(), before, "{body:?} changed storage");
        scenario.assert_kept();
    }
}
