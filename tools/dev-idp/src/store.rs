//! Authorization codes, grants and the tokens issued from them.
//!
//! A grant is what one code exchange creates: its scope, its current
//! refresh token (only with `offline_access`) and its access tokens.
//! Revoking the grant invalidates all of them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::tokens::{random_token, Scope};

/// How long an authorization code can be exchanged.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(60);

pub(crate) type GrantId = u64;

/// An issued, not yet exchanged authorization code.
pub(crate) struct PendingCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub scope: Scope,
    pub expires_at: Instant,
}

pub(crate) struct Grant {
    pub client_id: String,
    pub scope: Scope,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<Instant>,
}

pub(crate) struct AccessTokenRecord {
    pub grant: GrantId,
    pub scope: Scope,
    pub expires_at: Instant,
}

/// The state of a presented refresh token.
pub(crate) enum RefreshTokenLookup {
    /// The grant's current refresh token, not expired.
    Current(GrantId),
    /// A token that rotation already replaced, with the grant it belonged to.
    Retired(GrantId),
    /// Expired, revoked or never issued.
    Unknown,
}

/// The outcome of redeeming an authorization code.
pub(crate) enum CodeRedemption {
    Valid(PendingCode),
    /// The code was exchanged before; the grant it created was revoked
    /// (RFC 6749 section 4.1.2).
    Reused,
    Unknown,
}

#[derive(Default)]
pub(crate) struct Store {
    codes: HashMap<String, PendingCode>,
    redeemed_codes: HashMap<String, Option<GrantId>>,
    grants: HashMap<GrantId, Grant>,
    refresh_tokens: HashMap<String, GrantId>,
    retired_refresh_tokens: HashMap<String, GrantId>,
    access_tokens: HashMap<String, AccessTokenRecord>,
    next_grant: GrantId,
}

impl Store {
    pub fn add_code(&mut self, code: PendingCode) -> String {
        let value = random_token();
        self.codes.insert(value.clone(), code);
        value
    }

    /// Takes a code out of the store, so that it works at most once.
    pub fn redeem_code(&mut self, code: &str) -> CodeRedemption {
        if let Some(grant) = self.redeemed_codes.get(code).copied() {
            if let Some(grant) = grant {
                self.revoke_grant(grant);
            }
            return CodeRedemption::Reused;
        }
        match self.codes.remove(code) {
            Some(pending) => {
                self.redeemed_codes.insert(code.to_owned(), None);
                if pending.expires_at <= Instant::now() {
                    CodeRedemption::Unknown
                } else {
                    CodeRedemption::Valid(pending)
                }
            }
            None => CodeRedemption::Unknown,
        }
    }

    /// Creates the grant of a redeemed code, with a refresh token when the
    /// scope has `offline_access`.
    pub fn create_grant(
        &mut self,
        code: &str,
        client_id: &str,
        scope: Scope,
        refresh_lifetime: Option<Duration>,
    ) -> GrantId {
        self.next_grant += 1;
        let id = self.next_grant;
        let refresh_token = scope.contains("offline_access").then(random_token);
        if let Some(token) = &refresh_token {
            self.refresh_tokens.insert(token.clone(), id);
        }
        self.grants.insert(
            id,
            Grant {
                client_id: client_id.to_owned(),
                scope,
                refresh_token,
                refresh_expires_at: refresh_lifetime.map(|lifetime| Instant::now() + lifetime),
            },
        );
        self.redeemed_codes.insert(code.to_owned(), Some(id));
        id
    }

    pub fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.grants.get(&id)
    }

    pub fn lookup_refresh_token(&self, token: &str) -> RefreshTokenLookup {
        if let Some(&id) = self.refresh_tokens.get(token) {
            let expired = self
                .grants
                .get(&id)
                .and_then(|grant| grant.refresh_expires_at)
                .is_some_and(|expires_at| expires_at <= Instant::now());
            if !expired {
                return RefreshTokenLookup::Current(id);
            }
        }
        match self.retired_refresh_tokens.get(token) {
            Some(&id) => RefreshTokenLookup::Retired(id),
            None => RefreshTokenLookup::Unknown,
        }
    }

    /// Replaces the grant's refresh token with a new one and returns it.
    pub fn rotate_refresh_token(&mut self, id: GrantId) -> Option<String> {
        let grant = self.grants.get_mut(&id)?;
        let old = grant.refresh_token.take()?;
        self.refresh_tokens.remove(&old);
        self.retired_refresh_tokens.insert(old, id);
        let new = random_token();
        self.refresh_tokens.insert(new.clone(), id);
        grant.refresh_token = Some(new.clone());
        Some(new)
    }

    pub fn add_access_token(&mut self, grant: GrantId, scope: Scope, lifetime: Duration) -> String {
        let token = random_token();
        let record = AccessTokenRecord {
            grant,
            scope,
            expires_at: Instant::now() + lifetime,
        };
        self.access_tokens.insert(token.clone(), record);
        token
    }

    /// Returns the record of an access token that is neither expired nor
    /// revoked.
    pub fn valid_access_token(&self, token: &str) -> Option<&AccessTokenRecord> {
        self.access_tokens
            .get(token)
            .filter(|record| record.expires_at > Instant::now())
    }

    /// Removes a grant with its refresh token and access tokens. Retired
    /// refresh tokens of the grant stay known, so reusing one is still
    /// reported as reuse.
    pub fn revoke_grant(&mut self, id: GrantId) {
        if let Some(grant) = self.grants.remove(&id) {
            if let Some(token) = grant.refresh_token {
                self.refresh_tokens.remove(&token);
            }
        }
        self.access_tokens.retain(|_, record| record.grant != id);
    }

    /// Revokes what `token` is (RFC 7009): a current refresh token revokes
    /// its grant, an access token only itself. Returns whether anything was
    /// revoked.
    pub fn revoke_token(&mut self, token: &str) -> bool {
        if let Some(id) = self.refresh_tokens.get(token).copied() {
            self.revoke_grant(id);
            return true;
        }
        self.access_tokens.remove(token).is_some()
    }

    /// Revokes every grant and pending code, as an administrator ending all
    /// of the user's sessions would. Returns the number of grants revoked.
    pub fn revoke_all(&mut self) -> usize {
        let count = self.grants.len();
        let ids: Vec<GrantId> = self.grants.keys().copied().collect();
        for id in ids {
            self.revoke_grant(id);
        }
        self.codes.clear();
        self.access_tokens.clear();
        count
    }

    pub fn valid_refresh_tokens(&self) -> Vec<String> {
        self.refresh_tokens
            .keys()
            .filter(|token| {
                matches!(
                    self.lookup_refresh_token(token),
                    RefreshTokenLookup::Current(_)
                )
            })
            .cloned()
            .collect()
    }
}
