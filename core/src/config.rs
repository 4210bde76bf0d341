//! Configuration: the app's `AuthConfig`, its validation, and the provider's
//! endpoints (fixed for Auth0, discovered for any other provider).

use url::Url;

/// See the UDL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthConfig {
    pub domain: Option<String>,
    pub issuer: Option<String>,
    pub client_id: String,
    pub audience: Option<String>,
    pub scope: String,
    pub redirect_uri: String,
    pub leeway_seconds: u32,
    pub timeout_ms: u32,
}

/// Where the provider's endpoints come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderLocation {
    /// An Auth0 tenant: endpoints at fixed paths below `base`, issuer `{base}/`.
    Auth0 { base: Url },
    /// Any OpenID Connect provider: endpoints from its discovery document.
    Issuer { issuer: Url },
}

/// A checked configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidConfig {
    pub location: ProviderLocation,
    pub client_id: String,
    pub audience: Option<String>,
    pub scope: String,
    pub redirect_uri: String,
    pub leeway_seconds: u64,
    pub timeout: std::time::Duration,
}

/// The provider's endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The exact `iss` that id_tokens must carry.
    pub issuer: String,
    pub authorize: Url,
    pub token: Url,
    pub jwks: Url,
    pub revoke: Option<Url>,
    pub userinfo: Option<Url>,
    /// The legacy Auth0 `/delegation` endpoint.
    pub delegation: Option<Url>,
}

/// Checks `config`: exactly one of domain and issuer, a client id, a redirect
/// URI, and endpoints that are `https` or loopback `http`. The error text
/// names the field and what is wrong with it.
pub fn validate(config: &AuthConfig) -> Result<ValidConfig, String> {
    let _ = config;
    todo!("config::validate")
}

/// Returns the fixed endpoints of an Auth0 tenant at `base`.
pub fn auth0_endpoints(base: &Url) -> Endpoints {
    let _ = base;
    todo!("config::auth0_endpoints")
}

/// Reads the endpoints from an OpenID Connect discovery document, checking
/// that its `issuer` matches the configured one and that every endpoint is
/// `https` or loopback `http`.
pub fn endpoints_from_discovery(configured: &Url, document: &[u8]) -> Result<Endpoints, String> {
    let _ = (configured, document);
    todo!("config::endpoints_from_discovery")
}

/// Returns the address of the discovery document of `issuer`.
pub fn discovery_url(issuer: &Url) -> Url {
    let _ = issuer;
    todo!("config::discovery_url")
}
