//! Entry points for the fuzz targets: each feeds arbitrary bytes to one
//! parser of untrusted input and discards the result. None may panic.

/// Parses `bytes` as a token endpoint response and as a `/delegation` one.
pub fn parse_token_response(bytes: &[u8]) {
    let _ = crate::token_response::parse_token_response(bytes);
    let _ = crate::token_response::parse_delegation_response(bytes);
    let _ = crate::token_response::parse_oauth_error(bytes);
}

/// Decodes `bytes` as a JWT, and reads a profile from its claims.
pub fn decode_jwt(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(jwt) = crate::jwt::decode(text) {
            let _ = crate::jwt::user_profile(&jwt.claims);
        }
    }
}

/// Decodes `bytes` as a stored session record.
pub fn decode_record(bytes: &[u8]) {
    let _ = crate::record::decode(bytes);
}
