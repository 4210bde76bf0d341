//! Request counters that tests read.

use std::collections::BTreeMap;

use serde::Serialize;

/// Requests received per endpoint, counted on arrival, so a request that a
/// fault replaced or dropped counts too. `/_dev/*` requests are not
/// counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub authorize_requests: u64,
    /// `/oauth/token` requests by their `grant_type` parameter; a request
    /// without one counts under `""`.
    pub token_requests: BTreeMap<String, u64>,
    pub delegation_requests: u64,
    pub revocation_requests: u64,
    pub userinfo_requests: u64,
    /// Refresh tokens that the token endpoint would accept right now.
    pub active_refresh_tokens: usize,
}

impl Stats {
    /// Returns the number of `/oauth/token` requests with this
    /// `grant_type`.
    pub fn token_requests_for(&self, grant_type: &str) -> u64 {
        self.token_requests.get(grant_type).copied().unwrap_or(0)
    }

    /// Returns the number of `/oauth/token` requests of any grant type.
    pub fn total_token_requests(&self) -> u64 {
        self.token_requests.values().sum()
    }
}
