//! Decoding a JWT (RFC 7519) without checking it: pure, no keys, no I/O.
//!
//! Time claims (`exp`, `iat`, `nbf`) are read as Unix seconds from an integer,
//! a fractional number, or a string that contains a number, because some
//! providers send strings. Any other value (a non-numeric string, a boolean,
//! an object) is rejected as malformed rather than treated as absent, so a
//! broken `exp` can never make a token look as if it never expires. JSON
//! `null` counts as absent.

use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{Map, Value};

use crate::UserProfile;

/// base64url that accepts segments with or without `=` padding (RFC 7515 §2
/// forbids padding, but some issuers add it).
const BASE64URL_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A decoded JWT. `Debug` never prints the token.
#[derive(Clone)]
pub struct Jwt {
    pub header: Header,
    pub claims: Claims,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    /// The signature segment, base64url as received.
    pub signature: String,
}

impl fmt::Debug for Jwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

/// The JOSE header fields the core reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub alg: String,
    pub kid: Option<String>,
}

/// The claims the core reads, plus every claim as received.
#[derive(Clone, PartialEq)]
pub struct Claims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    /// `aud` as a list, whether it was a string or an array.
    pub aud: Vec<String>,
    pub azp: Option<String>,
    /// Times in Unix seconds; fractional values are kept.
    pub exp: Option<f64>,
    pub iat: Option<f64>,
    pub nbf: Option<f64>,
    pub nonce: Option<String>,
    pub all: Map<String, Value>,
}

/// Prints the claims that identify the token, but neither the `nonce` (a login
/// secret) nor the values of other claims (personal data).
impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("azp", &self.azp)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("nbf", &self.nbf)
            .field("nonce", &self.nonce.as_ref().map(|_| "<redacted>"))
            .field("claim_names", &self.all.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Decodes `token` (three base64url segments, padding optional, UTF-8 JSON).
/// The error text says which part is malformed, never the token.
pub fn decode(token: &str) -> Result<Jwt, String> {
    let segments: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = segments[..] else {
        return Err(match segments.len() {
            5 => "the JWT has five segments, so it is encrypted (JWE), which is not supported"
                .to_string(),
            count => format!("the JWT does not have 3 dot-separated segments (found {count})"),
        });
    };

    let header_fields = decode_json_segment(header, "header")?;
    let alg = match header_fields.get("alg") {
        Some(Value::String(alg)) => alg.clone(),
        None | Some(Value::Null) => return Err("the JWT header has no alg".to_string()),
        Some(_) => return Err("the JWT header's alg is not a string".to_string()),
    };
    let kid = match header_fields.get("kid") {
        Some(Value::String(kid)) => Some(kid.clone()),
        None | Some(Value::Null) => None,
        Some(_) => return Err("the JWT header's kid is not a string".to_string()),
    };

    let claims = claims_from_object(decode_json_segment(payload, "payload")?)?;

    // The signature segment is decoded here only to reject garbage early; the
    // bytes are checked against a key in `id_token::check_signature`.
    decode_segment(signature, "signature")?;

    Ok(Jwt {
        header: Header { alg, kid },
        claims,
        signing_input: format!("{header}.{payload}"),
        signature: signature.to_string(),
    })
}

fn decode_segment(segment: &str, part: &str) -> Result<Vec<u8>, String> {
    BASE64URL_ANY_PADDING
        .decode(segment)
        .map_err(|_| format!("the JWT {part} is not valid base64url"))
}

fn decode_json_segment(segment: &str, part: &str) -> Result<Map<String, Value>, String> {
    let bytes = decode_segment(segment, part)?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("the JWT {part} is not valid UTF-8"))?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(format!("the JWT {part} is JSON but not an object")),
        Err(_) => Err(format!("the JWT {part} is not valid JSON")),
    }
}

/// Reads the claims the core uses from a JSON object of claims, such as a
/// decoded JWT payload or a userinfo response.
pub fn claims_from_object(all: Map<String, Value>) -> Result<Claims, String> {
    let aud = match all.get("aud") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(audience)) => vec![audience.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(audience) => Ok(audience.clone()),
                _ => Err("the JWT claim aud has an item that is not a string".to_string()),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("the JWT claim aud is neither a string nor an array".to_string()),
    };
    Ok(Claims {
        iss: string_claim(&all, "iss")?,
        sub: string_claim(&all, "sub")?,
        aud,
        azp: string_claim(&all, "azp")?,
        exp: time_claim(&all, "exp")?,
        iat: time_claim(&all, "iat")?,
        nbf: time_claim(&all, "nbf")?,
        nonce: string_claim(&all, "nonce")?,
        all,
    })
}

