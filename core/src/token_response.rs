//! Parsing the token endpoint's and `/delegation`'s JSON responses.

/// A successful token response. `Debug` never prints a token.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: String,
    /// `Bearer` when the provider sent none.
    pub token_type: String,
    /// Seconds, when present and readable.
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub scope: Option<String>,
}

/// An OAuth 2.0 error response (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub error: String,
    pub description: Option<String>,
}

/// Why a response body was not a token response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseError {
    /// The body is an OAuth error, even with a 2xx status.
    OAuth(OAuthError),
    /// The body is not the expected JSON. The text never quotes the body.
    Invalid(String),
}

/// Parses a 2xx token response body. A body with `error` is an OAuth error;
/// one without `access_token` is invalid.
pub fn parse_token_response(body: &[u8]) -> Result<TokenResponse, ResponseError> {
    let _ = body;
    todo!("token_response::parse_token_response")
}

/// Parses an error body of any status, when it is an OAuth error object.
pub fn parse_oauth_error(body: &[u8]) -> Option<OAuthError> {
    let _ = body;
    todo!("token_response::parse_oauth_error")
}

/// A successful `/delegation` response.
#[derive(Clone, PartialEq, Eq)]
pub struct DelegationResponse {
    pub id_token: String,
    pub token_type: String,
    pub expires_in: Option<u64>,
}

/// Parses a 2xx `/delegation` response body.
pub fn parse_delegation_response(body: &[u8]) -> Result<DelegationResponse, ResponseError> {
    let _ = body;
    todo!("token_response::parse_delegation_response")
}
