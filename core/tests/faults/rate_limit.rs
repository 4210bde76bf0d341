//! HTTP 429 from the token endpoint while many callers wait. One request
//! reaches the provider, the wait it asks for (RFC 9110 §10.2.3, in seconds
//! or as an HTTP date) is honoured up to a cap, and the session is never
//! cleared.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use session_core::SessionError;
use wiremock::ResponseTemplate;

use crate::common::scenario::Scenario;
use crate::common::{expect_error, kind};

/// The longest wait the core lets a provider impose, in seconds.
const RETRY_AFTER_CAP: u64 = 300;

const CALLERS: usize = 10;

/// Makes `CALLERS` concurrent calls against a 429 answer carrying
/// `retry_after`, and returns their results with the scenario.
async fn rate_limited(retry_after: Option<String>) -> (Vec<SessionError>, Arc<Scenario>) {
    let scenario = Arc::new(Scenario::expired().await);
    let mut response = ResponseTemplate::new(429)
        .set_body_raw(b"Too Many Requests".to_vec(), "text/plain")
        // Slow enough that every caller arrives while the request is out.
        .set_delay(Duration::from_millis(300));
    if let Some(value) = retry_after {
        response = response.insert_header("Retry-After", value.as_str());
    }
    scenario.provider.on_token(response).await;

    let calls: Vec<_> = (0..CALLERS)
        .map(|_| {
            let scenario = scenario.clone();
            tokio::spawn(async move { scenario.credentials().await })
        })
        .collect();
    let mut errors = Vec::new();
    for call in calls {
        errors.push(expect_error(call.await.unwrap(), "a rate-limited caller"));
    }
    (errors, scenario)
}

/// Returns the wait that a 429 error carries.
fn retry_after_of(error: &SessionError) -> Option<u64> {
    match error {
        SessionError::Server {
            status: 429,
            retry_after_seconds,
            ..
        } => *retry_after_seconds,
        other => panic!("a rate-limited call was {}", kind(other)),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_seconds_sends_one_request_for_all_callers() {
    let (errors, scenario) = rate_limited(Some("30".to_string())).await;

    assert_eq!(scenario.provider.token_request_count().await, 1);
    for error in &errors {
        let wait = retry_after_of(error).expect("the wait was lost");
        assert!((1..=30).contains(&wait), "a wait of {wait} s");
    }
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_is_honoured_by_later_calls() {
    let (_, scenario) = rate_limited(Some("30".to_string())).await;

    let error = expect_error(scenario.credentials().await, "a call during the wait");

    let wait = retry_after_of(&error).expect("the wait was lost");
    assert!((1..=30).contains(&wait), "a wait of {wait} s");
    assert_eq!(
        scenario.provider.token_request_count().await,
        1,
        "a call during the wait reached the provider"
    );
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_ends_when_its_time_has_passed() {
    let (_, scenario) = rate_limited(Some("30".to_string())).await;
    scenario.clock.advance(31);

    let _ = scenario.credentials().await;

    assert_eq!(scenario.provider.token_request_count().await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_http_date_sends_one_request_for_all_callers() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    let (errors, scenario) = rate_limited(Some(date)).await;

    assert_eq!(scenario.provider.token_request_count().await, 1);
    for error in &errors {
        let wait = retry_after_of(error).expect("the wait was lost");
        assert!((1..=31).contains(&wait), "a wait of {wait} s");
    }
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_retry_after_is_retryable_and_keeps_session() {
    let (errors, scenario) = rate_limited(None).await;

    assert_eq!(scenario.provider.token_request_count().await, 1);
    for error in &errors {
        let wait = retry_after_of(error);
        assert!(wait.unwrap_or(0) <= RETRY_AFTER_CAP);
    }
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_retry_after_is_retryable_and_keeps_session() {
    let (errors, scenario) = rate_limited(Some("soon".to_string())).await;

    assert_eq!(scenario.provider.token_request_count().await, 1);
    for error in &errors {
        let wait = retry_after_of(error);
        assert!(wait.unwrap_or(0) <= RETRY_AFTER_CAP);
    }
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn long_retry_after_is_capped() {
    let (errors, scenario) = rate_limited(Some("86400".to_string())).await;

    for error in &errors {
        let wait = retry_after_of(error).expect("the wait was lost");
        assert!(wait <= RETRY_AFTER_CAP, "a wait of {wait} s");
        assert!(wait > 0, "the wait was dropped");
    }
    scenario.assert_kept();
}
