//! The HTTP client for the provider's endpoints: one method per request, each
//! returning the parsed body or a `ProviderError` that describes what happened
//! on the wire. What an error means for the session is decided by the caller.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Response, StatusCode};
use tokio::sync::OnceCell;
use url::Url;

use crate::config::{self, Endpoints, ProviderLocation, ValidConfig};
use crate::token_response::{self, DelegationResponse, OAuthError, ResponseError, TokenResponse};

/// Maximum wait that a `Retry-After` header can impose, in seconds. A longer
/// requested wait is honoured for this long only, not for a day.
pub const MAX_RETRY_AFTER_SECONDS: u64 = 300;

/// Time limit of a revocation at logout: logout must stay quick.
const REVOCATION_TIMEOUT: Duration = Duration::from_secs(5);

/// Auth0's grant type for the legacy `/delegation` endpoint.
const DELEGATION_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The failure of one exchange with the provider. Messages never quote a
/// response body or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderError {
    /// No response: connection failed, timed out, or was cut.
    Network(String),
    /// A 5xx or 429 status, or a 4xx that is not an OAuth error.
    Server {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// An OAuth error object (RFC 6749 §5.2), with the status it came with;
    /// 400 when it came with a 2xx status.
    OAuth { status: u16, error: OAuthError },
    /// The endpoint does not exist at this provider (404, 405, 410).
    NotFound { endpoint: String, status: u16 },
    /// A 2xx response that is not what the endpoint should return.
    InvalidResponse(String),
    /// The provider has no such endpoint configured or discovered.
    Unsupported(String),
    /// The configuration or the discovery document is unusable.
    Configuration(String),
}

/// The client for one provider. Endpoints are fixed for Auth0, or discovered
/// once on first use; the JWKS is fetched on first use and again when an
/// id_token names an unknown key.
pub struct Provider {
    config: ValidConfig,
    http: reqwest::Client,
    endpoints: OnceCell<Arc<Endpoints>>,
    jwks: Mutex<Option<Arc<Vec<u8>>>>,
}