fn string_claim(all: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match all.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("the JWT claim {name} is not a string")),
    }
}

/// Reads a time claim by the rule in the module documentation.
fn time_claim(all: &Map<String, Value>, name: &str) -> Result<Option<f64>, String> {
    let seconds = match all.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(number)) => number.as_f64(),
        Some(Value::String(text)) => text.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    match seconds {
        Some(seconds) if seconds.is_finite() => Ok(Some(seconds)),
        _ => Err(format!("the JWT claim {name} is not a number of seconds")),
    }
}

/// Claims that describe the token rather than the user. `user_profile` leaves
/// them out of `extra_claims_json`, because they are checked by the core and
/// would only repeat the id_token's envelope. Authentication details that an
/// app may act on (`auth_time`, `acr`, `amr`, `sid`) stay in.
const TOKEN_CLAIMS: [&str; 11] = [
    "iss", "aud", "exp", "iat", "nbf", "jti", "nonce", "azp", "at_hash", "c_hash", "s_hash",
];

/// Builds the user profile from id_token claims.
///
/// A profile claim whose value has an unexpected type is not mapped to its
/// field and stays in `extra_claims_json` as received, so no data is lost.
/// `extra_claims_json` is a JSON object of every claim that is neither mapped
/// to a field nor one of the token claims above (`iss`, `aud`, `exp`, `iat`,
/// `nbf`, `jti`, `nonce`, `azp`, `at_hash`, `c_hash`, `s_hash`).
pub fn user_profile(claims: &Claims) -> Result<UserProfile, String> {
    let sub = claims
        .sub
        .clone()
        .ok_or_else(|| "the claims have no sub, so the user is unknown".to_string())?;
    let mut extra = claims.all.clone();
    extra.remove("sub");
    for name in TOKEN_CLAIMS {
        extra.remove(name);
    }

    let name = take_string(&mut extra, "name");
    let given_name = take_string(&mut extra, "given_name");
    let family_name = take_string(&mut extra, "family_name");
    let nickname = take_string(&mut extra, "nickname");
    let email = take_string(&mut extra, "email");
    let picture = take_string(&mut extra, "picture");
    let email_verified = take_mapped(&mut extra, "email_verified", read_bool);
    let updated_at = take_mapped(&mut extra, "updated_at", read_timestamp);

    Ok(UserProfile {
        sub,
        name,
        given_name,
        family_name,
        nickname,
        email,
        email_verified,
        picture,
        updated_at,
        extra_claims_json: Value::Object(extra).to_string(),
    })
}

fn take_string(extra: &mut Map<String, Value>, name: &str) -> Option<String> {
    take_mapped(extra, name, |value| value.as_str().map(str::to_string))
}

/// Removes `name` from `extra` when `read` can map its value, and returns the
/// mapped value. `null` is removed and maps to `None`.
fn take_mapped<T>(
    extra: &mut Map<String, Value>,
    name: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    let value = extra.get(name)?;
    if value.is_null() {
        extra.remove(name);
        return None;
    }
    let mapped = read(value)?;
    extra.remove(name);
    Some(mapped)
}

