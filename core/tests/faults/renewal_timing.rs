//! When to renew: ahead of expiry by a margin that shrinks with the token's
//! lifetime, and early when the caller needs an id_token that expires
//! before the access token does.

use crate::common::mock::{json_response, token_body};
use crate::common::scenario::Scenario;
use crate::common::{credentials, expect_ok, no_parameters, secrets};

/// Mounts a renewal that returns a new access token (and `id_token`), and
/// returns that access token.
async fn renewal_returns(scenario: &Scenario, id_token: Option<&str>) -> String {
    let access_token = secrets::token("at");
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            None,
            id_token,
            3600,
        )))
        .await;
    access_token
}

#[tokio::test(flavor = "multi_thread")]
async fn minute_token_renews_in_its_last_second() {
    let scenario = Scenario::start(60, false).await;
    let renewed_token = renewal_returns(&scenario, None).await;
    scenario.clock.advance(59);

    let served = expect_ok(scenario.credentials().await, "credentials at 59 s");

    assert_eq!(served.access_token(), renewed_token);
    assert_eq!(scenario.provider.token_request_count().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn minute_token_is_served_early_in_its_life() {
    let scenario = Scenario::start(60, false).await;
    renewal_returns(&scenario, None).await;
    scenario.clock.advance(10);

    let served = expect_ok(scenario.credentials().await, "credentials at 10 s");

    assert_eq!(served.access_token(), scenario.access_token);
    assert_eq!(
        scenario.provider.token_request_count().await,
        0,
        "a short-lived token was renewed most of its life ahead"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn day_token_renews_within_margin_of_expiry() {
    let scenario = Scenario::start(86_400, false).await;
    let renewed_token = renewal_returns(&scenario, None).await;
    scenario.clock.advance(86_400 - 50);

    let served = expect_ok(
        scenario.credentials().await,
        "credentials 50 s before expiry",
    );

    assert_eq!(served.access_token(), renewed_token);
    assert_eq!(scenario.provider.token_request_count().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn day_token_is_served_long_before_expiry() {
    let scenario = Scenario::start(86_400, false).await;
    renewal_returns(&scenario, None).await;
    scenario.clock.advance(86_400 - 3_600);

    let served = expect_ok(
        scenario.credentials().await,
        "credentials an hour before expiry",
    );

    assert_eq!(served.access_token(), scenario.access_token);
    assert_eq!(scenario.provider.token_request_count().await, 0);
}

/// Saves a day-long access token with an id_token that expires in five
/// minutes.
async fn short_id_token_session() -> Scenario {
    let scenario = Scenario::start(86_400, false).await;
    let id_token = scenario.provider.id_token(300);
    let saved = credentials(
        &scenario.access_token,
        Some(&id_token),
        Some(&scenario.refresh_token),
        86_400,
    );
    expect_ok(scenario.manager.save_credentials(saved), "saving");
    scenario
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_id_token_renews_when_required() {
    let scenario = short_id_token_session().await;
    let fresh_id_token = scenario.provider.id_token(36_000);
    renewal_returns(&scenario, Some(&fresh_id_token)).await;
    scenario.clock.advance(360);

    let served = expect_ok(
        scenario
            .manager
            .credentials(0, true, None, no_parameters())
            .await,
        "credentials with the id_token",
    );

    assert_eq!(served.id_token(), Some(fresh_id_token));
    assert!(served.id_token_expires_at().unwrap() > scenario.clock.now());
    assert_eq!(scenario.provider.token_request_count().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_id_token_ignored_when_not_required() {
    let scenario = short_id_token_session().await;
    let fresh_id_token = scenario.provider.id_token(36_000);
    renewal_returns(&scenario, Some(&fresh_id_token)).await;
    scenario.clock.advance(360);

    let served = expect_ok(
        scenario.credentials().await,
        "credentials without the id_token",
    );

    assert_eq!(served.access_token(), scenario.access_token);
    assert_eq!(scenario.provider.token_request_count().await, 0);
}
