//! Property tests: expiry arithmetic over the whole range of lifetimes and
//! clocks, the scope a renewal sends and keeps, and the stored record's
//! round trip for any token text.

#[path = "common/mod.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use serde_json::json;
use session_core::{Clock, Credentials, SessionError, SessionManager};

use common::mock::{config_for, json_response, token_body};
use common::scenario::Scenario;
use common::storage::FaultyStorage;
use common::{keys, kind, no_parameters};

/// A loopback address that the managers here never contact, because their
/// credentials need no renewal.
const UNUSED_PROVIDER: &str = "http://127.0.0.1:9";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn credentials(expires_in: u64, refresh_token: Option<String>) -> Arc<Credentials> {
    Arc::new(
        Credentials::new(
            "at-property-test-token".to_string(),
            "Bearer".to_string(),
            None,
            refresh_token,
            expires_in,
            None,
        )
        .expect("credentials without an id_token"),
    )
}

/// A manager whose clock reads `now`, over fresh storage holding `saved`.
fn manager_at(now: i64, saved: Arc<Credentials>) -> SessionManager {
    let manager = SessionManager::with_clock(
        config_for(UNUSED_PROVIDER, 1_000),
        FaultyStorage::new(),
        Clock::from_fn(move || now),
    )
    .expect("a manager");
    manager.save_credentials(saved).expect("saving");
    manager
}