impl Provider {
    pub fn new(config: ValidConfig) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("session-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| {
                ProviderError::Configuration(format!("the HTTP client could not start: {error}"))
            })?;
        let endpoints = OnceCell::new();
        if let ProviderLocation::Auth0 { base } = &config.location {
            let _ = endpoints.set(Arc::new(config::auth0_endpoints(base)));
        }
        Ok(Provider {
            config,
            http,
            endpoints,
            jwks: Mutex::new(None),
        })
    }

    pub fn config(&self) -> &ValidConfig {
        &self.config
    }

    /// Returns the endpoints, reading the discovery document on first use.
    pub async fn endpoints(&self) -> Result<Arc<Endpoints>, ProviderError> {
        self.endpoints
            .get_or_try_init(|| async {
                let ProviderLocation::Issuer { issuer } = &self.config.location else {
                    unreachable!("Auth0 endpoints are set when the provider is created");
                };
                let url = config::discovery_url(issuer);
                let response = self.send(self.http.get(url.clone())).await?;
                let body = success_body(response, "discovery").await?;
                let endpoints = config::endpoints_from_discovery(issuer, &body)
                    .map_err(ProviderError::Configuration)?;
                tracing::debug!(issuer = %endpoints.issuer, "read the discovery document");
                Ok(Arc::new(endpoints))
            })
            .await
            .cloned()
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3, with the PKCE
    /// verifier of RFC 7636 §4.5).
    pub async fn exchange_code(
        &self,
        code: &str,
        code_verifier: &str,
        redirect_uri: &str,
    ) -> Result<TokenResponse, ProviderError> {
        let mut form = self.client_form("authorization_code");
        form.insert("code", code.to_string());
        form.insert("code_verifier", code_verifier.to_string());
        form.insert("redirect_uri", redirect_uri.to_string());
        let token = self.endpoints().await?.token.clone();
        self.token_request(token, &form).await
    }

    /// Renews with the refresh token grant (RFC 6749 §6).
    pub async fn refresh(
        &self,
        refresh_token: &str,
        scope: Option<&str>,
        parameters: &HashMap<String, String>,
    ) -> Result<TokenResponse, ProviderError> {
        let mut form = self.client_form("refresh_token");
        for (name, value) in parameters {
            form.entry(name.as_str()).or_insert_with(|| value.clone());
        }
        form.insert("refresh_token", refresh_token.to_string());
        if let Some(scope) = scope {
            form.insert("scope", scope.to_string());
        }
        let token = self.endpoints().await?.token.clone();
        self.token_request(token, &form).await
    }

    /// Asks the legacy Auth0 `/delegation` endpoint for a new id_token, with
    /// either a still-valid id_token or the refresh token.
    pub async fn delegation(
        &self,
        input: DelegationInput<'_>,
    ) -> Result<DelegationResponse, ProviderError> {
        let endpoints = self.endpoints().await?;
        let Some(url) = endpoints.delegation.clone() else {
            return Err(ProviderError::Unsupported(
                "this provider has no /delegation endpoint; it exists only at Auth0 tenants"
                    .to_string(),
            ));
        };
        let mut form = self.client_form(DELEGATION_GRANT_TYPE);
        match input {
            DelegationInput::IdToken(id_token) => form.insert("id_token", id_token.to_string()),
            DelegationInput::RefreshToken(token) => form.insert("refresh_token", token.to_string()),
        };
        form.insert("scope", "openid".to_string());
        form.insert("api_type", "app".to_string());
        let response = self.send(self.http.post(url).form(&form)).await?;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = read_body(response, "delegation").await?;
        if status.is_success() {
            return token_response::parse_delegation_response(&body).map_err(from_parse_error);
        }
        Err(error_from_status(status, &headers, &body, "delegation"))
    }

    /// Revokes a refresh token (RFC 7009 §2). Any 2xx is success, whatever
    /// the body. Uses a short time limit because it runs during logout.
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), ProviderError> {
        let endpoints = self.endpoints().await?;
        let Some(url) = endpoints.revoke.clone() else {
            return Err(ProviderError::Unsupported(
                "this provider has no revocation endpoint".to_string(),
            ));
        };
        let mut form = HashMap::new();
        form.insert("client_id", self.config.client_id.clone());
        form.insert("token", refresh_token.to_string());
        form.insert("token_type_hint", "refresh_token".to_string());
        let request = self
            .http
            .post(url)
            .timeout(REVOCATION_TIMEOUT.min(self.config.timeout))
            .form(&form);
        let response = self.send(request).await?;
        let (status, headers) = (response.status(), response.headers().clone());
        if status.is_success() {
            return Ok(());
        }
        let body = read_body(response, "revocation").await.unwrap_or_default();
        Err(error_from_status(status, &headers, &body, "revocation"))
    }

    /// Fetches the user's claims from the userinfo endpoint (OpenID Connect
    /// Core §5.3), as a JSON object.
    pub async fn user_info(&self, access_token: &str) -> Result<Vec<u8>, ProviderError> {
        let endpoints = self.endpoints().await?;
        let Some(url) = endpoints.userinfo.clone() else {
            return Err(ProviderError::Unsupported(
                "this provider has no userinfo endpoint".to_string(),
            ));
        };
        let request = self
            .http
            .get(url)
            .header(AUTHORIZATION, format!("Bearer {access_token}"));
        let response = self.send(request).await?;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = read_body(response, "userinfo").await?;
        if status.is_success() {
            return Ok(body);
        }
        Err(error_from_status(status, &headers, &body, "userinfo"))
    }

    /// Returns the provider's JWK Set, fetched on first use, or fetched again
    /// when `refetch` is set (an id_token named a key that the cached set
    /// lacks, so the provider may have rotated its keys).
    pub async fn jwks(&self, refetch: bool) -> Result<Arc<Vec<u8>>, ProviderError> {
        if !refetch {
            if let Some(cached) = self.jwks.lock().unwrap_or_else(|e| e.into_inner()).clone() {
                return Ok(cached);
            }
        }
        let url = self.endpoints().await?.jwks.clone();
        let response = self.send(self.http.get(url)).await?;
        let body = Arc::new(success_body(response, "JWKS").await?);
        *self.jwks.lock().unwrap_or_else(|e| e.into_inner()) = Some(body.clone());
        Ok(body)
    }

    fn client_form(&self, grant_type: &str) -> HashMap<&'static str, String> {
        let mut form = HashMap::new();
        form.insert("grant_type", grant_type.to_string());
        form.insert("client_id", self.config.client_id.clone());
        form
    }

    async fn token_request(
        &self,
        url: Url,
        form: &HashMap<&str, String>,
    ) -> Result<TokenResponse, ProviderError> {
        let response = self.send(self.http.post(url).form(form)).await?;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = read_body(response, "token").await?;
        if status.is_success() {
            return token_response::parse_token_response(&body).map_err(from_parse_error);
        }
        Err(error_from_status(status, &headers, &body, "token"))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Response, ProviderError> {
        request
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(network_error)
    }
}

