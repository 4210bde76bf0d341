//! An RS256 signing key made once per test binary, its JWK Set, and JWTs
//! signed with it or left unsigned for tests that only decode.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

use super::secrets;

/// The key id that signed tokens name and the JWK Set lists.
pub const KID: &str = "fault-suite-key";

struct SigningKey {
    encoding: EncodingKey,
    jwk: Value,
}

fn signing_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .expect("generating the test RSA key failed");
        let der = private
            .to_pkcs1_der()
            .expect("encoding the test RSA key failed");
        let public = private.to_public_key();
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": KID,
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        });
        SigningKey {
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            jwk,
        }
    })
}

/// The JWK Set document that verifies `sign`'s tokens.
pub fn jwks() -> Value {
    json!({ "keys": [signing_key().jwk.clone()] })
}

/// Signs `claims` with RS256 under `KID`, and records the token.
pub fn sign(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KID.to_string());
    let token = jsonwebtoken::encode(&header, claims, &signing_key().encoding)
        .expect("signing a test JWT failed");
    secrets::record(&token);
    token
}

/// Builds a JWT for tests of decoding only: `header` is encoded,
/// `payload_segment` is used as given, and the signature is 32 random bytes.
/// The token is recorded.
pub fn unsigned(header: &Value, payload_segment: &str) -> String {
    let random: [u8; 32] = rand::random();
    let signature = encode_segment(&random);
    let token = format!(
        "{}.{payload_segment}.{signature}",
        encode_segment(header.to_string().as_bytes())
    );
    secrets::record(&token);
    token
}

/// Builds an unsigned JWT of `claims` with an RS256 header.
pub fn unsigned_claims(claims: &Value) -> String {
    unsigned(
        &rs256_header(),
        &encode_segment(claims.to_string().as_bytes()),
    )
}

/// The JOSE header of the tokens the tests make.
pub fn rs256_header() -> Value {
    json!({ "alg": "RS256", "typ": "JWT", "kid": KID })
}

/// Encodes a JWT segment as base64url without padding.
pub fn encode_segment(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The system clock in Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the system clock is before 1970")
        .as_secs() as i64
}

/// Standard id_token claims for `sub`, issued now (system clock) and valid
/// for `lifetime` seconds.
pub fn id_token_claims(issuer: &str, client_id: &str, sub: &str, lifetime: i64) -> Value {
    let now = now();
    json!({
        "iss": issuer,
        "sub": sub,
        "aud": client_id,
        "iat": now,
        "exp": now + lifetime,
        "name": "Test User",
        "email": "user@example.com",
    })
}
