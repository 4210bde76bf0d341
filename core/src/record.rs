//! The stored record: one versioned JSON document holding a `TokenSet`.
//!
//! Version 2, written by this build, is flat and contains every `TokenSet` field,
//! with `null` for an absent one:
//!
//! ```json
//! {"version":2,"access_token":"…","token_type":"Bearer","id_token":"…",
//!  "refresh_token":"…","expires_at":1700086400,"received_at":1700000000,
//!  "id_token_expires_at":1700036000,"scope":"openid profile"}
//! ```
//!
//! Version 1, written by earlier releases, nested the tokens and kept neither
//! the receive time nor the id_token's expiry:
//!
//! ```json
//! {"version":1,"credentials":{"access_token":"…","token_type":"Bearer",
//!  "id_token":"…","refresh_token":"…","expires_at":1700086400,"scope":"openid"}}
//! ```
//!
//! Decoding never quotes the record in an error, because it holds tokens.

use serde_json::{json, Map, Value};

use crate::credentials::TokenSet;
use crate::jwt;

/// The record version this build writes.
pub const CURRENT_VERSION: u32 = 2;

/// The access token lifetime assumed for a version 1 record, which did not
/// store when the token was received: Auth0's default of 24 hours. A lifetime
/// that is too long makes renewal come early, never late.
pub const VERSION_1_ASSUMED_LIFETIME_SECONDS: i64 = 86_400;

/// Encodes `tokens` as the current record version.
pub fn encode(tokens: &TokenSet) -> Vec<u8> {
    let record = json!({
        "version": CURRENT_VERSION,
        "access_token": tokens.access_token,
        "token_type": tokens.token_type,
        "id_token": tokens.id_token,
        "refresh_token": tokens.refresh_token,
        "expires_at": tokens.expires_at,
        "received_at": tokens.received_at,
        "id_token_expires_at": tokens.id_token_expires_at,
        "scope": tokens.scope,
    });
    record.to_string().into_bytes()
}

/// Decodes a stored record of the current or an older version. The error text
/// says why it cannot be read (not JSON, truncated, a future version, a
/// missing field), never a token.
pub fn decode(bytes: &[u8]) -> Result<TokenSet, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        if error.is_eof() {
            "the stored record is truncated JSON".to_string()
        } else {
            "the stored record is not valid JSON (it may be corrupt)".to_string()
        }
    })?;
    let Value::Object(fields) = value else {
        return Err("the stored record is JSON but not an object".to_string());
    };
    let version = match fields.get("version") {
        None | Some(Value::Null) => return Err("the stored record has no version".to_string()),
        Some(version) => version
            .as_u64()
            .ok_or_else(|| "the stored record's version is not a whole number".to_string())?,
    };
    let tokens = match version {
        1 => decode_version_1(&fields),
        2 => decode_version_2(&fields),
        newer if newer > u64::from(CURRENT_VERSION) => Err(format!(
            "the stored record has version {newer}, written by a newer release; this release \
             reads versions 1 to {CURRENT_VERSION}"
        )),
        other => Err(format!("the stored record has the unknown version {other}")),
    }?;
    check_times(&tokens)?;
    Ok(tokens)
}

/// Latest time a record may name: the end of year 9999, in Unix seconds.
/// Anything beyond (or before 1970) is corruption, and would otherwise make
/// an expired token look valid for ever.
const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

fn check_times(tokens: &TokenSet) -> Result<(), String> {
    let times = [
        ("expires_at", Some(tokens.expires_at)),
        ("received_at", Some(tokens.received_at)),
        ("id_token_expires_at", tokens.id_token_expires_at),
    ];
    for (name, time) in times {
        if let Some(time) = time.filter(|time| !(0..=MAX_UNIX_SECONDS).contains(time)) {
            return Err(format!(
                "the stored record's {name} ({time}) is not a time between 1970 and 9999"
            ));
        }
    }
    Ok(())
}

fn decode_version_2(fields: &Map<String, Value>) -> Result<TokenSet, String> {
    let record = Fields {
        fields,
        context: "the stored record (version 2)",
    };
    Ok(TokenSet {
        access_token: record.required_string("access_token")?,
        token_type: record.required_string("token_type")?,
        id_token: record.optional_string("id_token")?,
        refresh_token: record.optional_string("refresh_token")?,
        expires_at: record.required_integer("expires_at")?,
        received_at: record.required_integer("received_at")?,
        id_token_expires_at: record.optional_integer("id_token_expires_at")?,
        scope: record.optional_string("scope")?,
    })
}

