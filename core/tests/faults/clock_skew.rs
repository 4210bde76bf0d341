//! A device clock that disagrees with the provider's: an hour ahead, twenty
//! minutes behind. id_token times are checked with a configurable leeway, a
//! disagreement beyond it is an error of its own, and the refresh token is
//! never discarded because of the local clock.

use session_core::{SessionError, SessionState};

use crate::common::mock::{json_response, token_body};
use crate::common::scenario::Scenario;
use crate::common::{expect_error, expect_ok, kind, secrets};

/// Lifetime of the id_token the provider returns on renewal: `iat` = T,
/// `exp` = T + 300 on the provider's clock.
const SHORT_ID_TOKEN_LIFETIME: i64 = 300;

/// A session whose device clock is `offset` seconds off the provider's, and
/// a provider that renews with a short-lived id_token and, when `rotate`,
/// a new refresh token.
async fn skewed(offset: i64, leeway_seconds: u32, rotate: bool) -> (Scenario, Option<String>) {
    let scenario = Scenario::start(3600, true).await;
    let mut config = scenario.provider.config();
    config.leeway_seconds = leeway_seconds;
    let scenario = scenario.reconfigured(config);
    let rotated = rotate.then(|| secrets::token("rt"));
    let id_token = scenario.provider.id_token(SHORT_ID_TOKEN_LIFETIME);
    scenario
        .provider
        .on_token(json_response(token_body(
            &secrets::token("at"),
            rotated.as_deref(),
            Some(&id_token),
            3600,
        )))
        .await;
    scenario.clock.advance(offset);
    (scenario, rotated)
}

#[track_caller]
fn assert_clock_skew(error: &SessionError, what: &str) {
    assert!(
        matches!(error, SessionError::ClockSkew { .. }),
        "{what} was {}",
        kind(error)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn clock_hour_ahead_is_clock_skew_error() {
    let (scenario, _) = skewed(3_600, 60, false).await;

    let error = expect_error(scenario.manager.renew().await, "renewal");

    assert_clock_skew(&error, "a clock an hour ahead");
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn clock_twenty_minutes_behind_is_clock_skew_error() {
    let (scenario, _) = skewed(-1_200, 60, false).await;

    let error = expect_error(scenario.manager.renew().await, "renewal");

    assert_clock_skew(&error, "a clock twenty minutes behind");
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn clock_skew_keeps_rotated_refresh_token() {
    for offset in [3_600, -1_200] {
        let (scenario, rotated) = skewed(offset, 60, true).await;

        let error = expect_error(scenario.manager.renew().await, "renewal");

        assert_clock_skew(&error, "a skewed clock");
        assert_eq!(scenario.manager.state(), SessionState::SignedIn);
        assert_eq!(
            scenario.storage.stored_refresh_token(),
            rotated,
            "offset {offset}: the rotated refresh token was not kept"
        );
        assert!(expect_ok(scenario.manager.can_renew(), "can_renew"));
        assert_eq!(scenario.storage.deletes(), 0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn leeway_covers_clock_hour_ahead() {
    let (scenario, _) = skewed(3_600, 3_600, false).await;

    let renewed = expect_ok(scenario.manager.renew().await, "renewal");

    assert!(renewed.id_token().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn leeway_covers_clock_twenty_minutes_behind() {
    let (scenario, _) = skewed(-1_200, 1_300, false).await;

    let renewed = expect_ok(scenario.manager.renew().await, "renewal");

    assert!(renewed.id_token().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn skewed_clock_does_not_shorten_access_token() {
    // The access token's expiry counts from the device's own receive time,
    // so a skewed device still uses it for its whole lifetime.
    let (scenario, _) = skewed(3_600, 3_600, false).await;
    let before = scenario.clock.now();

    let renewed = expect_ok(scenario.manager.renew().await, "renewal");

    assert!(renewed.expires_at() >= before + 3_600);
    let served = expect_ok(scenario.credentials().await, "the next call");
    assert_eq!(served.access_token(), renewed.access_token());
    assert_eq!(scenario.provider.token_request_count().await, 1);
}
