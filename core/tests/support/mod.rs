//! Real identity providers for the integration tests, and the scripted login
//! that replaces the user's browser.

pub mod login;
pub mod node_provider;

use std::any::Any;

use dev_idp::DevIdp;
use session_core::AuthConfig;

use node_provider::NodeProvider;

/// Client id that every provider under test has registered for the app.
pub const CLIENT_ID: &str = node_provider::CLIENT_ID;

/// Redirect URI that every provider under test has registered for the app.
pub const REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// Scope that the tests log in with; `offline_access` requests a refresh token.
pub const SCOPE: &str = "openid profile email offline_access";

/// The user that a provider logs in, as its id_token and userinfo show it.
#[derive(Clone, Debug)]
pub struct ExpectedUser {
    pub sub: String,
    pub name: String,
    pub email: String,
}

/// How the app configuration names the dev identity provider.
pub enum DevIdpAddress {
    /// `domain`: the fixed Auth0 paths below the base URL.
    Auth0Domain,
    /// `issuer`: endpoints read from the discovery document.
    Discovery,
}

/// A provider running for one test, with the app configuration that reaches
/// it. Dropping it stops the provider.
pub struct TestProvider {
    config: AuthConfig,
    user: ExpectedUser,
    // The running server, a `NodeProvider` or a `DevIdp`, kept only so that
    // dropping `TestProvider` stops it.
    _server: Box<dyn Any + Send>,
}

impl TestProvider {
    /// Starts oidc-provider, signing id_tokens with `id_token_alg` (`RS256`
    /// or `ES256`), and configures the app with its issuer for discovery.
    pub fn oidc_provider(id_token_alg: &str) -> TestProvider {
        let server = NodeProvider::start(&[("OIDC_ID_TOKEN_ALG", id_token_alg)]);
        let config = AuthConfig {
            issuer: Some(server.issuer().to_owned()),
            ..app_config()
        };
        TestProvider {
            config,
            user: ExpectedUser {
                sub: login::LOGIN_NAME.to_owned(),
                name: "Test User".to_owned(),
                email: "test.user@example.com".to_owned(),
            },
            _server: Box::new(server),
        }
    }

    /// Starts the dev identity provider on the calling tokio runtime, with
    /// the same client, redirect URI and refresh token policy as
    /// oidc-provider, and configures the app to reach it through `address`.
    pub async fn dev_idp(address: DevIdpAddress) -> TestProvider {
        let server = DevIdp::start(dev_idp::Options {
            client_id: CLIENT_ID.to_owned(),
            redirect_uris: vec![REDIRECT_URI.to_owned()],
            rotation: true,
            // oidc-provider revokes the whole grant when a replaced refresh
            // token comes back, so the dev identity provider does the same.
            reuse_detection: true,
            ..Default::default()
        })
        .await
        .unwrap_or_else(|error| panic!("starting the dev identity provider failed: {error}"));
        let config = match address {
            DevIdpAddress::Auth0Domain => AuthConfig {
                domain: Some(server.base_url()),
                ..app_config()
            },
            DevIdpAddress::Discovery => AuthConfig {
                issuer: Some(server.issuer()),
                ..app_config()
            },
        };
        let user = server.user();
        TestProvider {
            config,
            user: ExpectedUser {
                sub: user.sub.clone(),
                name: user.name.clone(),
                email: user.email.clone(),
            },
            _server: Box::new(server),
        }
    }

    /// Returns the app configuration for this provider.
    pub fn config(&self) -> AuthConfig {
        self.config.clone()
    }

    pub fn user(&self) -> &ExpectedUser {
        &self.user
    }
}

/// Returns the app configuration shared by every provider, with neither
/// `domain` nor `issuer` set.
fn app_config() -> AuthConfig {
    AuthConfig {
        domain: None,
        issuer: None,
        client_id: CLIENT_ID.to_owned(),
        audience: None,
        scope: SCOPE.to_owned(),
        redirect_uri: REDIRECT_URI.to_owned(),
        leeway_seconds: 60,
        timeout_ms: 10_000,
    }
}
