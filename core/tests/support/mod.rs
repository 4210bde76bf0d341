//! Real identity providers for the integration tests, and the scripted login
//! that replaces the user's browser.

pub mod login;
pub mod node_provider;

use std::collections::HashMap;

use session_core::AuthConfig;

use node_provider::NodeProvider;

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

/// A provider running for one test, with the app configuration that reaches
/// it. Dropping it stops the provider.
pub struct TestProvider {
    config: AuthConfig,
    authorize_parameters: HashMap<String, String>,
    user: ExpectedUser,
    _server: NodeProvider,
}

impl TestProvider {
    /// Starts oidc-provider, signing id_tokens with `id_token_alg` (`RS256`
    /// or `ES256`), and configures the app with its issuer for discovery.
    pub fn oidc_provider(id_token_alg: &str) -> TestProvider {
        let server = NodeProvider::start(&[("OIDC_ID_TOKEN_ALG", id_token_alg)]);
        let config = AuthConfig {
            issuer: Some(server.issuer().to_owned()),
            ..app_config(node_provider::CLIENT_ID)
        };
        // oidc-provider drops `offline_access`, and so issues no refresh
        // token, unless the user is asked for consent.
        let authorize_parameters = HashMap::from([("prompt".to_owned(), "consent".to_owned())]);
        TestProvider {
            config,
            authorize_parameters,
            user: ExpectedUser {
                sub: login::LOGIN_NAME.to_owned(),
                name: "Test User".to_owned(),
                email: "test.user@example.com".to_owned(),
            },
            _server: server,
        }
    }

    /// Returns the app configuration for this provider.
    pub fn config(&self) -> AuthConfig {
        self.config.clone()
    }

    /// Returns the extra parameters of the authorize URL that this provider needs.
    pub fn authorize_parameters(&self) -> HashMap<String, String> {
        self.authorize_parameters.clone()
    }

    pub fn user(&self) -> &ExpectedUser {
        &self.user
    }
}

/// Returns the app configuration shared by every provider, with neither
/// `domain` nor `issuer` set.
fn app_config(client_id: &str) -> AuthConfig {
    AuthConfig {
        domain: None,
        issuer: None,
        client_id: client_id.to_owned(),
        audience: None,
        scope: SCOPE.to_owned(),
        redirect_uri: REDIRECT_URI.to_owned(),
        leeway_seconds: 60,
        timeout_ms: 10_000,
    }
}
