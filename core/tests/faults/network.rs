//! No usable answer from the provider: connection refused, a timeout, a
//! gateway's HTML page whatever its content type. These are retryable
//! failures: the session stays, a still-valid access token keeps being
//! served, and no page content or token reaches the error.

use std::time::Duration;

use session_core::SessionError;
use wiremock::ResponseTemplate;

use crate::common::mock::config_for;
use crate::common::scenario::Scenario;
use crate::common::{assert_error_hides, expect_error, expect_ok, kind};

/// Text that only the gateway page contains, to spot it in messages.
const PAGE_MARKER: &str = "upstream-gateway-marker-7f3a";

fn gateway_page(refresh_token: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>\
         <h1>{PAGE_MARKER}</h1><p>request body: refresh_token={refresh_token}</p>\
         </body></html>"
    )
}

/// A loopback address where nothing listens.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// A scenario whose manager talks to a port where nothing listens.
async fn refused(expires_in: u64) -> Scenario {
    let scenario = Scenario::start(expires_in, false).await;
    let config = config_for(&closed_port_url().await, 2_000);
    scenario.reconfigured(config)
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_is_network_error_and_keeps_session() {
    let scenario = refused(0).await;

    let error = expect_error(scenario.credentials().await, "renewal");

    assert!(
        matches!(error, SessionError::Network { .. }),
        "connection refused was {}",
        kind(&error)
    );
    assert_error_hides(&error, &[&scenario.refresh_token, &scenario.access_token]);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_serves_still_valid_token() {
    let scenario = refused(3600).await;
    // Inside the renewal margin but not expired: the renewal runs early.
    scenario.clock.advance(3_570);

    let served = expect_ok(scenario.credentials().await, "credentials");

    assert_eq!(served.access_token(), scenario.access_token);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_is_network_error_and_keeps_session() {
    let scenario = Scenario::expired().await;
    let config = scenario.provider.config_with_timeout(300);
    let scenario = scenario.reconfigured(config);
    scenario
        .provider
        .on_token(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .await;

    let started = std::time::Instant::now();
    let error = expect_error(scenario.credentials().await, "renewal");

    assert!(
        matches!(error, SessionError::Network { .. }),
        "a timeout was {}",
        kind(&error)
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the time limit was not applied"
    );
    // No answer means the outcome is unknown: one retry at most.
    assert!(scenario.provider.token_request_count().await <= 2);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_serves_still_valid_token() {
    let scenario = Scenario::start(3600, false).await;
    let config = scenario.provider.config_with_timeout(300);
    let scenario = scenario.reconfigured(config);
    scenario
        .provider
        .on_token(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .await;
    scenario.clock.advance(3_570);

    let served = expect_ok(scenario.credentials().await, "credentials");

    assert_eq!(served.access_token(), scenario.access_token);
    scenario.assert_kept();
}

/// Answers the renewal with a gateway page under `content_type` and
/// `status`, and returns the error.
async fn gateway_error(scenario: &Scenario, status: u16, content_type: &str) -> SessionError {
    let page = gateway_page(&scenario.refresh_token);
    scenario
        .provider
        .on_token(ResponseTemplate::new(status).set_body_raw(page.into_bytes(), content_type))
        .await;
    expect_error(scenario.credentials().await, content_type)
}

#[tokio::test(flavor = "multi_thread")]
async fn html_502_is_server_error_without_page_content() {
    let scenario = Scenario::expired().await;

    let error = gateway_error(&scenario, 502, "text/html; charset=utf-8").await;

    assert!(
        matches!(error, SessionError::Server { status: 502, .. }),
        "a 502 page was {}",
        kind(&error)
    );
    assert_error_hides(&error, &[PAGE_MARKER, "<html", &scenario.refresh_token]);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn html_labelled_json_502_is_server_error_without_page_content() {
    let scenario = Scenario::expired().await;

    let error = gateway_error(&scenario, 502, "application/json").await;

    assert!(
        matches!(error, SessionError::Server { status: 502, .. }),
        "a 502 page labelled JSON was {}",
        kind(&error)
    );
    assert_error_hides(&error, &[PAGE_MARKER, "<html", &scenario.refresh_token]);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn html_502_serves_still_valid_token() {
    let scenario = Scenario::start(3600, false).await;
    scenario.clock.advance(3_570);
    let page = gateway_page(&scenario.refresh_token);
    scenario
        .provider
        .on_token(ResponseTemplate::new(502).set_body_raw(page.into_bytes(), "application/json"))
        .await;

    let served = expect_ok(scenario.credentials().await, "credentials");

    assert_eq!(served.access_token(), scenario.access_token);
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_of_any_5xx_keep_session() {
    for status in [500, 501, 503, 504, 599] {
        let scenario = Scenario::expired().await;
        scenario
            .provider
            .on_token(ResponseTemplate::new(status))
            .await;

        let error = expect_error(scenario.credentials().await, "renewal");

        assert!(
            matches!(error, SessionError::Server { status: got, .. } if got == status),
            "HTTP {status} was {}",
            kind(&error)
        );
        scenario.assert_kept();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn html_page_with_status_200_is_never_stored() {
    let scenario = Scenario::expired().await;
    let before = scenario.storage.raw();

    let error = gateway_error(&scenario, 200, "application/json").await;

    assert!(
        matches!(error, SessionError::InvalidResponse { .. }),
        "a 200 page was {}",
        kind(&error)
    );
    assert_error_hides(&error, &[PAGE_MARKER, "<html", &scenario.refresh_token]);
    assert_eq!(scenario.storage.raw(), before);
    scenario.assert_kept();
}
