//! Stored records that this build cannot read as they are: corrupt bytes, a
//! write cut halfway, a record from a newer release, and the layout of an
//! older one. Unreadable records are removed and reported as signed out with
//! the reason; older ones are migrated; nothing crashes.

use serde_json::{json, Value};
use session_core::{SessionError, SessionState, SignedOutReason};

use crate::common::scenario::Scenario;
use crate::common::storage::FaultyStorage;
use crate::common::{expect_error, expect_ok, keys, kind, secrets, SCOPE};

/// Puts `bytes` in storage as the session record, opens a manager over it as
/// an app starting up would, and checks that the record was removed and the
/// session reported signed out for that reason.
async fn assert_unreadable(bytes: &[u8], what: &str) {
    let scenario = Scenario::start(3600, false).await;
    scenario.storage.put_raw(bytes);
    let manager = scenario.restarted();

    assert_eq!(
        manager.state(),
        SessionState::SignedOut {
            reason: SignedOutReason::UnreadableRecord
        },
        "{what}"
    );
    assert!(
        scenario.storage.raw().is_none(),
        "{what}: the record stayed"
    );
    let error = expect_error(
        manager
            .credentials(0, false, None, Default::default())
            .await,
        what,
    );
    assert!(
        matches!(error, SessionError::NoCredentials),
        "{what}: {}",
        kind(&error)
    );
    assert!(!expect_ok(manager.has_valid_credentials(0), what), "{what}");
    assert_eq!(scenario.provider.token_request_count().await, 0, "{what}");
}

/// Saves credentials and returns the record bytes this build wrote.
async fn current_record() -> (Vec<u8>, Scenario) {
    let scenario = Scenario::start(3600, true).await;
    let bytes = scenario.storage.raw().expect("a stored record");
    (bytes, scenario)
}

#[tokio::test(flavor = "multi_thread")]
async fn random_bytes_record_is_removed_as_unreadable() {
    let random: Vec<u8> = (0..256).map(|_| rand::random::<u8>()).collect();
    assert_unreadable(&random, "random bytes").await;
    assert_unreadable(&[0xff, 0xfe, 0x00, 0x7b], "a byte order mark and a brace").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_record_is_removed_as_unreadable() {
    let (bytes, _) = current_record().await;
    for cut in [bytes.len() / 2, bytes.len() - 1, 1] {
        assert_unreadable(&bytes[..cut], &format!("cut at {cut} of {}", bytes.len())).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_record_is_removed_as_unreadable() {
    assert_unreadable(b"", "an empty record").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn future_version_record_is_removed_as_unreadable() {
    let (bytes, _) = current_record().await;
    let mut record: Value = serde_json::from_slice(&bytes).unwrap();
    record["version"] = json!(99);
    record["device_binding"] = json!({"key": "from a newer release"});
    assert_unreadable(record.to_string().as_bytes(), "version 99").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn record_of_wrong_shape_is_removed_as_unreadable() {
    let shapes = [
        json!(null),
        json!([1, 2, 3]),
        json!("sessioncore"),
        json!({}),
        json!({"version": "2"}),
        json!({"version": 2}),
        json!({"version": 2, "access_token": 5, "token_type": "Bearer"}),
        json!({"version": 1, "credentials": "none"}),
    ];
    for shape in shapes {
        assert_unreadable(shape.to_string().as_bytes(), &shape.to_string()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn version_1_record_is_migrated() {
    let scenario = Scenario::start(3600, false).await;
    let access_token = secrets::token("at");
    let refresh_token = secrets::token("rt");
    let id_token_expiry = keys::now() + 7_200;
    let id_token = keys::unsigned_claims(&json!({
        "iss": scenario.provider.issuer(),
        "sub": "auth0|migrated-user",
        "aud": crate::common::mock::CLIENT_ID,
        "iat": keys::now() - 60,
        "exp": id_token_expiry,
        "name": "Migrated User",
    }));
    let expires_at = keys::now() + 3_000;
    // The layout that the first release wrote: tokens nested under
    // `credentials`, without the receive time or the id_token's expiry.
    let version_1 = json!({
        "version": 1,
        "credentials": {
            "access_token": access_token,
            "token_type": "Bearer",
            "id_token": id_token,
            "refresh_token": refresh_token,
            "expires_at": expires_at,
            "scope": SCOPE,
        }
    });
    scenario.storage.put_raw(version_1.to_string().as_bytes());
    let manager = scenario.restarted();

    let migrated = expect_ok(
        manager
            .credentials(0, false, None, Default::default())
            .await,
        "credentials from a version 1 record",
    );

    assert_eq!(manager.state(), SessionState::SignedIn);
    assert_eq!(migrated.access_token(), access_token);
    assert_eq!(migrated.refresh_token(), Some(refresh_token.clone()));
    assert_eq!(migrated.id_token(), Some(id_token));
    assert_eq!(migrated.expires_at(), expires_at);
    assert_eq!(migrated.id_token_expires_at(), Some(id_token_expiry));
    assert_eq!(migrated.scope().as_deref(), Some(SCOPE));
    let profile = expect_ok(manager.user_profile(), "profile").expect("a profile");
    assert_eq!(profile.sub, "auth0|migrated-user");
    assert_eq!(scenario.provider.token_request_count().await, 0);

    let rewritten = scenario.storage.record().expect("the migrated record");
    assert_ne!(
        rewritten["version"],
        json!(1),
        "the record was not migrated"
    );
    assert_eq!(
        crate::common::storage::refresh_token_of(&rewritten),
        Some(refresh_token)
    );
}

/// Credentials that the core accepts must read back: a save that the next
/// read deletes as unreadable would sign the user out without a word.
#[tokio::test(flavor = "multi_thread")]
async fn accepted_empty_fields_are_never_silently_dropped() {
    let access_token = secrets::token("at");
    for (access_token, token_type, what) in [
        ("", "Bearer", "an empty access token"),
        (access_token.as_str(), "", "an empty token type"),
    ] {
        let scenario = Scenario::start(3600, false).await;
        let refresh_token = secrets::token("rt");
        let accepted = session_core::Credentials::new(
            access_token.to_string(),
            token_type.to_string(),
            None,
            Some(refresh_token.clone()),
            3600,
            None,
        );
        // Rejecting the credentials up front, or the save, is correct too.
        let Ok(accepted) = accepted else {
            continue;
        };
        if scenario
            .manager
            .save_credentials(std::sync::Arc::new(accepted))
            .is_err()
        {
            continue;
        }

        let manager = scenario.restarted();

        assert_eq!(
            manager.state(),
            SessionState::SignedIn,
            "credentials with {what} were saved, then read back as unreadable"
        );
        let read = expect_ok(
            manager
                .credentials(0, false, None, Default::default())
                .await,
            what,
        );
        assert_eq!(read.refresh_token(), Some(refresh_token), "{what}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_record_in_fresh_storage_never_panics() {
    // Every prefix of a valid record, read by a fresh manager each time.
    let (bytes, scenario) = current_record().await;
    for cut in (0..bytes.len()).step_by(7) {
        let storage = FaultyStorage::new();
        storage.put_raw(&bytes[..cut]);
        let manager = scenario.provider.manager(storage.clone(), &scenario.clock);
        let state = manager.state();
        assert!(
            matches!(state, SessionState::SignedOut { .. }),
            "a record cut at {cut} was read as {state:?}"
        );
    }
}