proptest! {
    #[test]
    fn expires_at_is_receipt_plus_lifetime(expires_in in any::<u64>()) {
        let before = keys::now();
        let saved = credentials(expires_in, None);
        let after = keys::now();
        let tokens = saved.tokens();

        prop_assert!(tokens.received_at >= before && tokens.received_at <= after);
        let expected = (i128::from(tokens.received_at) + i128::from(expires_in))
            .min(i128::from(i64::MAX));
        prop_assert_eq!(i128::from(tokens.expires_at), expected);
        prop_assert_eq!(
            i128::from(tokens.lifetime()),
            expected - i128::from(tokens.received_at)
        );
    }

    #[test]
    fn ttl_counts_down_with_the_clock(
        expires_in in 0u64..4_000_000_000,
        elapsed in -4_000_000_000i64..4_000_000_000,
    ) {
        let saved = credentials(expires_in, None);
        let tokens = saved.tokens();

        let ttl = tokens.access_token_ttl(tokens.received_at + elapsed);

        prop_assert_eq!(ttl, expires_in as i64 - elapsed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn validity_without_refresh_token_follows_ttl(
        lifetime in 1u64..10_000_000,
        ttl in -1_000_000i64..1_000_000,
        min_ttl in 0u64..1_000_000,
    ) {
        prop_assume!(ttl != min_ttl as i64);
        let saved = credentials(lifetime, None);
        let manager = manager_at(saved.expires_at() - ttl, saved);

        let valid = manager.has_valid_credentials(min_ttl).expect("readable storage");

        prop_assert_eq!(valid, ttl > min_ttl as i64);
    }

    #[test]
    fn validity_with_refresh_token_holds_at_any_ttl(
        lifetime in 1u64..10_000_000,
        ttl in -1_000_000i64..1_000_000,
        min_ttl in 0u64..1_000_000,
    ) {
        let saved = credentials(lifetime, Some("rt-property-test-token".to_string()));
        let manager = manager_at(saved.expires_at() - ttl, saved);

        prop_assert!(manager.has_valid_credentials(min_ttl).expect("readable storage"));
    }

    /// Whatever the renewal margin is, a token that outlives the caller's
    /// minimum by more than a minute is served, and one that does not
    /// outlive it is not.
    #[test]
    fn credentials_serve_only_tokens_that_outlive_min_ttl(
        lifetime in 1u64..10_000_000,
        ttl in -1_000_000i64..1_000_000,
        min_ttl in 0u64..1_000_000,
    ) {
        let saved = credentials(lifetime, None);
        let manager = manager_at(saved.expires_at() - ttl, saved);

        let result = runtime().block_on(manager.credentials(min_ttl, false, None, no_parameters()));

        if ttl > min_ttl as i64 + 60 {
            prop_assert!(result.is_ok(), "a token {ttl} s from expiry was not served");
        }
        if ttl <= min_ttl as i64 {
            match result {
                Err(SessionError::NoRefreshToken) => {}
                Err(error) => prop_assert!(false, "expected NoRefreshToken, got {}", kind(&error)),
                Ok(_) => prop_assert!(false, "a token {ttl} s from expiry was served for {min_ttl} s"),
            }
        }
    }
}

/// Standard scopes and API scopes, in the order a provider might list them.
const SCOPE_WORDS: [&str; 7] = [
    "openid",
    "profile",
    "email",
    "offline_access",
    "read:messages",
    "write:messages",
    "https://api.example.com/admin",
];

fn scope_strategy() -> impl Strategy<Value = String> {
    proptest::sample::subsequence(SCOPE_WORDS.to_vec(), 1..=SCOPE_WORDS.len())
        .prop_shuffle()
        .prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A requested scope is sent as given; the provider's granted scope
    /// replaces the stored one exactly, and an absent one keeps it.
    #[test]
    fn renewal_sends_requested_scope_and_stores_granted_one(
        requested in scope_strategy(),
        granted in proptest::option::of(scope_strategy()),
    ) {
        runtime().block_on(async {
            let scenario = Scenario::start(3600, false).await;
            let before = scenario.manager.credentials(0, false, None, no_parameters()).await;
            let stored_scope = before.expect("stored credentials").scope();
            let mut body = token_body(&common::secrets::token("at"), None, None, 3600);
            match &granted {
                Some(scope) => body["scope"] = json!(scope),
                None => {
                    body.as_object_mut().unwrap().remove("scope");
                }
            }
            scenario.provider.on_token(json_response(body)).await;

            let renewed = scenario
                .manager
                .credentials(0, false, Some(requested.clone()), no_parameters())
                .await
                .expect("renewal");

            let requests = scenario.provider.requests_to("/oauth/token").await;
            assert_eq!(requests.len(), 1);
            assert_eq!(requests[0].get("scope"), Some(&requested));
            let expected = granted.clone().or(stored_scope);
            assert_eq!(renewed.scope(), expected);
            let restarted = scenario.restarted();
            let stored = restarted
                .credentials(0, false, None, no_parameters())
                .await
                .expect("stored credentials");
            assert_eq!(stored.scope(), renewed.scope());
        });
    }

    /// Any token text, type, scope and expiry survives storage unchanged,
    /// and reading a record that this build wrote never rewrites it. (An
    /// empty access token has a test of its own in the fault suite.)
    #[test]
    fn stored_record_round_trips_any_credentials(
        access_token in any::<String>().prop_filter("an access token", |token| !token.is_empty()),
        token_type in "[A-Za-z]{1,12}",
        refresh_token in proptest::option::of(any::<String>()),
        scope in proptest::option::of(any::<String>()),
        name in any::<String>(),
        expires_in in 10_000u64..10_000_000_000,
        with_id_token in any::<bool>(),
    ) {
        let id_token = with_id_token.then(|| {
            keys::unsigned_claims(&json!({
                "sub": "auth0|round-trip",
                "exp": keys::now() + 100_000,
                "name": name,
            }))
        });
        let saved = Arc::new(
            Credentials::new(
                access_token,
                token_type,
                id_token,
                refresh_token,
                expires_in,
                scope,
            )
            .expect("readable credentials"),
        );
        let storage = FaultyStorage::new();
        let config = config_for(UNUSED_PROVIDER, 1_000);
        let writer = SessionManager::new(config.clone(), storage.clone()).expect("a manager");
        writer.save_credentials(saved.clone()).expect("saving");
        let writes = storage.writes();

        let reader = SessionManager::new(config, storage.clone()).expect("a manager");
        let read = runtime()
            .block_on(reader.credentials(0, false, None, no_parameters()))
            .expect("reading back");

        prop_assert_eq!(read.access_token(), saved.access_token());
        prop_assert_eq!(read.token_type(), saved.token_type());
        prop_assert_eq!(read.refresh_token(), saved.refresh_token());
        prop_assert_eq!(read.id_token(), saved.id_token());
        prop_assert_eq!(read.scope(), saved.scope());
        prop_assert_eq!(read.expires_at(), saved.expires_at());
        prop_assert_eq!(read.id_token_expires_at(), saved.id_token_expires_at());
        if with_id_token {
            let profile = reader.user_profile().expect("a profile").expect("an id_token");
            prop_assert_eq!(profile.name, Some(name));
        }
        prop_assert_eq!(storage.writes(), writes, "reading rewrote the record");
    }
}
