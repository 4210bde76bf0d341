//! Helpers shared by the test files: an HTTP client and the steps of the
//! authorization code flow.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dev_idp::{DevIdp, Options};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rand::RngCore;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use url::Url;

pub const REDIRECT_URI: &str = "com.example.app://callback";
pub const FULL_SCOPE: &str = "openid profile email offline_access";

pub async fn start() -> DevIdp {
    start_with(Options::default()).await
}

pub async fn start_with(options: Options) -> DevIdp {
    DevIdp::start(options)
        .await
        .expect("the dev identity provider starts")
}

/// Builds a client that does not follow redirects, so tests can read them.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("building a reqwest client")
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// Builds the authorize URL from a valid request needs; tests
/// change or remove parameters from `params` first.
pub fn authorize_url(idp: &DevIdp, params: &[(&str, &str)]) -> Url {
    let mut url = Url::parse(&format!("{}/authorize", idp.base_url())).unwrap();
    url.query_pairs_mut().extend_pairs(params);
    url
}

pub fn valid_authorize_params<'a>(
    idp: &'a DevIdp,
    pkce: &'a Pkce,
    scope: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("client_id", idp.client_id()),
        ("redirect_uri", REDIRECT_URI),
        ("scope", scope),
        ("state", "state-123"),
        ("code_challenge", &pkce.challenge),
        ("code_challenge_method", "S256"),
    ]
}

/// Returns the query parameters of a 302 response's Location.
pub fn redirect_params(response: &Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), StatusCode::FOUND, "expected a redirect");
    let location = response.headers()["location"].to_str().unwrap();
    Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Runs `/authorize` and returns the code.
pub async fn authorize(idp: &DevIdp, pkce: &Pkce, scope: &str, nonce: Option<&str>) -> String {
    let mut params = valid_authorize_params(idp, pkce, scope);
    if let Some(nonce) = nonce {
        params.push(("nonce", nonce));
    }
    let response = client()
        .get(authorize_url(idp, &params))
        .send()
        .await
        .unwrap();
    let params = redirect_params(&response);
    param(&params, "code")
        .expect("the redirect has a code")
        .to_owned()
}

pub async fn post_form(idp: &DevIdp, path: &str, form: &[(&str, &str)]) -> Response {
    client()
        .post(format!("{}{path}", idp.base_url()))
        .form(form)
        .send()
        .await
        .unwrap()
}

pub async fn exchange_code(idp: &DevIdp, code: &str, verifier: &str) -> Response {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", idp.client_id()),
        ("code", code),
        ("code_verifier", verifier),
        ("redirect_uri", REDIRECT_URI),
    ];
    post_form(idp, "/oauth/token", &form).await
}

/// Logs in with `scope` and returns the token response.
pub async fn login(idp: &DevIdp, scope: &str) -> Value {
    let pkce = pkce();
    let code = authorize(idp, &pkce, scope, Some("nonce-1")).await;
    let response = exchange_code(idp, &code, &pkce.verifier).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub async fn refresh(idp: &DevIdp, refresh_token: &str, scope: Option<&str>) -> Response {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("client_id", idp.client_id()),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    post_form(idp, "/oauth/token", &form).await
}

pub async fn userinfo(idp: &DevIdp, access_token: &str) -> Response {
    client()
        .get(format!("{}/userinfo", idp.base_url()))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
}

pub fn field<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("the response has no string {name}: {body}"))
}

/// Returns the OAuth `error` code of an error response.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.unwrap();
    field(&body, "error").to_owned()
}

/// Verifies an id_token's signature against the JWKS the server publishes,
/// and its issuer and audience, and returns its claims.
pub async fn verify_id_token(idp: &DevIdp, id_token: &str) -> Map<String, Value> {
    let jwks: Value = client()
        .get(format!("{}/.well-known/jwks.json", idp.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = jsonwebtoken::decode_header(id_token).unwrap().kid.unwrap();
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == kid.as_str())
        .expect("the JWKS has the id_token's kid");
    let key = DecodingKey::from_rsa_components(field(jwk, "n"), field(jwk, "e")).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[idp.issuer()]);
    validation.set_audience(&[idp.client_id()]);
    jsonwebtoken::decode::<Map<String, Value>>(id_token, &key, &validation)
        .expect("the id_token verifies against the JWKS")
        .claims
}
