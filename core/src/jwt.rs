//! Decoding a JWT (RFC 7519) without checking it: pure, no keys, no I/O.

use serde_json::{Map, Value};

use crate::UserProfile;

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

/// The JOSE header fields the core reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub alg: String,
    pub kid: Option<String>,
}

/// The claims the core reads, plus every claim as received.
#[derive(Clone, Debug, PartialEq)]
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

/// Decodes `token` (three base64url segments, padding optional, UTF-8 JSON).
/// The error text says which part is malformed, never the token.
pub fn decode(token: &str) -> Result<Jwt, String> {
    let _ = token;
    todo!("jwt::decode")
}

/// Builds the user profile from id_token claims.
pub fn user_profile(claims: &Claims) -> Result<UserProfile, String> {
    let _ = claims;
    todo!("jwt::user_profile")
}
