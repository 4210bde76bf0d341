//! Session states reported to listeners, and the outcome of revocation.

/// See the UDL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedOutReason {
    NoCredentials,
    LoggedOut,
    RefreshTokenRejected,
    UnreadableRecord,
}

/// See the UDL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    SignedOut { reason: SignedOutReason },
    SignedIn,
    Renewing,
    StorageUnavailable,
}

/// See the UDL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationOutcome {
    NotRequested,
    NoRefreshToken,
    Revoked,
    Failed { message: String },
}

/// See the UDL.
pub trait SessionListener: Send + Sync {
    fn on_state_changed(&self, state: SessionState);
}
