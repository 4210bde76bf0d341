//! Start-up settings of a [`DevIdp`](crate::DevIdp).

use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

/// Settings of a [`DevIdp`](crate::DevIdp). Every field has a default; set
/// the ones a test cares about with struct update syntax:
///
/// ```
/// use std::time::Duration;
/// let options = dev_idp::Options {
///     rotation: false,
///     access_token_lifetime: Duration::from_secs(2),
///     ..Default::default()
/// };
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// Port to bind on 127.0.0.1; 0 picks a free port. Default 0.
    pub port: u16,
    /// The one client id the server accepts. Default `dev-client`.
    pub client_id: String,
    /// Redirect URIs that `/authorize` accepts. Empty accepts any. Default
    /// empty.
    pub redirect_uris: Vec<String>,
    /// Whether a refresh_token grant returns a new refresh token and
    /// invalidates the old one. Default true.
    pub rotation: bool,
    /// Whether presenting a refresh token that rotation already replaced
    /// revokes the whole grant (the newest refresh token and its access
    /// tokens), as Auth0 does. Default false, so that an old token is only
    /// rejected.
    pub reuse_detection: bool,
    /// Lifetime of access tokens; `expires_in` reports whole seconds.
    /// Default 1 hour.
    pub access_token_lifetime: Duration,
    /// Lifetime of id_tokens (their `exp - iat`), also the `expires_in` of
    /// `/delegation`. Default 10 hours, Auth0's default.
    pub id_token_lifetime: Duration,
    /// Absolute lifetime of a grant's refresh tokens, counted from the
    /// code exchange; rotation does not extend it. `None` (the default)
    /// never expires them.
    pub refresh_token_lifetime: Option<Duration>,
    /// Delay before `/oauth/token` and `/delegation` handle a request.
    /// Default zero.
    pub latency: Duration,
    /// The user that `/authorize` approves.
    pub user: TestUser,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 0,
            client_id: "dev-client".to_owned(),
            redirect_uris: Vec::new(),
            rotation: true,
            reuse_detection: false,
            access_token_lifetime: Duration::from_secs(3600),
            id_token_lifetime: Duration::from_secs(36_000),
            refresh_token_lifetime: None,
            latency: Duration::ZERO,
            user: TestUser::default(),
        }
    }
}

/// The test user's profile, as the standard OpenID Connect claims. The
/// `profile` scope releases name, given_name, family_name, nickname,
/// picture and updated_at; the `email` scope releases email and
/// email_verified; `sub` is always present.
#[derive(Clone, Debug, Serialize)]
pub struct TestUser {
    pub sub: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub nickname: String,
    pub email: String,
    pub email_verified: bool,
    pub picture: String,
    /// Unix seconds, as OpenID Connect defines it. Auth0 sends an ISO 8601
    /// string instead; set a JSON string here to mimic that.
    pub updated_at: Value,
}

impl Default for TestUser {
    fn default() -> Self {
        TestUser {
            sub: "auth0|dev-user-1".to_owned(),
            name: "Ada Lovelace".to_owned(),
            given_name: "Ada".to_owned(),
            family_name: "Lovelace".to_owned(),
            nickname: "ada".to_owned(),
            email: "ada@example.com".to_owned(),
            email_verified: true,
            picture: "https://example.com/ada.png".to_owned(),
            updated_at: json!(1_700_000_000),
        }
    }
}
