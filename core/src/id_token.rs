//! id_token validation (OpenID Connect Core 1.0 §3.1.3.7): claims against the
//! expected values, and the signature against the provider's JWKS.

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

/// Checks `iss`, `aud`, `azp`, `exp`, `iat`, `nonce` and `sub`.
pub fn check_claims(jwt: &Jwt, expected: &Expected<'_>) -> Result<(), IdTokenError> {
    let _ = (jwt, expected);
    todo!("id_token::check_claims")
}

/// Checks the signature with the matching key of `jwks` (a JWK Set document).
/// RS256 and ES256 at least; `none` and HMAC algorithms are rejected.
pub fn check_signature(jwt: &Jwt, jwks: &[u8]) -> Result<(), IdTokenError> {
    let _ = (jwt, jwks);
    todo!("id_token::check_signature")
}
