//! Refresh responses that leave fields out. RFC 6749 §6 lets a provider
//! keep the refresh token, and OpenID Connect Core §12.2 lets it leave out
//! the id_token. What was left out must be kept, not lost.

use serde_json::{json, Value};
use session_core::{SessionError, SessionState};

use crate::common::mock::{json_response, token_body, SUB};
use crate::common::scenario::{Scenario, ID_TOKEN_LIFETIME};
use crate::common::{expect_error, expect_ok, kind, secrets, SCOPE};

#[tokio::test(flavor = "multi_thread")]
async fn refresh_token_is_kept_when_response_omits_it() {
    let scenario = Scenario::start(3600, false).await;
    let first_access_token = secrets::token("at");
    let second_access_token = secrets::token("at");
    scenario
        .provider
        .on_token_once(json_response(token_body(
            &first_access_token,
            None,
            None,
            3600,
        )))
        .await;
    scenario
        .provider
        .on_token_once(json_response(token_body(
            &second_access_token,
            None,
            None,
            3600,
        )))
        .await;

    scenario.clock.advance(3_600);
    let first = expect_ok(scenario.credentials().await, "first renewal");
    assert_eq!(first.access_token(), first_access_token);
    assert_eq!(first.refresh_token(), Some(scenario.refresh_token.clone()));
    assert_eq!(
        scenario.storage.stored_refresh_token(),
        Some(scenario.refresh_token.clone())
    );

    scenario.clock.advance(3_600);
    let second = expect_ok(scenario.credentials().await, "second renewal");
    assert_eq!(second.access_token(), second_access_token);

    let requests = scenario.provider.requests_to("/oauth/token").await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            request.get("refresh_token"),
            Some(&scenario.refresh_token),
            "a renewal did not send the kept refresh token"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_token_is_kept_when_response_has_null() {
    let scenario = Scenario::expired().await;
    scenario
        .provider
        .on_token(json_response(json!({
            "access_token": secrets::token("at"),
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": null,
        })))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");
    assert_eq!(
        renewed.refresh_token(),
        Some(scenario.refresh_token.clone())
    );
    assert_eq!(
        scenario.storage.stored_refresh_token(),
        Some(scenario.refresh_token.clone())
    );
}

/// Renews a session that has an id_token with a response built from
/// `fields`, and checks that the id_token, its claims and the scope stayed.
async fn assert_id_token_and_scope_kept(fields: Value) {
    let scenario = Scenario::start(0, true).await;
    let profile_before = expect_ok(scenario.manager.user_profile(), "profile before")
        .expect("the saved id_token has a profile");

    scenario
        .provider
        .on_token(json_response(fields.clone()))
        .await;
    let renewed = expect_ok(scenario.manager.renew().await, "renewal");

    assert_eq!(
        renewed.access_token(),
        fields["access_token"].as_str().unwrap()
    );
    assert_eq!(renewed.id_token(), scenario.id_token.clone(), "{fields}");
    assert!(renewed.id_token_expires_at().is_some(), "{fields}");
    assert_eq!(renewed.scope().as_deref(), Some(SCOPE), "{fields}");
    let profile_after = expect_ok(scenario.manager.user_profile(), "profile after");
    assert_eq!(profile_after, Some(profile_before), "{fields}");
    let restarted = scenario.restarted();
    let stored = expect_ok(
        restarted
            .credentials(0, true, None, Default::default())
            .await,
        "credentials after a restart",
    );
    assert_eq!(stored.id_token(), scenario.id_token.clone(), "{fields}");
    assert_eq!(stored.scope().as_deref(), Some(SCOPE), "{fields}");
}

#[tokio::test(flavor = "multi_thread")]
async fn omitted_id_token_and_scope_are_kept() {
    assert_id_token_and_scope_kept(json!({
        "access_token": secrets::token("at"),
        "token_type": "Bearer",
        "expires_in": 3600,
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn null_id_token_and_scope_are_kept() {
    assert_id_token_and_scope_kept(json!({
        "access_token": secrets::token("at"),
        "token_type": "Bearer",
        "expires_in": 3600,
        "id_token": null,
        "scope": null,
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn same_subject_id_token_replaces_old() {
    let scenario = Scenario::start(0, true).await;
    let access_token = secrets::token("at");
    let id_token = scenario.provider.id_token(ID_TOKEN_LIFETIME + 100);
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            None,
            Some(&id_token),
            3600,
        )))
        .await;

    let renewed = expect_ok(scenario.credentials().await, "renewal");

    assert_eq!(renewed.id_token(), Some(id_token));
    let profile = expect_ok(scenario.manager.user_profile(), "profile").expect("a profile");
    assert_eq!(profile.sub, SUB);
}

#[tokio::test(flavor = "multi_thread")]
async fn new_id_token_with_other_subject_is_rejected() {
    let scenario = Scenario::start(0, true).await;
    let access_token = secrets::token("at");
    let rotated = secrets::token("rt");
    let other_user = scenario
        .provider
        .id_token_for("auth0|someone-else", ID_TOKEN_LIFETIME);
    scenario
        .provider
        .on_token(json_response(token_body(
            &access_token,
            Some(&rotated),
            Some(&other_user),
            3600,
        )))
        .await;

    let error = expect_error(scenario.credentials().await, "renewal as another user");

    assert!(
        matches!(error, SessionError::InvalidIdToken { .. }),
        "a switched subject was {}",
        kind(&error)
    );
    let profile = expect_ok(scenario.manager.user_profile(), "profile").expect("a profile");
    assert_eq!(profile.sub, SUB, "the other user's profile was stored");
    let record = scenario
        .storage
        .record()
        .expect("the session stayed stored");
    assert!(
        !record.to_string().contains(&access_token),
        "the other user's access token was stored"
    );
    // The rotated refresh token is the only one the provider still accepts.
    assert_eq!(scenario.storage.stored_refresh_token(), Some(rotated));
    assert_ne!(scenario.manager.state(), SessionState::Renewing);
}