/// Migrates a version 1 record: `received_at` is assumed from the expiry, and
/// the id_token's expiry is read from its `exp` claim.
fn decode_version_1(fields: &Map<String, Value>) -> Result<TokenSet, String> {
    let Some(Value::Object(credentials)) = fields.get("credentials") else {
        return Err("the stored record (version 1) has no credentials object".to_string());
    };
    let record = Fields {
        fields: credentials,
        context: "the stored record (version 1)",
    };
    let id_token = record.optional_string("id_token")?;
    let id_token_expires_at = match &id_token {
        Some(token) => jwt::decode(token)
            .map_err(|error| {
                format!("the stored record (version 1) has an unreadable id_token: {error}")
            })?
            .claims
            .exp
            .map(|exp| exp.floor() as i64),
        None => None,
    };
    let expires_at = record.required_integer("expires_at")?;
    Ok(TokenSet {
        access_token: record.required_string("access_token")?,
        token_type: record
            .optional_string("token_type")?
            .unwrap_or_else(|| "Bearer".to_string()),
        id_token,
        refresh_token: record.optional_string("refresh_token")?,
        expires_at,
        received_at: expires_at.saturating_sub(VERSION_1_ASSUMED_LIFETIME_SECONDS),
        id_token_expires_at,
        scope: record.optional_string("scope")?,
    })
}

/// The members of one JSON object of a record, read with errors that name the
/// member but never quote its value.
struct Fields<'a> {
    fields: &'a Map<String, Value>,
    context: &'a str,
}