fn read_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Reads `updated_at`: Unix seconds per OpenID Connect Core §5.1, or an RFC 3339
/// date-time string as some providers (Auth0 among them) send.
fn read_timestamp(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|s| s.is_finite())
                .map(|s| s.floor() as i64)
        }),
        Value::String(text) => {
            let text = text.trim();
            if let Ok(seconds) = text.parse::<i64>() {
                return Some(seconds);
            }
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|moment| moment.unix_timestamp())
        }
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn encode_segment(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Builds an unsigned token with a dummy signature segment.
    pub(crate) fn token(header: &Value, claims: &Value) -> String {
        format!(
            "{}.{}.{}",
            encode_segment(header.to_string().as_bytes()),
            encode_segment(claims.to_string().as_bytes()),
            encode_segment(b"signature")
        )
    }

    fn rs256() -> Value {
        json!({"alg": "RS256", "typ": "JWT", "kid": "key-1"})
    }

    fn claims_of(claims: Value) -> Claims {
        decode(&token(&rs256(), &claims)).unwrap().claims
    }

    #[test]
    fn decode_reads_header_and_claims() {
        let token = token(
            &rs256(),
            &json!({"iss": "https://idp/", "sub": "user-1", "aud": "client-1",
                    "azp": "client-1", "exp": 1700000000, "iat": 1699990000,
                    "nbf": 1699990000, "nonce": "n-1"}),
        );
        let jwt = decode(&token).unwrap();
        assert_eq!(jwt.header.alg, "RS256");
        assert_eq!(jwt.header.kid.as_deref(), Some("key-1"));
        assert_eq!(jwt.claims.iss.as_deref(), Some("https://idp/"));
        assert_eq!(jwt.claims.sub.as_deref(), Some("user-1"));
        assert_eq!(jwt.claims.aud, vec!["client-1"]);
        assert_eq!(jwt.claims.azp.as_deref(), Some("client-1"));
        assert_eq!(jwt.claims.exp, Some(1_700_000_000.0));
        assert_eq!(jwt.claims.iat, Some(1_699_990_000.0));
        assert_eq!(jwt.claims.nbf, Some(1_699_990_000.0));
        assert_eq!(jwt.claims.nonce.as_deref(), Some("n-1"));
        let segments: Vec<&str> = token.split('.').collect();
        assert_eq!(
            jwt.signing_input,
            format!("{}.{}", segments[0], segments[1])
        );
        assert_eq!(jwt.signature, segments[2]);
    }

    #[test]
    fn segments_with_padding_are_accepted() {
        // A one-byte payload encodes to two characters plus `==`.
        let header = base64::engine::general_purpose::URL_SAFE.encode(rs256().to_string());
        let claims = base64::engine::general_purpose::URL_SAFE.encode(r#"{"sub":"ab"}"#);
        assert!(header.ends_with('=') || claims.ends_with('='));
        let jwt = decode(&format!("{header}.{claims}.c2ln")).unwrap();
        assert_eq!(jwt.claims.sub.as_deref(), Some("ab"));
    }

    #[test]
    fn segment_of_impossible_length_is_malformed() {
        let header = encode_segment(rs256().to_string().as_bytes());
        let claims = encode_segment(br#"{"sub":"a"}"#);
        // Five base64 characters (length 1 mod 4) cannot encode whole bytes.
        let error = decode(&format!("{header}.{claims}.abcde")).unwrap_err();
        assert_eq!(error, "the JWT signature is not valid base64url");
    }

    #[test]
    fn segment_with_standard_base64_characters_is_malformed() {
        let claims = encode_segment(br#"{"sub":"a"}"#);
        let error = decode(&format!("ab+/.{claims}.c2ln")).unwrap_err();
        assert_eq!(error, "the JWT header is not valid base64url");
    }

    #[test]
    fn wrong_segment_count_is_malformed() {
        assert!(decode("abc.def").unwrap_err().contains("found 2"));
        assert!(decode("a.b.c.d").unwrap_err().contains("found 4"));
        assert!(decode("a.b.c.d.e").unwrap_err().contains("JWE"));
        assert!(decode("").unwrap_err().contains("found 1"));
    }

    #[test]
    fn payload_that_is_not_utf8_is_malformed() {
        let header = encode_segment(rs256().to_string().as_bytes());
        let payload = encode_segment(&[0x7b, 0xff, 0xfe, 0x7d]);
        let error = decode(&format!("{header}.{payload}.c2ln")).unwrap_err();
        assert_eq!(error, "the JWT payload is not valid UTF-8");
    }

    #[test]
    fn payload_that_is_not_an_object_is_malformed() {
        let header = encode_segment(rs256().to_string().as_bytes());
        let payload = encode_segment(b"[1,2]");
        let error = decode(&format!("{header}.{payload}.c2ln")).unwrap_err();
        assert_eq!(error, "the JWT payload is JSON but not an object");
    }

    #[test]
    fn header_without_alg_is_malformed() {
        let token = token(&json!({"typ": "JWT"}), &json!({"sub": "a"}));
        assert_eq!(decode(&token).unwrap_err(), "the JWT header has no alg");
    }

    #[test]
    fn errors_never_contain_the_token() {
        let secret_payload = encode_segment(b"secret-claims-not-json");
        let token = format!(
            "{}.{secret_payload}.c2ln",
            encode_segment(rs256().to_string().as_bytes())
        );
        let error = decode(&token).unwrap_err();
        assert!(!error.contains(&secret_payload), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn fractional_times_are_kept() {
        let claims = claims_of(json!({"exp": 1700000000.75, "iat": 1699990000.5}));
        assert_eq!(claims.exp, Some(1_700_000_000.75));
        assert_eq!(claims.iat, Some(1_699_990_000.5));
    }

    #[test]
    fn numeric_string_times_are_accepted() {
        let claims = claims_of(json!({"exp": "1700000000", "nbf": " 1699990000.5 "}));
        assert_eq!(claims.exp, Some(1_700_000_000.0));
        assert_eq!(claims.nbf, Some(1_699_990_000.5));
    }

    #[test]
    fn non_numeric_time_is_rejected() {
        let error = decode(&token(&rs256(), &json!({"exp": "tomorrow"}))).unwrap_err();
        assert_eq!(error, "the JWT claim exp is not a number of seconds");
        let error = decode(&token(&rs256(), &json!({"iat": true}))).unwrap_err();
        assert_eq!(error, "the JWT claim iat is not a number of seconds");
    }

    #[test]
    fn null_time_counts_as_absent() {
        assert_eq!(claims_of(json!({"exp": null})).exp, None);
    }

    #[test]
    fn audience_as_string_becomes_list() {
        assert_eq!(claims_of(json!({"aud": "client-1"})).aud, vec!["client-1"]);
    }

    #[test]
    fn audience_as_array_is_kept() {
        let claims = claims_of(json!({"aud": ["client-1", "https://api"]}));
        assert_eq!(claims.aud, vec!["client-1", "https://api"]);
    }

    #[test]
    fn audience_of_other_type_is_rejected() {
        let error = decode(&token(&rs256(), &json!({"aud": 5}))).unwrap_err();
        assert!(error.contains("aud"), "{error}");
    }

    #[test]
    fn debug_output_hides_nonce_and_token() {
        let token = token(&rs256(), &json!({"sub": "a", "nonce": "secret-nonce"}));
        let debug = format!("{:?}", decode(&token).unwrap());
        assert!(!debug.contains("secret-nonce"), "{debug}");
        assert!(!debug.contains(token.split('.').nth(1).unwrap()), "{debug}");
    }

    #[test]
    fn profile_maps_standard_claims() {
        let claims = claims_of(json!({
            "sub": "auth0|123", "name": "Ada Lovelace", "given_name": "Ada",
            "family_name": "Lovelace", "nickname": "ada", "email": "ada@example.com",
            "email_verified": true, "picture": "https://example.com/ada.png",
            "updated_at": 1700000000
        }));
        let profile = user_profile(&claims).unwrap();
        assert_eq!(profile.sub, "auth0|123");
        assert_eq!(profile.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(profile.given_name.as_deref(), Some("Ada"));
        assert_eq!(profile.family_name.as_deref(), Some("Lovelace"));
        assert_eq!(profile.nickname.as_deref(), Some("ada"));
        assert_eq!(profile.email.as_deref(), Some("ada@example.com"));
        assert_eq!(profile.email_verified, Some(true));
        assert_eq!(
            profile.picture.as_deref(),
            Some("https://example.com/ada.png")
        );
        assert_eq!(profile.updated_at, Some(1_700_000_000));
        assert_eq!(profile.extra_claims_json, "{}");
    }

    #[test]
    fn profile_without_sub_is_rejected() {
        let error = user_profile(&claims_of(json!({"name": "x"}))).unwrap_err();
        assert!(error.contains("no sub"), "{error}");
    }

    #[test]
    fn profile_keeps_unicode_exactly() {
        for name in ["João Ñúñez", "Привет", "测试", "😀"] {
            let profile = user_profile(&claims_of(json!({"sub": "s", "name": name}))).unwrap();
            assert_eq!(profile.name.as_deref(), Some(name));
        }
    }

    #[test]
    fn profile_keeps_unicode_in_extra_claims() {
        let claims = claims_of(json!({"sub": "s", "city": "São Paulo 😀"}));
        let profile = user_profile(&claims).unwrap();
        let extra: Value = serde_json::from_str(&profile.extra_claims_json).unwrap();
        assert_eq!(extra["city"], "São Paulo 😀");
    }

    #[test]
    fn profile_reads_updated_at_as_rfc3339_string() {
        let claims = claims_of(json!({"sub": "s", "updated_at": "2023-11-14T22:13:20.000Z"}));
        assert_eq!(
            user_profile(&claims).unwrap().updated_at,
            Some(1_700_000_000)
        );
    }

    #[test]
    fn profile_reads_updated_at_with_offset() {
        let claims = claims_of(json!({"sub": "s", "updated_at": "2023-11-15T00:13:20+02:00"}));
        assert_eq!(
            user_profile(&claims).unwrap().updated_at,
            Some(1_700_000_000)
        );
    }

    #[test]
    fn profile_reads_updated_at_as_numeric_string() {
        let claims = claims_of(json!({"sub": "s", "updated_at": "1700000000"}));
        assert_eq!(
            user_profile(&claims).unwrap().updated_at,
            Some(1_700_000_000)
        );
    }

    #[test]
    fn profile_keeps_unreadable_updated_at_in_extra_claims() {
        let claims = claims_of(json!({"sub": "s", "updated_at": "last tuesday"}));
        let profile = user_profile(&claims).unwrap();
        assert_eq!(profile.updated_at, None);
        assert_eq!(
            profile.extra_claims_json,
            r#"{"updated_at":"last tuesday"}"#
        );
    }

    #[test]
    fn profile_reads_email_verified_as_string() {
        let verified = claims_of(json!({"sub": "s", "email_verified": "true"}));
        assert_eq!(user_profile(&verified).unwrap().email_verified, Some(true));
        let unverified = claims_of(json!({"sub": "s", "email_verified": "false"}));
        assert_eq!(
            user_profile(&unverified).unwrap().email_verified,
            Some(false)
        );
    }

    #[test]
    fn profile_extra_claims_leave_out_token_claims() {
        let claims = claims_of(json!({
            "sub": "s", "iss": "https://idp/", "aud": "c", "exp": 2, "iat": 1, "nbf": 1,
            "jti": "j", "nonce": "n", "azp": "c", "at_hash": "h", "c_hash": "h",
            "s_hash": "h", "auth_time": 1, "acr": "mfa", "https://example.com/roles": ["admin"]
        }));
        let profile = user_profile(&claims).unwrap();
        let extra: Map<String, Value> = serde_json::from_str(&profile.extra_claims_json).unwrap();
        let names: Vec<&str> = extra.keys().map(String::as_str).collect();
        assert_eq!(names, vec!["acr", "auth_time", "https://example.com/roles"]);
    }

    #[test]
    fn profile_keeps_mistyped_standard_claim_in_extra_claims() {
        let claims = claims_of(json!({"sub": "s", "email": ["a@example.com"]}));
        let profile = user_profile(&claims).unwrap();
        assert_eq!(profile.email, None);
        assert_eq!(profile.extra_claims_json, r#"{"email":["a@example.com"]}"#);
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics_on_any_text(text in ".{0,200}") {
            let _ = decode(&text);
        }

        #[test]
        fn decode_never_panics_on_any_segments(
            header in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            payload in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        ) {
            let token = format!("{}.{}.c2ln", encode_segment(&header), encode_segment(&payload));
            if let Err(error) = decode(&token) {
                proptest::prop_assert!(!error.contains(&token));
            }
        }

        #[test]
        fn any_time_claim_round_trips_as_string(seconds in -1.0e12f64..1.0e12) {
            let claims = claims_of(json!({"exp": seconds.to_string()}));
            proptest::prop_assert_eq!(claims.exp, Some(seconds));
        }
    }

    #[test]
    fn profile_treats_null_claim_as_absent() {
        let claims = claims_of(json!({"sub": "s", "name": null}));
        let profile = user_profile(&claims).unwrap();
        assert_eq!(profile.name, None);
        assert_eq!(profile.extra_claims_json, "{}");
    }
}
