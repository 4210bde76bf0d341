//! A provider made of wiremock mocks, in Auth0's shape: `/oauth/token`,
//! `/delegation`, `/oauth/revoke`, `/userinfo` and a JWKS whose key signs the
//! id_tokens that tests put in responses. Every status, header, body and
//! delay is the test's to choose; `RotatingTokenEndpoint` adds strict
//! refresh token rotation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use session_core::{AuthConfig, SecureStorage, SessionManager};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::clock::TestClock;
use super::{keys, secrets, REDIRECT_URI, SCOPE};

/// The client id the mock provider's id_tokens are issued to.
pub const CLIENT_ID: &str = "fault-suite-client";

/// The subject of the test user.
pub const SUB: &str = "auth0|fault-suite-user";

pub struct MockProvider {
    pub server: MockServer,
}

impl MockProvider {
    /// Starts a mock server on 127.0.0.1 that serves the JWKS.
    pub async fn start() -> Self {
        secrets::init_tracing();
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/.well-known/jwks.json"))
            .respond_with(ResponseTemplate::new(200).set_body_json(keys::jwks()))
            .mount(&server)
            .await;
        MockProvider { server }
    }

    /// `http://127.0.0.1:PORT`, the Auth0-style domain.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The `iss` that id_tokens of an Auth0 domain carry: the base URL with
    /// a trailing slash.
    pub fn issuer(&self) -> String {
        format!("{}/", self.server.uri())
    }

    /// A configuration for this provider with a request time limit.
    pub fn config_with_timeout(&self, timeout_ms: u32) -> AuthConfig {
        config_for(&self.base_url(), timeout_ms)
    }

    pub fn config(&self) -> AuthConfig {
        self.config_with_timeout(5_000)
    }

    /// A manager over `storage` whose device clock is `clock`.
    pub fn manager(&self, storage: Arc<dyn SecureStorage>, clock: &TestClock) -> SessionManager {
        let manager = SessionManager::with_clock(self.config(), storage, clock.clock());
        super::expect_ok(manager, "creating a manager for the mock provider")
    }

    /// A signed id_token for the test user, issued now, valid `lifetime`
    /// seconds.
    pub fn id_token(&self, lifetime: i64) -> String {
        self.id_token_for(SUB, lifetime)
    }

    /// A signed id_token for `sub`.
    pub fn id_token_for(&self, sub: &str, lifetime: i64) -> String {
        keys::sign(&keys::id_token_claims(
            &self.issuer(),
            CLIENT_ID,
            sub,
            lifetime,
        ))
    }

    /// Answers every token request with `response`.
    pub async fn on_token(&self, response: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(response)
            .mount(&self.server)
            .await;
    }

    /// Answers the next token request with `response`; later mounts answer
    /// the ones after it.
    pub async fn on_token_once(&self, response: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(response)
            .up_to_n_times(1)
            .mount(&self.server)
            .await;
    }

    /// Answers requests to `endpoint` (any method) with `response`.
    pub async fn on(&self, endpoint: &str, response: impl Respond + 'static) {
        Mock::given(path(endpoint))
            .respond_with(response)
            .mount(&self.server)
            .await;
    }

    /// The form parameters of every request received at `endpoint`.
    pub async fn requests_to(&self, endpoint: &str) -> Vec<HashMap<String, String>> {
        self.server
            .received_requests()
            .await
            .expect("wiremock records requests")
            .iter()
            .filter(|request| request.url.path() == endpoint)
            .map(form_of)
            .collect()
    }

    /// The number of requests received at `/oauth/token`.
    pub async fn token_request_count(&self) -> usize {
        self.requests_to("/oauth/token").await.len()
    }
}

/// A configuration for an Auth0-style provider at `base_url`.
pub fn config_for(base_url: &str, timeout_ms: u32) -> AuthConfig {
    AuthConfig {
        domain: Some(base_url.to_string()),
        issuer: None,
        client_id: CLIENT_ID.to_string(),
        audience: None,
        scope: SCOPE.to_string(),
        redirect_uri: REDIRECT_URI.to_string(),
        leeway_seconds: 60,
        timeout_ms,
    }
}

/// Reads the form-encoded body of a request.
pub fn form_of(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// A 200 JSON response with `body`.
pub fn json_response(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A 200 JSON response with `body` given as raw text.
pub fn raw_json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A token response body with the fields the tests vary.
pub fn token_body(
    access_token: &str,
    refresh_token: Option<&str>,
    id_token: Option<&str>,
    expires_in: u64,
) -> Value {
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "scope": SCOPE,
    });
    if let Some(refresh_token) = refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    if let Some(id_token) = id_token {
        body["id_token"] = json!(id_token);
    }
    body
}

/// A token endpoint with strict refresh token rotation: each refresh token
/// works once and yields a new one; presenting any other, including one
/// already used, gets `invalid_grant`. The rotation happens when the request
/// arrives, before the configured delay, so a delay past the client's time
/// limit loses a response whose rotation did happen.
pub struct RotatingTokenEndpoint {
    current: Mutex<String>,
    issued: Mutex<Vec<String>>,
    next_delay: Mutex<Option<Duration>>,
    expires_in: u64,
}

impl RotatingTokenEndpoint {
    pub fn new(first_refresh_token: &str, expires_in: u64) -> Arc<Self> {
        Arc::new(RotatingTokenEndpoint {
            current: Mutex::new(first_refresh_token.to_string()),
            issued: Mutex::new(vec![first_refresh_token.to_string()]),
            next_delay: Mutex::new(None),
            expires_in,
        })
    }

    /// Delays the next response, and only that one, by `delay`.
    pub fn delay_next(&self, delay: Duration) {
        *self.next_delay.lock().unwrap() = Some(delay);
    }

    /// The refresh token that works now.
    pub fn current(&self) -> String {
        self.current.lock().unwrap().clone()
    }

    /// Every refresh token issued, oldest first.
    pub fn issued(&self) -> Vec<String> {
        self.issued.lock().unwrap().clone()
    }
}

/// Lets an `Arc` be mounted while the test keeps a handle.
pub struct Shared<T>(pub Arc<T>);

impl Respond for Shared<RotatingTokenEndpoint> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let endpoint = &self.0;
        let form = form_of(request);
        let delay = endpoint
            .next_delay
            .lock()
            .unwrap()
            .take()
            .unwrap_or(Duration::ZERO);
        let mut current = endpoint.current.lock().unwrap();
        if form.get("refresh_token") != Some(&*current) {
            return raw_json_response(
                400,
                r#"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#,
            )
            .set_delay(delay);
        }
        let access_token = secrets::token("at");
        let refresh_token = secrets::token("rt");
        *current = refresh_token.clone();
        endpoint.issued.lock().unwrap().push(refresh_token.clone());
        json_response(token_body(
            &access_token,
            Some(&refresh_token),
            None,
            endpoint.expires_in,
        ))
        .set_delay(delay)
    }
}