/// The credential that a `/delegation` request trades for a new id_token.
#[derive(Clone, Copy)]
pub enum DelegationInput<'a> {
    IdToken(&'a str),
    RefreshToken(&'a str),
}

/// Describes a transport failure without the URL's query or any body.
fn network_error(error: reqwest::Error) -> ProviderError {
    let what = if error.is_timeout() {
        "the request timed out"
    } else if error.is_connect() {
        "the connection to the provider failed"
    } else if error.is_body() || error.is_decode() {
        "the response was cut off"
    } else {
        "the request failed"
    };
    let endpoint = error
        .url()
        .map(|url| format!(" ({}{})", url.host_str().unwrap_or(""), url.path()))
        .unwrap_or_default();
    ProviderError::Network(format!("{what}{endpoint}"))
}

/// Largest response body read from the provider. Token responses with a
/// 70 KB access token fit many times over; a larger body is not a response
/// this library can use.
const MAX_BODY_BYTES: usize = 1024 * 1024;

async fn read_body(mut response: Response, endpoint: &str) -> Result<Vec<u8>, ProviderError> {
    let too_large = || {
        ProviderError::InvalidResponse(format!(
            "the {endpoint} endpoint sent a body larger than {} KiB",
            MAX_BODY_BYTES / 1024
        ))
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(error) => {
                tracing::debug!(endpoint, "the response body could not be read");
                return Err(network_error(error));
            }
        }
    }
}

async fn success_body(response: Response, endpoint: &str) -> Result<Vec<u8>, ProviderError> {
    let (status, headers) = (response.status(), response.headers().clone());
    let body = read_body(response, endpoint).await?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(error_from_status(status, &headers, &body, endpoint))
    }
}

fn from_parse_error(error: ResponseError) -> ProviderError {
    match error {
        // A 2xx body that carries `error` is classified exactly as the same
        // error with status 400.
        ResponseError::OAuth(error) => ProviderError::OAuth { status: 400, error },
        ResponseError::Invalid(message) => ProviderError::InvalidResponse(message),
    }
}

/// Classifies a non-2xx response. 5xx and 429 are server trouble whatever the
/// body; a 4xx with an OAuth error object is that error; a 404 means the
/// endpoint does not exist; anything else is server trouble too.
fn error_from_status(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    endpoint: &str,
) -> ProviderError {
    let code = status.as_u16();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        return ProviderError::Server {
            status: code,
            message: format!("the {endpoint} endpoint returned HTTP {code}"),
            retry_after: retry_after(headers, std::time::SystemTime::now()),
        };
    }
    if let Some(error) = token_response::parse_oauth_error(body) {
        return ProviderError::OAuth {
            status: code,
            error,
        };
    }
    if matches!(code, 404 | 405 | 410) {
        return ProviderError::NotFound {
            endpoint: endpoint.to_string(),
            status: code,
        };
    }
    ProviderError::Server {
        status: code,
        message: format!("the {endpoint} endpoint returned HTTP {code} without an OAuth error"),
        retry_after: None,
    }
}

/// Reads `Retry-After` (RFC 9110 §10.2.3): delay seconds or an HTTP date,
/// capped at `MAX_RETRY_AFTER_SECONDS`.
pub fn retry_after(headers: &HeaderMap, now: std::time::SystemTime) -> Option<u64> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let all_digits = !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit());
    let seconds = match value.parse::<u64>() {
        Ok(seconds) => seconds,
        // More seconds than a u64 holds: still a delay, so it is capped.
        Err(_) if all_digits => MAX_RETRY_AFTER_SECONDS,
        Err(_) => {
            let date = httpdate::parse_http_date(value).ok()?;
            date.duration_since(now).map_or(0, |wait| wait.as_secs())
        }
    };
    Some(seconds.min(MAX_RETRY_AFTER_SECONDS))
}
