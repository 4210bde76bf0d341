//! id_token validation (OpenID Connect Core 1.0 §3.1.3.7): claims against the
//! expected values, and the signature against the provider's JWKS.

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use crate::jwt::Jwt;

/// The values an id_token is checked against.
#[derive(Clone, Debug)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// Required on login; `None` on renewal.
    pub nonce: Option<&'a str>,
    /// The subject of the stored id_token on renewal.
    pub sub: Option<&'a str>,
    pub leeway_seconds: u64,
    /// The device's current time, in Unix seconds.
    pub now: i64,
}

/// Why an id_token was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdTokenError {
    /// A claim or the signature is wrong.
    Invalid(String),
    /// `exp` or `iat` disagree with the device clock by more than the leeway.
    ClockSkew(String),
    /// No key in the JWKS has the token's `kid`: the caller refetches once.
    UnknownKey(String),
}

fn invalid(message: impl Into<String>) -> IdTokenError {
    IdTokenError::Invalid(message.into())
}

/// Checks `iss`, `aud`, `azp`, `sub`, `nonce`, then `exp`, `iat` and `nbf`.
///
/// Claims that name the wrong party are checked first, so a token that is both
/// foreign and stale is reported as invalid rather than as clock skew. The
/// time checks assume that the provider just issued the token, which is true
/// for every caller (login, renewal, delegation). So an `exp` in the past, or
/// an `iat` or `nbf` in the future, beyond the leeway means that the device
/// clock is wrong. `iat` is optional here, because some providers leave it out
/// of renewed tokens and `exp` already bounds the token's life.
pub fn check_claims(jwt: &Jwt, expected: &Expected<'_>) -> Result<(), IdTokenError> {
    let claims = &jwt.claims;

    match &claims.iss {
        None => return Err(invalid("the id_token has no iss claim")),
        Some(iss) if iss != expected.issuer => {
            return Err(invalid(format!(
                "the id_token issuer `{iss}` does not match the expected issuer `{}`",
                expected.issuer
            )))
        }
        Some(_) => {}
    }

    if claims.sub.as_deref().is_none_or(str::is_empty) {
        return Err(invalid("the id_token has no sub claim"));
    }

    if !claims
        .aud
        .iter()
        .any(|audience| audience == expected.client_id)
    {
        return Err(invalid(format!(
            "the id_token audience does not contain the client id `{}`",
            expected.client_id
        )));
    }
    match &claims.azp {
        Some(azp) if azp != expected.client_id => {
            return Err(invalid(format!(
                "the id_token azp `{azp}` is not the client id `{}`",
                expected.client_id
            )))
        }
        None if claims.aud.len() > 1 => {
            return Err(invalid(
                "the id_token has several audiences but no azp claim naming this client",
            ))
        }
        _ => {}
    }

    // The values are left out of these messages: the nonce is a login secret
    // and the subject is a user identifier.
    if let Some(nonce) = expected.nonce {
        match &claims.nonce {
            None => {
                return Err(invalid(
                    "the id_token has no nonce claim, but the login request sent one",
                ))
            }
            Some(claim) if claim != nonce => {
                return Err(invalid(
                    "the id_token nonce does not match the one the login request sent",
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(sub) = expected.sub {
        if claims.sub.as_deref() != Some(sub) {
            return Err(invalid(
                "the renewed id_token is for a different user: its sub differs from the stored one",
            ));
        }
    }

    check_times(jwt, expected)
}

fn check_times(jwt: &Jwt, expected: &Expected<'_>) -> Result<(), IdTokenError> {
    let claims = &jwt.claims;
    let now = expected.now as f64;
    let leeway = expected.leeway_seconds as f64;

    let exp = claims
        .exp
        .ok_or_else(|| invalid("the id_token has no exp claim"))?;
    if exp + leeway < now {
        return Err(IdTokenError::ClockSkew(format!(
            "the id_token expired {:.0} s before the device's current time, beyond the leeway \
             of {} s; the device clock may be ahead",
            now - exp,
            expected.leeway_seconds
        )));
    }
    if let Some(iat) = claims.iat {
        if iat > now + leeway {
            return Err(IdTokenError::ClockSkew(format!(
                "the id_token was issued {:.0} s after the device's current time, beyond the \
                 leeway of {} s; the device clock may be behind",
                iat - now,
                expected.leeway_seconds
            )));
        }
    }
    if let Some(nbf) = claims.nbf {
        if nbf > now + leeway {
            return Err(IdTokenError::ClockSkew(format!(
                "the id_token is not valid until {:.0} s after the device's current time, beyond \
                 the leeway of {} s; the device clock may be behind",
                nbf - now,
                expected.leeway_seconds
            )));
        }
    }
    Ok(())
}

/// Checks the signature with the matching key of `jwks` (a JWK Set document).
/// RS256 and ES256 at least; `none` and HMAC algorithms are rejected.
///
/// Supported: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384. The key is
/// the one whose `kid` equals the token's; a token without `kid` uses the only
/// key that fits its algorithm. Keys meant for encryption, keys whose own `alg`
/// differs from the token's, and keys this library cannot read are skipped, so
/// one odd key does not make the whole set unusable.
pub fn check_signature(jwt: &Jwt, jwks: &[u8]) -> Result<(), IdTokenError> {
    let algorithm = signing_algorithm(&jwt.header.alg)?;
    let keys = signing_keys(jwks, algorithm)?;

    let key = match &jwt.header.kid {
        Some(kid) => {
            let key = keys
                .iter()
                .find(|key| key.common.key_id.as_deref() == Some(kid.as_str()))
                .ok_or_else(|| {
                    IdTokenError::UnknownKey(format!(
                        "no signing key in the JWKS has the id_token's kid `{kid}`"
                    ))
                })?;
            if !key_fits(key, algorithm) {
                return Err(invalid(format!(
                    "the JWKS key `{kid}` is not a key for the id_token's alg {}",
                    jwt.header.alg
                )));
            }
            key
        }
        None => {
            let fitting: Vec<&Jwk> = keys.iter().filter(|key| key_fits(key, algorithm)).collect();
            match fitting[..] {
                [key] => key,
                [] => {
                    return Err(IdTokenError::UnknownKey(format!(
                        "the id_token has no kid and the JWKS has no {} key",
                        jwt.header.alg
                    )))
                }
                _ => {
                    return Err(invalid(format!(
                        "the id_token has no kid and the JWKS has {} {} keys, so the key \
                         cannot be chosen",
                        fitting.len(),
                        jwt.header.alg
                    )))
                }
            }
        }
    };

    let decoding_key = DecodingKey::from_jwk(key)
        .map_err(|_| invalid("the JWKS key for the id_token could not be read"))?;
    // RFC 7515 forbids padding, and the verifier expects none.
    let signature = jwt.signature.trim_end_matches('=');
    match jsonwebtoken::crypto::verify(
        signature,
        jwt.signing_input.as_bytes(),
        &decoding_key,
        algorithm,
    ) {
        Ok(true) => Ok(()),
        Ok(false) | Err(_) => Err(invalid(
            "the id_token signature does not match the provider's key",
        )),
    }
}

/// Maps the header's `alg` to an asymmetric algorithm. `none` would let anyone
/// forge a token, and an HMAC secret is the client's own secret, which a
/// public client (a mobile app) cannot keep.
fn signing_algorithm(alg: &str) -> Result<Algorithm, IdTokenError> {
    match alg {
        "RS256" => Ok(Algorithm::RS256),
        "RS384" => Ok(Algorithm::RS384),
        "RS512" => Ok(Algorithm::RS512),
        "PS256" => Ok(Algorithm::PS256),
        "PS384" => Ok(Algorithm::PS384),
        "PS512" => Ok(Algorithm::PS512),
        "ES256" => Ok(Algorithm::ES256),
        "ES384" => Ok(Algorithm::ES384),
        "none" => Err(invalid(
            "the id_token is unsigned (alg none), which is never accepted",
        )),
        "HS256" | "HS384" | "HS512" => Err(invalid(format!(
            "the id_token is signed with the symmetric alg {alg}, which is not accepted; \
             configure the provider to sign id_tokens with RS256 or ES256"
        ))),
        other => Err(invalid(format!(
            "the id_token alg `{other}` is not supported; configure the provider to sign \
             id_tokens with RS256 or ES256"
        ))),
    }
}

/// Reads the keys of a JWK Set that may verify signatures with `algorithm`.
fn signing_keys(jwks: &[u8], algorithm: Algorithm) -> Result<Vec<Jwk>, IdTokenError> {
    let document: Value =
        serde_json::from_slice(jwks).map_err(|_| invalid("the JWKS is not valid JSON"))?;
    let Some(Value::Array(entries)) = document.get("keys") else {
        return Err(invalid("the JWKS has no keys array"));
    };
    let keys = entries
        .iter()
        .filter_map(|entry| serde_json::from_value::<Jwk>(entry.clone()).ok())
        .filter(|key| {
            matches!(
                key.common.public_key_use,
                None | Some(PublicKeyUse::Signature)
            )
        })
        .filter(|key| {
            key.common.key_algorithm.is_none_or(|key_alg| {
                key_alg.to_string().parse::<Algorithm>().ok() == Some(algorithm)
            })
        })
        .collect();
    Ok(keys)
}

/// Tells whether `key` has the type (and for EC, the curve) that `algorithm`
/// needs.
fn key_fits(key: &Jwk, algorithm: Algorithm) -> bool {
    match (&key.algorithm, algorithm) {
        (
            AlgorithmParameters::RSA(_),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512,
        ) => true,
        (AlgorithmParameters::EllipticCurve(params), Algorithm::ES256) => {
            params.curve == EllipticCurve::P256
        }
        (AlgorithmParameters::EllipticCurve(params), Algorithm::ES384) => {
            params.curve == EllipticCurve::P384
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use jsonwebtoken::EncodingKey;
    use p256::ecdsa::signature::Signer;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    use serde_json::json;

    use super::*;
    use crate::jwt;

    const ISSUER: &str = "https://tenant.example.com/";
    const CLIENT_ID: &str = "client-1";
    const NOW: i64 = 1_700_000_000;

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Returns one RSA key shared by the whole test binary, because generating
    /// one takes a noticeable time in a debug build.
    fn rsa_key() -> &'static rsa::RsaPrivateKey {
        static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
        KEY.get_or_init(|| rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap())
    }

    fn ec_key() -> p256::ecdsa::SigningKey {
        p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap()
    }

    fn rsa_jwk(kid: &str) -> Value {
        let public = rsa_key().to_public_key();
        json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
               "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be())})
    }

    fn ec_jwk(kid: &str) -> Value {
        let point = ec_key().verifying_key().to_encoded_point(false);
        json!({"kty": "EC", "kid": kid, "crv": "P-256",
               "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())})
    }

    fn jwks(keys: &[Value]) -> Vec<u8> {
        json!({ "keys": keys }).to_string().into_bytes()
    }

    fn signing_input(header: &Value, claims: &Value) -> String {
        format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        )
    }

    fn sign_rsa(header: &Value, claims: &Value, algorithm: Algorithm) -> String {
        let input = signing_input(header, claims);
        let der = rsa_key().to_pkcs1_der().unwrap();
        let key = EncodingKey::from_rsa_der(der.as_bytes());
        let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &key, algorithm).unwrap();
        format!("{input}.{signature}")
    }

    fn sign_es256(header: &Value, claims: &Value) -> String {
        let input = signing_input(header, claims);
        let signature: p256::ecdsa::Signature = ec_key().sign(input.as_bytes());
        format!("{input}.{}", b64(&signature.to_bytes()))
    }

    fn claims() -> Value {
        json!({"iss": ISSUER, "sub": "user-1", "aud": CLIENT_ID, "exp": NOW + 3600,
               "iat": NOW, "nonce": "nonce-1"})
    }

    fn rs256_token(claims: &Value) -> jwt::Jwt {
        let header = json!({"alg": "RS256", "kid": "rsa-1"});
        jwt::decode(&sign_rsa(&header, claims, Algorithm::RS256)).unwrap()
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            client_id: CLIENT_ID,
            nonce: Some("nonce-1"),
            sub: None,
            leeway_seconds: 60,
            now: NOW,
        }
    }

    fn with_claim(name: &str, value: Value) -> Value {
        let mut claims = claims();
        claims[name] = value;
        claims
    }

    fn without_claim(name: &str) -> Value {
        let mut claims = claims();
        claims.as_object_mut().unwrap().remove(name);
        claims
    }

    fn check(claims: &Value) -> Result<(), IdTokenError> {
        check_claims(&rs256_token(claims), &expected())
    }

    fn assert_invalid(result: Result<(), IdTokenError>, fragment: &str) {
        match result {
            Err(IdTokenError::Invalid(message)) => {
                assert!(message.contains(fragment), "{message}")
            }
            other => panic!("expected Invalid containing `{fragment}`, got {other:?}"),
        }
    }

    fn assert_clock_skew(result: Result<(), IdTokenError>, fragment: &str) {
        match result {
            Err(IdTokenError::ClockSkew(message)) => {
                assert!(message.contains(fragment), "{message}")
            }
            other => panic!("expected ClockSkew containing `{fragment}`, got {other:?}"),
        }
    }

    #[test]
    fn good_claims_pass() {
        assert_eq!(check(&claims()), Ok(()));
    }

    #[test]
    fn wrong_issuer_is_invalid() {
        assert_invalid(
            check(&with_claim("iss", json!("https://evil.example.com/"))),
            "does not match the expected issuer",
        );
    }

    #[test]
    fn issuer_without_trailing_slash_is_invalid() {
        assert_invalid(
            check(&with_claim("iss", json!("https://tenant.example.com"))),
            "issuer",
        );
    }

    #[test]
    fn missing_issuer_is_invalid() {
        assert_invalid(check(&without_claim("iss")), "no iss");
    }

    #[test]
    fn missing_sub_is_invalid() {
        assert_invalid(check(&without_claim("sub")), "no sub");
    }

    #[test]
    fn audience_without_client_id_is_invalid() {
        assert_invalid(
            check(&with_claim("aud", json!("other-client"))),
            "does not contain the client id",
        );
    }

    #[test]
    fn several_audiences_with_matching_azp_pass() {
        let mut claims = with_claim("aud", json!([CLIENT_ID, "https://api.example.com"]));
        claims["azp"] = json!(CLIENT_ID);
        assert_eq!(check(&claims), Ok(()));
    }

    #[test]
    fn several_audiences_without_azp_are_invalid() {
        let claims = with_claim("aud", json!([CLIENT_ID, "https://api.example.com"]));
        assert_invalid(check(&claims), "no azp");
    }

    #[test]
    fn azp_naming_another_client_is_invalid() {
        assert_invalid(check(&with_claim("azp", json!("other-client"))), "azp");
    }

    #[test]
    fn single_audience_with_matching_azp_passes() {
        assert_eq!(check(&with_claim("azp", json!(CLIENT_ID))), Ok(()));
    }

    #[test]
    fn wrong_nonce_is_invalid_without_quoting_it() {
        let result = check(&with_claim("nonce", json!("attacker-nonce")));
        assert_invalid(result.clone(), "nonce does not match");
        let Err(IdTokenError::Invalid(message)) = result else {
            unreachable!()
        };
        assert!(!message.contains("attacker-nonce"), "{message}");
        assert!(!message.contains("nonce-1"), "{message}");
    }

    #[test]
    fn missing_nonce_on_login_is_invalid() {
        assert_invalid(check(&without_claim("nonce")), "no nonce");
    }

    #[test]
    fn missing_nonce_on_renewal_passes() {
        let expected = Expected {
            nonce: None,
            ..expected()
        };
        assert_eq!(
            check_claims(&rs256_token(&without_claim("nonce")), &expected),
            Ok(())
        );
    }

    #[test]
    fn renewed_token_for_same_sub_passes() {
        let expected = Expected {
            sub: Some("user-1"),
            ..expected()
        };
        assert_eq!(check_claims(&rs256_token(&claims()), &expected), Ok(()));
    }

    #[test]
    fn renewed_token_for_other_sub_is_invalid() {
        let expected = Expected {
            sub: Some("user-2"),
            ..expected()
        };
        let result = check_claims(&rs256_token(&claims()), &expected);
        assert_invalid(result.clone(), "different user");
        let Err(IdTokenError::Invalid(message)) = result else {
            unreachable!()
        };
        assert!(!message.contains("user-1"), "{message}");
    }

    #[test]
    fn missing_exp_is_invalid() {
        assert_invalid(check(&without_claim("exp")), "no exp");
    }

    #[test]
    fn exp_past_beyond_leeway_is_clock_skew() {
        assert_clock_skew(
            check(&with_claim("exp", json!(NOW - 61))),
            "clock may be ahead",
        );
    }

    #[test]
    fn exp_past_within_leeway_passes() {
        assert_eq!(check(&with_claim("exp", json!(NOW - 59))), Ok(()));
    }

    #[test]
    fn fractional_exp_within_leeway_passes() {
        assert_eq!(check(&with_claim("exp", json!(NOW as f64 - 59.5))), Ok(()));
    }

    #[test]
    fn iat_future_beyond_leeway_is_clock_skew() {
        assert_clock_skew(
            check(&with_claim("iat", json!(NOW + 61))),
            "clock may be behind",
        );
    }

    #[test]
    fn iat_future_within_leeway_passes() {
        assert_eq!(check(&with_claim("iat", json!(NOW + 60))), Ok(()));
    }

    #[test]
    fn missing_iat_passes() {
        assert_eq!(check(&without_claim("iat")), Ok(()));
    }

    #[test]
    fn nbf_future_beyond_leeway_is_clock_skew() {
        assert_clock_skew(
            check(&with_claim("nbf", json!(NOW + 120))),
            "not valid until",
        );
    }

    #[test]
    fn foreign_and_expired_token_is_invalid_not_skew() {
        let mut claims = with_claim("aud", json!("other-client"));
        claims["exp"] = json!(NOW - 3600);
        assert_invalid(check(&claims), "client id");
    }

    #[test]
    fn rs256_signature_verifies() {
        let jwt = rs256_token(&claims());
        assert_eq!(check_signature(&jwt, &jwks(&[rsa_jwk("rsa-1")])), Ok(()));
    }

    #[test]
    fn es256_signature_verifies() {
        let token = sign_es256(&json!({"alg": "ES256", "kid": "ec-1"}), &claims());
        let jwt = jwt::decode(&token).unwrap();
        let set = jwks(&[rsa_jwk("rsa-1"), ec_jwk("ec-1")]);
        assert_eq!(check_signature(&jwt, &set), Ok(()));
    }

    #[test]
    fn ps256_signature_verifies() {
        let header = json!({"alg": "PS256", "kid": "rsa-1"});
        let token = sign_rsa(&header, &claims(), Algorithm::PS256);
        let mut key = rsa_jwk("rsa-1");
        key.as_object_mut().unwrap().remove("alg");
        let jwt = jwt::decode(&token).unwrap();
        assert_eq!(check_signature(&jwt, &jwks(&[key])), Ok(()));
    }

    #[test]
    fn padded_signature_verifies() {
        let token = sign_es256(&json!({"alg": "ES256", "kid": "ec-1"}), &claims());
        // A 64-byte ES256 signature encodes to 86 characters, 2 short of 4n.
        let jwt = jwt::decode(&format!("{token}==")).unwrap();
        assert_eq!(check_signature(&jwt, &jwks(&[ec_jwk("ec-1")])), Ok(()));
    }

    #[test]
    fn tampered_payload_fails() {
        let token = sign_rsa(
            &json!({"alg": "RS256", "kid": "rsa-1"}),
            &claims(),
            Algorithm::RS256,
        );
        let segments: Vec<&str> = token.split('.').collect();
        let forged = b64(with_claim("sub", json!("admin")).to_string().as_bytes());
        let tampered = format!("{}.{forged}.{}", segments[0], segments[2]);
        let jwt = jwt::decode(&tampered).unwrap();
        assert_invalid(
            check_signature(&jwt, &jwks(&[rsa_jwk("rsa-1")])),
            "signature does not match",
        );
    }

    #[test]
    fn tampered_signature_fails() {
        let token = sign_es256(&json!({"alg": "ES256", "kid": "ec-1"}), &claims());
        let (input, signature) = token.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        bytes[10] ^= 0x01;
        let jwt = jwt::decode(&format!("{input}.{}", b64(&bytes))).unwrap();
        assert_invalid(
            check_signature(&jwt, &jwks(&[ec_jwk("ec-1")])),
            "signature does not match",
        );
    }

    #[test]
    fn signature_by_other_key_of_same_kid_fails() {
        let token = sign_es256(&json!({"alg": "ES256", "kid": "ec-1"}), &claims());
        let other = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
        let point = other.verifying_key().to_encoded_point(false);
        let key = json!({"kty": "EC", "kid": "ec-1", "crv": "P-256",
                         "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())});
        let jwt = jwt::decode(&token).unwrap();
        assert_invalid(check_signature(&jwt, &jwks(&[key])), "signature");
    }

    #[test]
    fn unknown_kid_is_unknown_key() {
        let jwt = rs256_token(&claims());
        let result = check_signature(&jwt, &jwks(&[rsa_jwk("rsa-2")]));
        assert!(
            matches!(result, Err(IdTokenError::UnknownKey(_))),
            "{result:?}"
        );
    }

    #[test]
    fn missing_kid_uses_only_fitting_key() {
        let token = sign_rsa(&json!({"alg": "RS256"}), &claims(), Algorithm::RS256);
        let jwt = jwt::decode(&token).unwrap();
        let set = jwks(&[ec_jwk("ec-1"), rsa_jwk("rsa-1")]);
        assert_eq!(check_signature(&jwt, &set), Ok(()));
    }

    #[test]
    fn missing_kid_with_several_fitting_keys_is_invalid() {
        let token = sign_rsa(&json!({"alg": "RS256"}), &claims(), Algorithm::RS256);
        let jwt = jwt::decode(&token).unwrap();
        let set = jwks(&[rsa_jwk("rsa-1"), rsa_jwk("rsa-2")]);
        assert_invalid(check_signature(&jwt, &set), "cannot be chosen");
    }

    #[test]
    fn missing_kid_without_fitting_key_is_unknown_key() {
        let token = sign_rsa(&json!({"alg": "RS256"}), &claims(), Algorithm::RS256);
        let jwt = jwt::decode(&token).unwrap();
        let result = check_signature(&jwt, &jwks(&[ec_jwk("ec-1")]));
        assert!(
            matches!(result, Err(IdTokenError::UnknownKey(_))),
            "{result:?}"
        );
    }

    #[test]
    fn kid_of_key_with_other_type_is_invalid() {
        // An RS256 token naming an EC key must not be checked with that key.
        let token = sign_rsa(
            &json!({"alg": "RS256", "kid": "ec-1"}),
            &claims(),
            Algorithm::RS256,
        );
        let jwt = jwt::decode(&token).unwrap();
        let mut key = ec_jwk("ec-1");
        key.as_object_mut().unwrap().remove("alg");
        assert_invalid(check_signature(&jwt, &jwks(&[key])), "not a key for");
    }

    #[test]
    fn alg_none_is_invalid() {
        let input = signing_input(&json!({"alg": "none", "kid": "rsa-1"}), &claims());
        let jwt = jwt::decode(&format!("{input}.")).unwrap();
        assert_invalid(
            check_signature(&jwt, &jwks(&[rsa_jwk("rsa-1")])),
            "alg none",
        );
    }

    #[test]
    fn hs256_is_invalid() {
        let input = signing_input(&json!({"alg": "HS256", "kid": "rsa-1"}), &claims());
        let key = EncodingKey::from_secret(b"client-secret");
        let signature =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::HS256).unwrap();
        let jwt = jwt::decode(&format!("{input}.{signature}")).unwrap();
        let set = jwks(&[json!({"kty": "oct", "kid": "rsa-1", "k": b64(b"client-secret")})]);
        assert_invalid(check_signature(&jwt, &set), "symmetric");
    }

    #[test]
    fn unsupported_alg_is_invalid() {
        let input = signing_input(&json!({"alg": "EdDSA", "kid": "k"}), &claims());
        let jwt = jwt::decode(&format!("{input}.c2ln")).unwrap();
        assert_invalid(check_signature(&jwt, &jwks(&[])), "not supported");
    }

    #[test]
    fn encryption_key_is_skipped() {
        let jwt = rs256_token(&claims());
        let mut key = rsa_jwk("rsa-1");
        key["use"] = json!("enc");
        let result = check_signature(&jwt, &jwks(&[key]));
        assert!(
            matches!(result, Err(IdTokenError::UnknownKey(_))),
            "{result:?}"
        );
    }

    #[test]
    fn unreadable_key_is_skipped() {
        let jwt = rs256_token(&claims());
        let odd = json!({"kty": "XYZ", "kid": "odd"});
        assert_eq!(
            check_signature(&jwt, &jwks(&[odd, rsa_jwk("rsa-1")])),
            Ok(())
        );
    }

    #[test]
    fn jwks_that_is_not_json_is_invalid() {
        let jwt = rs256_token(&claims());
        assert_invalid(check_signature(&jwt, b"<html>"), "not valid JSON");
    }

    #[test]
    fn jwks_without_keys_is_invalid() {
        let jwt = rs256_token(&claims());
        assert_invalid(check_signature(&jwt, br#"{"k":[]}"#), "no keys array");
    }
}
