//! JWTs as providers really encode them: base64url segments of every
//! length, with or without `=` padding (RFC 7515 §2 requires none), UTF-8
//! claims in any script, and times with fractions or as strings.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine;
use serde_json::{json, Value};
use session_core::{Credentials, SessionError};
use wiremock::ResponseTemplate;

use crate::common::mock::{json_response, token_body, CLIENT_ID, SUB};
use crate::common::scenario::Scenario;
use crate::common::{expect_error, expect_ok, keys, kind, secrets};

const EXP: i64 = 1_735_689_600;

/// Reads `id_token` the way the core does when an app saves credentials.
fn decode(id_token: &str) -> Result<Credentials, SessionError> {
    Credentials::new(
        secrets::token("at"),
        "Bearer".to_string(),
        Some(id_token.to_string()),
        None,
        3600,
        None,
    )
}

/// Finds claims whose unpadded payload segment has `remainder` as its
/// length modulo 4 and contains both `-` and `_`, the two characters that
/// base64url has and standard base64 has not.
fn payload_with(remainder: usize) -> (Value, String) {
    for filler in 0..64 {
        let claims = json!({
            "sub": "auth0|segment-test",
            "exp": EXP,
            // `>` and `?` runs encode to `-` and `_` at every alignment.
            "data": format!("{}>>>???~~~", "a".repeat(filler)),
        });
        let segment = keys::encode_segment(claims.to_string().as_bytes());
        if segment.len() % 4 == remainder && segment.contains('-') && segment.contains('_') {
            return (claims, segment);
        }
    }
    panic!("no payload of length {remainder} modulo 4 with - and _");
}

#[test]
fn payload_length_2_mod_4_decodes() {
    let (_, segment) = payload_with(2);
    let token = keys::unsigned(&keys::rs256_header(), &segment);

    let credentials = expect_ok(decode(&token), "length 2 mod 4");

    assert_eq!(credentials.id_token_expires_at(), Some(EXP));
}

#[test]
fn payload_length_3_mod_4_decodes() {
    let (_, segment) = payload_with(3);
    let token = keys::unsigned(&keys::rs256_header(), &segment);

    let credentials = expect_ok(decode(&token), "length 3 mod 4");

    assert_eq!(credentials.id_token_expires_at(), Some(EXP));
}

#[test]
fn payload_with_padding_decodes() {
    for remainder in [2, 3] {
        let (claims, _) = payload_with(remainder);
        let padded = URL_SAFE.encode(claims.to_string().as_bytes());
        assert!(padded.ends_with('='));
        let token = keys::unsigned(&keys::rs256_header(), &padded);

        let credentials = expect_ok(decode(&token), "a padded payload");

        assert_eq!(credentials.id_token_expires_at(), Some(EXP));
    }
}

#[test]
fn payload_length_1_mod_4_is_malformed() {
    // Three more characters turn a length of 2 mod 4 into 1 mod 4, and two
    // more turn 3 into 1: no byte string encodes to such a length.
    let (_, two) = payload_with(2);
    let (_, three) = payload_with(3);
    for segment in [format!("{two}abc"), format!("{three}ab"), "A".to_string()] {
        assert_eq!(segment.len() % 4, 1);
        let token = keys::unsigned(&keys::rs256_header(), &segment);

        let error = expect_error(decode(&token), "length 1 mod 4");

        assert!(
            matches!(error, SessionError::InvalidIdToken { .. }),
            "a segment of length 1 mod 4 was {}",
            kind(&error)
        );
        crate::common::assert_error_hides(&error, &[&token, &segment]);
    }
}

#[test]
fn header_length_1_mod_4_is_malformed() {
    let mut header = keys::encode_segment(keys::rs256_header().to_string().as_bytes());
    while header.len() % 4 != 1 {
        header.push('A');
    }
    let (_, payload) = payload_with(2);
    let token = format!("{header}.{payload}.c2lnbmF0dXJl");
    secrets::record(&token);

    let error = expect_error(decode(&token), "a header of length 1 mod 4");

    assert!(
        matches!(error, SessionError::InvalidIdToken { .. }),
        "{}",
        kind(&error)
    );
}

