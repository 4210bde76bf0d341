//! Credentials and their expiry: plain values, no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::SessionError;
use crate::jwt;
use crate::token_response::TokenResponse;

/// The tokens of one session as the core keeps them. `Debug` never prints a
/// token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub access_token: String,
    pub token_type: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    /// Expiry of the access token, in Unix seconds.
    pub expires_at: i64,
    /// When the access token was received, in Unix seconds. With `expires_at`
    /// it gives the token's lifetime, which sizes the renewal margin.
    pub received_at: i64,
    /// The id_token's `exp` claim, in Unix seconds.
    pub id_token_expires_at: Option<i64>,
    pub scope: Option<String>,
}

impl TokenSet {
    /// Builds a token set from a token response received at `received_at`,
    /// keeping from `previous` what the response left out: a refresh
    /// response without `refresh_token` keeps the stored one, and one without
    /// `id_token` keeps the stored id_token and its expiry. A response
    /// without a readable `expires_in` gets `expires_at = received_at`, so it
    /// is due for renewal at once rather than valid forever.
    /// `id_token_expires_at` is the `exp` of the response's id_token.
    pub fn from_response(
        response: TokenResponse,
        received_at: i64,
        id_token_expires_at: Option<i64>,
        previous: Option<&TokenSet>,
    ) -> TokenSet {
        let expires_in = response
            .expires_in
            .map_or(0, |seconds| seconds.min(i64::MAX as u64 / 2) as i64);
        let (id_token, id_token_expires_at) = match response.id_token {
            Some(id_token) => (Some(id_token), id_token_expires_at),
            None => (
                previous.and_then(|tokens| tokens.id_token.clone()),
                previous.and_then(|tokens| tokens.id_token_expires_at),
            ),
        };
        TokenSet {
            access_token: response.access_token,
            token_type: response.token_type,
            id_token,
            refresh_token: response
                .refresh_token
                .or_else(|| previous.and_then(|tokens| tokens.refresh_token.clone())),
            expires_at: received_at.saturating_add(expires_in),
            received_at,
            id_token_expires_at,
            scope: response
                .scope
                .or_else(|| previous.and_then(|tokens| tokens.scope.clone())),
        }
    }

    /// Lifetime of the access token as issued, in seconds.
    pub fn lifetime(&self) -> u64 {
        self.expires_at.saturating_sub(self.received_at).max(0) as u64
    }

    /// Seconds the access token has left at `now`, negative once expired.
    pub fn access_token_ttl(&self, now: i64) -> i64 {
        self.expires_at.saturating_sub(now)
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .field("received_at", &self.received_at)
            .field("id_token_expires_at", &self.id_token_expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

/// The exported credentials object. It wraps a `TokenSet` so that generated
/// Kotlin and Swift code can only reach the tokens through accessors.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub(crate) tokens: TokenSet,
}

impl Credentials {
    /// Creates credentials from tokens that the app obtained itself.
    /// `expires_in_seconds` counts from now. Rejects an `id_token` that is not
    /// a readable JWT, since its expiry and subject are read from it.
    pub fn new(
        access_token: String,
        token_type: String,
        id_token: Option<String>,
        refresh_token: Option<String>,
        expires_in_seconds: u64,
        scope: Option<String>,
    ) -> Result<Self, SessionError> {
        let now = Clock::system().now();
        let id_token_expires_at = match &id_token {
            Some(token) => jwt::decode(token)
                .map_err(|message| SessionError::InvalidIdToken { message })?
                .claims
                .exp
                .map(|exp| exp as i64),
            None => None,
        };
        Ok(Credentials {
            tokens: TokenSet {
                access_token,
                token_type,
                id_token,
                refresh_token,
                expires_at: now.saturating_add(expires_in_seconds.min(i64::MAX as u64) as i64),
                received_at: now,
                id_token_expires_at,
                scope,
            },
        })
    }

    pub(crate) fn from_tokens(tokens: TokenSet) -> Self {
        Credentials { tokens }
    }

    pub fn tokens(&self) -> &TokenSet {
        &self.tokens
    }

    pub fn access_token(&self) -> String {
        self.tokens.access_token.clone()
    }

    pub fn token_type(&self) -> String {
        self.tokens.token_type.clone()
    }

    pub fn id_token(&self) -> Option<String> {
        self.tokens.id_token.clone()
    }

    pub fn refresh_token(&self) -> Option<String> {
        self.tokens.refresh_token.clone()
    }

    pub fn expires_at(&self) -> i64 {
        self.tokens.expires_at
    }

    pub fn id_token_expires_at(&self) -> Option<i64> {
        self.tokens.id_token_expires_at
    }

    pub fn scope(&self) -> Option<String> {
        self.tokens.scope.clone()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.tokens.fmt(f)
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Credentials(token_type: {}, expires_at: {}, id_token_expires_at: {}, scope: {}, refresh_token: {})",
            self.tokens.token_type,
            self.tokens.expires_at,
            self.tokens
                .id_token_expires_at
                .map_or("none".to_string(), |exp| exp.to_string()),
            self.tokens.scope.as_deref().unwrap_or("none"),
            if self.tokens.refresh_token.is_some() { "present" } else { "none" },
        )
    }
}

/// A new id_token from the legacy `/delegation` endpoint.
#[derive(Clone, PartialEq, Eq)]
pub struct Delegation {
    pub(crate) id_token: String,
    pub(crate) token_type: String,
    pub(crate) expires_in: u64,
}

impl Delegation {
    pub fn id_token(&self) -> String {
        self.id_token.clone()
    }

    pub fn token_type(&self) -> String {
        self.token_type.clone()
    }

    pub fn expires_in(&self) -> u64 {
        self.expires_in
    }
}

impl fmt::Debug for Delegation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Delegation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Delegation(id_token: <redacted>, token_type: {}, expires_in: {})",
            self.token_type, self.expires_in
        )
    }
}