impl Fields<'_> {
    fn optional_string(&self, name: &str) -> Result<Option<String>, String> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("{}'s {name} is not a string", self.context)),
        }
    }

    /// Reads a member that must be present. An empty string is accepted,
    /// because `encode` writes whatever the `TokenSet` contains and every
    /// record it writes must decode.
    fn required_string(&self, name: &str) -> Result<String, String> {
        self.optional_string(name)?
            .ok_or_else(|| format!("{} has no {name}", self.context))
    }

    fn optional_integer(&self, name: &str) -> Result<Option<i64>, String> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| format!("{}'s {name} is not a whole number", self.context)),
        }
    }

    fn required_integer(&self, name: &str) -> Result<i64, String> {
        self.optional_integer(name)?
            .ok_or_else(|| format!("{} has no {name}", self.context))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn record_with_time_out_of_range_is_unreadable() {
        let record = br#"{"version":2,"access_token":"a","token_type":"Bearer","id_token":null,"refresh_token":null,"expires_at":-9223372036854775808,"received_at":0,"id_token_expires_at":null,"scope":null}"#;

        let error = super::decode(record).unwrap_err();

        assert!(error.contains("expires_at"), "{error}");
    }

    use proptest::prelude::*;
    use rand::RngCore;

    use super::*;

    /// An unsigned id_token whose `exp` is 1700036000.
    const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.\
        eyJpc3MiOiJodHRwczovL3RlbmFudC5leGFtcGxlLmNvbS8iLCJzdWIiOiJhdXRoMHwxMjMiLCJhdWQiOiJjbGll\
        bnQtMSIsImV4cCI6MTcwMDAzNjAwMCwiaWF0IjoxNzAwMDAwMDAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU";

    /// A version 1 record as earlier releases wrote it. Never change it: it
    /// stands for records already on users' devices.
    const VERSION_1_RECORD: &str = r#"{"version":1,"credentials":{"access_token":"at-v1","token_type":"Bearer","id_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3RlbmFudC5leGFtcGxlLmNvbS8iLCJzdWIiOiJhdXRoMHwxMjMiLCJhdWQiOiJjbGllbnQtMSIsImV4cCI6MTcwMDAzNjAwMCwiaWF0IjoxNzAwMDAwMDAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU","refresh_token":"rt-v1","expires_at":1700086400,"scope":"openid profile email offline_access"}}"#;

    /// A version 1 record of a login without `offline_access` or id_token.
    const VERSION_1_RECORD_MINIMAL: &str =
        r#"{"version":1,"credentials":{"access_token":"at-v1","expires_at":1700086400}}"#;

    /// A version 2 record as this release writes it. Never change it once
    /// released: it stands for records already on users' devices.
    const VERSION_2_RECORD: &str = r#"{"version":2,"access_token":"at-v2","token_type":"Bearer","id_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3RlbmFudC5leGFtcGxlLmNvbS8iLCJzdWIiOiJhdXRoMHwxMjMiLCJhdWQiOiJjbGllbnQtMSIsImV4cCI6MTcwMDAzNjAwMCwiaWF0IjoxNzAwMDAwMDAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU","refresh_token":"rt-v2","expires_at":1700003600,"received_at":1700000000,"id_token_expires_at":1700036000,"scope":"openid profile email offline_access"}"#;

    /// A version 2 record without refresh token, id_token or scope.
    const VERSION_2_RECORD_MINIMAL: &str = r#"{"version":2,"access_token":"at-v2","token_type":"Bearer","id_token":null,"refresh_token":null,"expires_at":1700003600,"received_at":1700000000,"id_token_expires_at":null,"scope":null}"#;

    fn tokens() -> TokenSet {
        TokenSet {
            access_token: "at-v2".to_string(),
            token_type: "Bearer".to_string(),
            id_token: Some(ID_TOKEN.to_string()),
            refresh_token: Some("rt-v2".to_string()),
            expires_at: 1_700_003_600,
            received_at: 1_700_000_000,
            id_token_expires_at: Some(1_700_036_000),
            scope: Some("openid profile email offline_access".to_string()),
        }
    }

    fn field_removed(record: &str, name: &str) -> Vec<u8> {
        let mut value: Value = serde_json::from_str(record).unwrap();
        value.as_object_mut().unwrap().remove(name);
        value.to_string().into_bytes()
    }

    fn field_set(record: &str, name: &str, field: Value) -> Vec<u8> {
        let mut value: Value = serde_json::from_str(record).unwrap();
        value[name] = field;
        value.to_string().into_bytes()
    }

    #[test]
    fn version_2_snapshot_decodes() {
        assert_eq!(decode(VERSION_2_RECORD.as_bytes()).unwrap(), tokens());
    }

    #[test]
    fn version_2_minimal_snapshot_decodes() {
        let expected = TokenSet {
            id_token: None,
            refresh_token: None,
            id_token_expires_at: None,
            scope: None,
            ..tokens()
        };
        assert_eq!(
            decode(VERSION_2_RECORD_MINIMAL.as_bytes()).unwrap(),
            expected
        );
    }

    #[test]
    fn encode_writes_version_2_snapshot() {
        let written: Value = serde_json::from_slice(&encode(&tokens())).unwrap();
        let frozen: Value = serde_json::from_str(VERSION_2_RECORD).unwrap();
        assert_eq!(written, frozen);
    }

    #[test]
    fn version_1_snapshot_is_migrated() {
        let expected = TokenSet {
            access_token: "at-v1".to_string(),
            token_type: "Bearer".to_string(),
            id_token: Some(ID_TOKEN.to_string()),
            refresh_token: Some("rt-v1".to_string()),
            expires_at: 1_700_086_400,
            received_at: 1_700_086_400 - VERSION_1_ASSUMED_LIFETIME_SECONDS,
            id_token_expires_at: Some(1_700_036_000),
            scope: Some("openid profile email offline_access".to_string()),
        };
        assert_eq!(decode(VERSION_1_RECORD.as_bytes()).unwrap(), expected);
    }

    #[test]
    fn version_1_minimal_snapshot_is_migrated() {
        let migrated = decode(VERSION_1_RECORD_MINIMAL.as_bytes()).unwrap();
        assert_eq!(migrated.access_token, "at-v1");
        assert_eq!(migrated.token_type, "Bearer");
        assert_eq!(migrated.id_token, None);
        assert_eq!(migrated.refresh_token, None);
        assert_eq!(migrated.id_token_expires_at, None);
        assert_eq!(migrated.lifetime(), 86_400);
    }

    #[test]
    fn version_1_with_unreadable_id_token_is_rejected() {
        let record = VERSION_1_RECORD.replace(ID_TOKEN, "secret-not-a-jwt");
        let error = decode(record.as_bytes()).unwrap_err();
        assert!(error.contains("unreadable id_token"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn version_1_without_credentials_is_rejected() {
        let error = decode(br#"{"version":1}"#).unwrap_err();
        assert!(error.contains("no credentials"), "{error}");
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let tokens = tokens();
        assert_eq!(decode(&encode(&tokens)).unwrap(), tokens);
    }

    #[test]
    fn large_tokens_round_trip_byte_for_byte() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        let text = |length: usize| -> String {
            (0..length)
                .map(|index| alphabet[(index * 7 + index / 3) % alphabet.len()] as char)
                .collect()
        };
        let tokens = TokenSet {
            access_token: text(70 * 1024),
            id_token: Some(text(4 * 1024)),
            ..tokens()
        };
        let decoded = decode(&encode(&tokens)).unwrap();
        assert_eq!(
            decoded.access_token.as_bytes(),
            tokens.access_token.as_bytes()
        );
        assert_eq!(decoded.id_token, tokens.id_token);
        assert_eq!(decoded, tokens);
    }

    #[test]
    fn future_version_is_rejected() {
        let record = field_set(VERSION_2_RECORD, "version", json!(3));
        let error = decode(&record).unwrap_err();
        assert!(error.contains("version 3"), "{error}");
        assert!(error.contains("newer release"), "{error}");
    }

    #[test]
    fn version_zero_is_rejected() {
        let error = decode(&field_set(VERSION_2_RECORD, "version", json!(0))).unwrap_err();
        assert!(error.contains("unknown version 0"), "{error}");
    }

    #[test]
    fn missing_version_is_rejected() {
        let error = decode(&field_removed(VERSION_2_RECORD, "version")).unwrap_err();
        assert_eq!(error, "the stored record has no version");
    }

    #[test]
    fn fractional_version_is_rejected() {
        let error = decode(&field_set(VERSION_2_RECORD, "version", json!(2.5))).unwrap_err();
        assert!(error.contains("not a whole number"), "{error}");
    }

    #[test]
    fn missing_required_field_is_rejected_naming_it() {
        for name in ["access_token", "token_type", "expires_at", "received_at"] {
            let error = decode(&field_removed(VERSION_2_RECORD, name)).unwrap_err();
            assert_eq!(
                error,
                format!("the stored record (version 2) has no {name}"),
                "{name}"
            );
        }
    }

    #[test]
    fn missing_optional_field_counts_as_absent() {
        let decoded = decode(&field_removed(VERSION_2_RECORD, "refresh_token")).unwrap();
        assert_eq!(decoded.refresh_token, None);
    }

    #[test]
    fn mistyped_field_is_rejected_without_quoting_it() {
        let record = field_set(VERSION_2_RECORD, "expires_at", json!("secret-value"));
        let error = decode(&record).unwrap_err();
        assert!(
            error.contains("expires_at is not a whole number"),
            "{error}"
        );
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn truncated_record_is_rejected_without_quoting_it() {
        let bytes = VERSION_2_RECORD.as_bytes();
        for length in 0..bytes.len() {
            let error = decode(&bytes[..length]).unwrap_err();
            assert!(!error.contains("at-v2"), "{error}");
            assert!(!error.contains("rt-v2"), "{error}");
        }
        let error = decode(&bytes[..bytes.len() / 2]).unwrap_err();
        assert_eq!(error, "the stored record is truncated JSON");
    }

    #[test]
    fn random_bytes_are_rejected() {
        let mut rng = rand::thread_rng();
        for length in [1, 2, 16, 100, 1000] {
            let mut bytes = vec![0u8; length];
            rng.fill_bytes(&mut bytes);
            assert!(decode(&bytes).is_err(), "{length} random bytes decoded");
        }
    }

    #[test]
    fn json_that_is_not_an_object_is_rejected() {
        let error = decode(b"[2]").unwrap_err();
        assert_eq!(error, "the stored record is JSON but not an object");
    }

    #[test]
    fn null_required_field_is_rejected() {
        let record = field_set(VERSION_2_RECORD, "access_token", Value::Null);
        let error = decode(&record).unwrap_err();
        assert_eq!(error, "the stored record (version 2) has no access_token");
    }

    fn any_token_set() -> impl Strategy<Value = TokenSet> {
        (
            (any::<String>(), any::<String>()),
            (
                proptest::option::of(any::<String>()),
                proptest::option::of(any::<String>()),
                proptest::option::of(any::<String>()),
            ),
            (
                0..=MAX_UNIX_SECONDS,
                0..=MAX_UNIX_SECONDS,
                proptest::option::of(0..=MAX_UNIX_SECONDS),
            ),
        )
            .prop_map(
                |(
                    (access_token, token_type),
                    (id_token, refresh_token, scope),
                    (expires_at, received_at, id_token_expires_at),
                )| TokenSet {
                    access_token,
                    token_type,
                    id_token,
                    refresh_token,
                    expires_at,
                    received_at,
                    id_token_expires_at,
                    scope,
                },
            )
    }

    proptest! {
        #[test]
        fn any_token_set_round_trips(tokens in any_token_set()) {
            prop_assert_eq!(decode(&encode(&tokens)).unwrap(), tokens);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn truncated_record_error_never_quotes_tokens(cut in 0usize..400) {
            let tokens = TokenSet {
                access_token: "secret-access-token".to_string(),
                refresh_token: Some("secret-refresh-token".to_string()),
                ..tokens()
            };
            let bytes = encode(&tokens);
            let cut = cut.min(bytes.len() - 1);
            let error = decode(&bytes[..cut]).unwrap_err();
            prop_assert!(!error.contains("secret"), "{}", error);
        }
    }
}