#[test]
fn standard_base64_characters_are_malformed() {
    let (_, segment) = payload_with(3);
    let standard = segment.replace('-', "+").replace('_', "/");
    let token = keys::unsigned(&keys::rs256_header(), &standard);

    let error = expect_error(decode(&token), "standard base64");

    assert!(
        matches!(error, SessionError::InvalidIdToken { .. }),
        "{}",
        kind(&error)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unicode_profile_claims_come_out_exactly() {
    let scenario = Scenario::start(3600, false).await;
    let id_token = keys::unsigned_claims(&json!({
        "iss": scenario.provider.issuer(),
        "sub": SUB,
        "aud": CLIENT_ID,
        "exp": keys::now() + 3600,
        "name": "João Ñúñez",
        "given_name": "Привет",
        "family_name": "测试",
        "nickname": "😀",
        "locale": "pt-BR",
    }));
    let saved = crate::common::credentials(
        &secrets::token("at"),
        Some(&id_token),
        Some(&secrets::token("rt")),
        3600,
    );
    expect_ok(scenario.manager.save_credentials(saved), "saving");

    let profile = expect_ok(scenario.restarted().user_profile(), "profile").expect("a profile");

    assert_eq!(profile.name.as_deref(), Some("João Ñúñez"));
    assert_eq!(profile.given_name.as_deref(), Some("Привет"));
    assert_eq!(profile.family_name.as_deref(), Some("测试"));
    assert_eq!(profile.nickname.as_deref(), Some("😀"));
    let extra: Value = serde_json::from_str(&profile.extra_claims_json).unwrap();
    assert_eq!(extra["locale"], json!("pt-BR"));
}

#[tokio::test(flavor = "multi_thread")]
async fn unicode_userinfo_claims_come_out_exactly() {
    let scenario = Scenario::start(3600, false).await;
    scenario
        .provider
        .on(
            "/userinfo",
            ResponseTemplate::new(200).set_body_raw(
                json!({
                    "sub": SUB,
                    "name": "João Ñúñez",
                    "given_name": "Привет",
                    "family_name": "测试",
                    "nickname": "😀",
                })
                .to_string()
                .into_bytes(),
                "application/json; charset=utf-8",
            ),
        )
        .await;
    let client = scenario.manager.authentication_client();

    let profile = expect_ok(
        client.user_info(scenario.access_token.clone()).await,
        "userinfo",
    );

    assert_eq!(profile.name.as_deref(), Some("João Ñúñez"));
    assert_eq!(profile.given_name.as_deref(), Some("Привет"));
    assert_eq!(profile.family_name.as_deref(), Some("测试"));
    assert_eq!(profile.nickname.as_deref(), Some("😀"));
}

#[test]
fn fractional_times_are_accepted() {
    let token = keys::unsigned_claims(&json!({
        "sub": "auth0|fractions",
        "exp": 1_735_689_600.75,
        "iat": 1_735_686_000.25,
        "nbf": 1_735_686_000.0,
    }));

    let credentials = expect_ok(decode(&token), "fractional times");

    assert_eq!(credentials.id_token_expires_at(), Some(EXP));
}

/// The rule for a time claim sent as a JSON string: a string holding a
/// number is read as that number.
#[test]
fn numeric_string_exp_is_read_as_number() {
    let token = keys::unsigned_claims(&json!({
        "sub": "auth0|string-exp",
        "exp": "1735689600",
    }));

    let credentials = expect_ok(decode(&token), "a string exp");

    assert_eq!(credentials.id_token_expires_at(), Some(EXP));
}

/// Renews with an id_token of `claims` (signed, with the usual issuer and
/// audience added) and returns the outcome.
async fn renew_with_claims(
    claims: Value,
) -> (Result<std::sync::Arc<Credentials>, SessionError>, Scenario) {
    let scenario = Scenario::start(0, true).await;
    let mut claims = claims;
    claims["iss"] = json!(scenario.provider.issuer());
    claims["aud"] = json!(CLIENT_ID);
    claims["sub"] = json!(SUB);
    let id_token = keys::sign(&claims);
    scenario
        .provider
        .on_token(json_response(token_body(
            &secrets::token("at"),
            None,
            Some(&id_token),
            3600,
        )))
        .await;
    let result = scenario.credentials().await;
    (result, scenario)
}

#[tokio::test(flavor = "multi_thread")]
async fn fractional_times_pass_id_token_validation() {
    let now = keys::now() as f64;
    let (result, _) = renew_with_claims(json!({
        "exp": now + 3_600.75,
        "iat": now - 0.25,
        "nbf": now - 1.5,
    }))
    .await;

    let renewed = expect_ok(result, "renewal with fractional times");
    let expiry = renewed.id_token_expires_at().expect("an id_token expiry");
    assert!((expiry - (now as i64 + 3_600)).abs() <= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn numeric_string_exp_passes_id_token_validation() {
    let now = keys::now();
    let (result, _) = renew_with_claims(json!({
        "exp": (now + 3_600).to_string(),
        "iat": now,
    }))
    .await;

    let renewed = expect_ok(result, "renewal with a string exp");
    assert_eq!(renewed.id_token_expires_at(), Some(now + 3_600));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_exp_fails_id_token_validation() {
    let (result, scenario) = renew_with_claims(json!({ "iat": keys::now() })).await;

    let error = expect_error(result, "renewal without exp");

    assert!(
        matches!(error, SessionError::InvalidIdToken { .. }),
        "an id_token without exp was {}",
        kind(&error)
    );
    scenario.assert_kept();
}

#[tokio::test(flavor = "multi_thread")]
async fn non_numeric_exp_fails_id_token_validation() {
    for exp in [json!("tomorrow"), json!(true), json!({"at": 1})] {
        let (result, scenario) = renew_with_claims(json!({ "iat": keys::now(), "exp": exp })).await;

        let error = expect_error(result, "renewal with an unreadable exp");

        assert!(
            matches!(error, SessionError::InvalidIdToken { .. }),
            "exp {exp} was {}",
            kind(&error)
        );
        scenario.assert_kept();
    }
}
