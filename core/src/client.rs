//! The exported `AuthenticationClient`: one request per call, no storage.
//! The session manager uses the same client, so id_token validation and
//! error classification live here once.

use std::collections::HashMap;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::{self, AuthConfig};
use crate::credentials::{Credentials, Delegation, TokenSet};
use crate::error::{clean_message, from_provider, SessionError};
use crate::id_token::{self, Expected, IdTokenError};
use crate::jwt::{self, Jwt};
use crate::pkce::{self, AuthorizationRequest, AuthorizeParams};
use crate::provider::{DelegationInput, Provider, ProviderError};
use crate::runtime;
use crate::token_response::TokenResponse;
use crate::UserProfile;

/// See the UDL.
pub struct AuthenticationClient {
    provider: Arc<Provider>,
    clock: Clock,
}

impl AuthenticationClient {
    pub fn new(config: AuthConfig) -> Result<Self, SessionError> {
        Self::with_clock(config, Clock::system())
    }

    /// Creates a client whose time checks read `clock`.
    pub fn with_clock(config: AuthConfig, clock: Clock) -> Result<Self, SessionError> {
        let valid =
            config::validate(&config).map_err(|message| SessionError::Configuration { message })?;
        let provider = Provider::new(valid).map_err(|error| from_provider(error, &[]))?;
        Ok(AuthenticationClient {
            provider: Arc::new(provider),
            clock,
        })
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn provider(&self) -> &Arc<Provider> {
        &self.provider
    }

    fn handle(&self) -> AuthenticationClient {
        AuthenticationClient {
            provider: self.provider.clone(),
            clock: self.clock.clone(),
        }
    }

    pub async fn authorize(
        &self,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<AuthorizationRequest>, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            let endpoints = client
                .provider
                .endpoints()
                .await
                .map_err(|error| from_provider(error, &[]))?;
            let config = client.provider.config();
            let request = pkce::build(&AuthorizeParams {
                authorize_endpoint: &endpoints.authorize,
                client_id: &config.client_id,
                redirect_uri: &config.redirect_uri,
                scope: &config.scope,
                audience: config.audience.as_deref(),
                extra: &parameters,
            });
            Ok(Arc::new(request))
        })
        .await
    }

    pub async fn exchange_code(
        &self,
        request: Arc<AuthorizationRequest>,
        redirect_url: String,
    ) -> Result<Arc<Credentials>, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            let tokens = client.exchange_code_tokens(&request, &redirect_url).await?;
            tracing::info!(scope = ?tokens.scope, lifetime = tokens.lifetime(), "logged in");
            Ok(Arc::new(Credentials::from_tokens(tokens)))
        })
        .await
    }

    async fn exchange_code_tokens(
        &self,
        request: &AuthorizationRequest,
        redirect_url: &str,
    ) -> Result<TokenSet, SessionError> {
        let endpoints = self
            .provider
            .endpoints()
            .await
            .map_err(|error| from_provider(error, &[]))?;
        let code =
            pkce::read_redirect(request, redirect_url, &endpoints.issuer).map_err(|message| {
                SessionError::AuthorizationFailed {
                    message: clean_message(&message),
                }
            })?;
        let received_at = self.clock.now();
        let response = self
            .provider
            .exchange_code(&code, &request.code_verifier, &request.redirect_uri)
            .await
            .map_err(|error| match from_provider(error, &[&code]) {
                // An expired or reused code: the login must start over.
                SessionError::LoginRequired { message } => {
                    SessionError::AuthorizationFailed { message }
                }
                other => other,
            })?;
        let requested_openid = self
            .provider
            .config()
            .scope
            .split_whitespace()
            .any(|scope| scope == "openid");
        let id_token_expires_at = match &response.id_token {
            Some(token) => {
                let jwt = self
                    .verify_id_token(token, Some(&request.nonce), None)
                    .await?;
                jwt.claims.exp.map(|exp| exp as i64)
            }
            None if requested_openid => {
                return Err(SessionError::InvalidResponse {
                    message: "the token response has no id_token although the openid scope \
                              was requested"
                        .to_string(),
                })
            }
            None => None,
        };
        Ok(TokenSet::from_response(
            response,
            received_at,
            id_token_expires_at,
            None,
        ))
    }

    pub async fn renew(
        &self,
        refresh_token: String,
        scope: Option<String>,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<Credentials>, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            let received_at = client.clock.now();
            let response = client
                .refresh(&refresh_token, scope.as_deref(), &parameters)
                .await
                .map_err(|error| from_provider(error, &[&refresh_token]))?;
            let id_token_expires_at = client.check_new_id_token(&response, None).await?;
            let tokens = TokenSet::from_response(response, received_at, id_token_expires_at, None);
            Ok(Arc::new(Credentials::from_tokens(tokens)))
        })
        .await
    }

    pub async fn delegation_with_id_token(
        &self,
        id_token: String,
    ) -> Result<Arc<Delegation>, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            let sub = jwt::decode(&id_token).ok().and_then(|jwt| jwt.claims.sub);
            client
                .delegation(DelegationInput::IdToken(&id_token), sub.as_deref())
                .await
                .map(Arc::new)
        })
        .await
    }

    pub async fn delegation_with_refresh_token(
        &self,
        refresh_token: String,
    ) -> Result<Arc<Delegation>, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            client
                .delegation(DelegationInput::RefreshToken(&refresh_token), None)
                .await
                .map(Arc::new)
        })
        .await
    }

    pub async fn revoke(&self, refresh_token: String) -> Result<(), SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            client
                .provider
                .revoke(&refresh_token)
                .await
                .map_err(|error| from_provider(error, &[&refresh_token]))
        })
        .await
    }

    pub async fn user_info(&self, access_token: String) -> Result<UserProfile, SessionError> {
        let client = self.handle();
        runtime::spawn(async move {
            let body = client
                .provider
                .user_info(&access_token)
                .await
                .map_err(|error| from_provider(error, &[&access_token]))?;
            profile_from_json(&body).map_err(|message| SessionError::InvalidResponse { message })
        })
        .await
    }

    /// Sends a refresh token grant, retrying once when no response came back.
    /// The provider may have rotated the token before the response was lost, so
    /// a second try with the same token is the most this sends: a rotation
    /// that did happen makes it fail with `invalid_grant` rather than loop.
    pub(crate) async fn refresh(
        &self,
        refresh_token: &str,
        scope: Option<&str>,
        parameters: &HashMap<String, String>,
    ) -> Result<TokenResponse, ProviderError> {
        match self
            .provider
            .refresh(refresh_token, scope, parameters)
            .await
        {
            Err(ProviderError::Network(message)) => {
                tracing::warn!(%message, "no answer to the refresh request; trying once more");
                self.provider
                    .refresh(refresh_token, scope, parameters)
                    .await
            }
            other => other,
        }
    }

    /// Sends a `/delegation` request and checks the id_token it returns.
    pub(crate) async fn delegation(
        &self,
        input: DelegationInput<'_>,
        expected_sub: Option<&str>,
    ) -> Result<Delegation, SessionError> {
        let secret = match input {
            DelegationInput::IdToken(token) | DelegationInput::RefreshToken(token) => token,
        };
        let response = self
            .provider
            .delegation(input)
            .await
            .map_err(|error| from_provider(error, &[secret]))?;
        self.verify_id_token(&response.id_token, None, expected_sub)
            .await?;
        Ok(Delegation {
            id_token: response.id_token,
            token_type: response.token_type,
            expires_in: response.expires_in.unwrap_or(0),
        })
    }

    /// Checks the id_token of a refresh response, when there is one, and
    /// returns its expiry. `expected_sub` is the subject of the stored
    /// id_token: a renewal must not switch users.
    pub(crate) async fn check_new_id_token(
        &self,
        response: &TokenResponse,
        expected_sub: Option<&str>,
    ) -> Result<Option<i64>, SessionError> {
        match &response.id_token {
            Some(token) => {
                let jwt = self.verify_id_token(token, None, expected_sub).await?;
                Ok(jwt.claims.exp.map(|exp| exp as i64))
            }
            None => Ok(None),
        }
    }

    /// Validates an id_token's claims and signature (OpenID Connect Core
    /// §3.1.3.7), fetching the JWKS again once when the token names a key
    /// that the cached set lacks.
    pub(crate) async fn verify_id_token(
        &self,
        token: &str,
        nonce: Option<&str>,
        expected_sub: Option<&str>,
    ) -> Result<Jwt, SessionError> {
        let jwt = jwt::decode(token).map_err(|message| SessionError::InvalidIdToken {
            message: clean_message(&message),
        })?;
        let endpoints = self
            .provider
            .endpoints()
            .await
            .map_err(|error| from_provider(error, &[]))?;
        let config = self.provider.config();
        let expected = Expected {
            issuer: &endpoints.issuer,
            client_id: &config.client_id,
            nonce,
            sub: expected_sub,
            leeway_seconds: config.leeway_seconds,
            now: self.clock.now(),
        };
        id_token::check_claims(&jwt, &expected).map_err(id_token_error)?;
        let jwks = self
            .provider
            .jwks(false)
            .await
            .map_err(|error| from_provider(error, &[]))?;
        match id_token::check_signature(&jwt, &jwks) {
            Ok(()) => Ok(jwt),
            Err(IdTokenError::UnknownKey(_)) => {
                tracing::debug!("the id_token names an unknown key; fetching the JWKS again");
                let jwks = self
                    .provider
                    .jwks(true)
                    .await
                    .map_err(|error| from_provider(error, &[]))?;
                id_token::check_signature(&jwt, &jwks).map_err(id_token_error)?;
                Ok(jwt)
            }
            Err(error) => Err(id_token_error(error)),
        }
    }
}

fn id_token_error(error: IdTokenError) -> SessionError {
    match error {
        IdTokenError::Invalid(message) | IdTokenError::UnknownKey(message) => {
            SessionError::InvalidIdToken {
                message: clean_message(&message),
            }
        }
        IdTokenError::ClockSkew(message) => SessionError::ClockSkew {
            message: clean_message(&message),
        },
    }
}

/// Reads a userinfo response (OpenID Connect Core §5.3.2) into a profile.
fn profile_from_json(body: &[u8]) -> Result<UserProfile, String> {
    let object = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(object)) => object,
        Ok(_) => return Err("the userinfo response is not a JSON object".to_string()),
        Err(error) => {
            return Err(format!(
                "the userinfo response is not valid JSON (at line {}, column {})",
                error.line(),
                error.column()
            ))
        }
    };
    let claims = jwt::claims_from_object(object)?;
    jwt::user_profile(&claims)
}
