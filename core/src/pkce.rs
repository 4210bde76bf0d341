//! Login by authorization code with PKCE (RFC 7636): the authorize URL, and
//! reading the redirect that comes back.

use std::collections::HashMap;
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use url::Url;

/// The exported login in progress. `Debug` never prints the verifier, state
/// or nonce.
pub struct AuthorizationRequest {
    pub(crate) url: Url,
    pub(crate) state: String,
    pub(crate) nonce: String,
    pub(crate) code_verifier: String,
    pub(crate) redirect_uri: String,
}

impl AuthorizationRequest {
    pub fn url(&self) -> String {
        self.url.to_string()
    }

    pub fn state(&self) -> String {
        self.state.clone()
    }
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// What `build` needs from the configuration.
pub struct AuthorizeParams<'a> {
    pub authorize_endpoint: &'a Url,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub audience: Option<&'a str>,
    pub extra: &'a HashMap<String, String>,
}

/// Parameters that `build` sets itself. An `extra` entry with one of these
/// names is ignored (and logged), because letting the app replace them would
/// turn off the checks that protect the login: a fixed `state` or `nonce`
/// allows replay, and a chosen `code_challenge` defeats PKCE.
const PROTECTED_PARAMETERS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
];

/// Random bytes behind the code verifier, state and nonce. 32 bytes give a
/// 43-character verifier, the shortest that RFC 7636 §4.1 allows.
const RANDOM_BYTES: usize = 32;

fn random_url_safe() -> String {
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Returns the S256 code challenge of `verifier` (RFC 7636 §4.2).
pub fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Builds an authorize URL with fresh random `state`, `nonce` and an S256
/// code challenge.
///
/// `extra` parameters are appended in name order. `scope` and `audience`
/// among them replace the configured values for this login; the parameters
/// in `PROTECTED_PARAMETERS` are ignored.
pub fn build(params: &AuthorizeParams<'_>) -> AuthorizationRequest {
    let code_verifier = random_url_safe();
    let state = random_url_safe();
    let nonce = random_url_safe();

    let scope = params
        .extra
        .get("scope")
        .map(String::as_str)
        .unwrap_or(params.scope);
    let audience = params
        .extra
        .get("audience")
        .map(String::as_str)
        .or(params.audience);

    let mut extra_names: Vec<&String> = params
        .extra
        .keys()
        .filter(|name| !matches!(name.as_str(), "scope" | "audience"))
        .collect();
    extra_names.sort();

    let mut url = params.authorize_endpoint.clone();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", params.client_id)
            .append_pair("redirect_uri", params.redirect_uri)
            .append_pair("scope", scope)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &code_challenge(&code_verifier))
            .append_pair("code_challenge_method", "S256");
        if let Some(audience) = audience {
            query.append_pair("audience", audience);
        }
        for name in extra_names {
            if PROTECTED_PARAMETERS.contains(&name.as_str()) {
                tracing::warn!(
                    parameter = %name,
                    "ignoring an authorize parameter that SessionCore sets itself"
                );
                continue;
            }
            query.append_pair(name, &params.extra[name]);
        }
    }

    AuthorizationRequest {
        url,
        state,
        nonce,
        code_verifier,
        redirect_uri: params.redirect_uri.to_string(),
    }
}

/// Reads the redirect URL: returns the authorization code after checking
/// `state`, and `iss` when the redirect carries one (RFC 9207). An `error`
/// parameter or a mismatch is an `Err` whose text never quotes the code.
///
/// The checks run in this order. The URL must be the configured redirect URI
/// (same scheme, host, port and path). A `state` must be the request's, and an
/// `iss` must equal `expected_issuer` exactly. Then an `error` parameter is
/// reported. Finally, `state` and `code` must be present.
/// Error texts never contain the code or the state.
pub fn read_redirect(
    request: &AuthorizationRequest,
    redirect_url: &str,
    expected_issuer: &str,
) -> Result<String, String> {
    // The received URL contains the code, so it is never quoted.
    let received = Url::parse(redirect_url.trim())
        .map_err(|_| "the redirect URL is not a valid absolute URL".to_string())?;
    let configured = Url::parse(&request.redirect_uri).map_err(|_| {
        format!(
            "the configured redirect_uri `{}` is not a valid absolute URL",
            request.redirect_uri
        )
    })?;
    let same_target = received.scheme() == configured.scheme()
        && received.host_str() == configured.host_str()
        && received.port_or_known_default() == configured.port_or_known_default()
        && received.path() == configured.path();
    if !same_target {
        return Err(format!(
            "the redirect URL does not match the configured redirect_uri `{}` (scheme, host, \
             port or path differ)",
            request.redirect_uri
        ));
    }

    let parameters = RedirectParameters::new(&received);
    let state = parameters.single("state")?;
    if state.as_deref().is_some_and(|state| state != request.state) {
        return Err(
            "the redirect's state does not match this login request; it may belong to another \
             login or be forged"
                .to_string(),
        );
    }
    if let Some(issuer) = parameters.single("iss")? {
        if issuer != expected_issuer {
            return Err(format!(
                "the redirect's iss `{issuer}` is not the expected issuer `{expected_issuer}`, \
                 so the response may come from another provider"
            ));
        }
    }
    if let Some(error) = parameters.single("error")? {
        return Err(match parameters.single("error_description")? {
            Some(description) => {
                format!("the provider returned the error `{error}`: {description}")
            }
            None => format!("the provider returned the error `{error}`"),
        });
    }
    if state.is_none() {
        return Err("the redirect has no state parameter".to_string());
    }
    match parameters.single("code")? {
        Some(code) if !code.is_empty() => Ok(code),
        _ => Err("the redirect has no code parameter".to_string()),
    }
}

/// The query parameters of a redirect, by name.
struct RedirectParameters {
    values: HashMap<String, Vec<String>>,
}

impl RedirectParameters {
    fn new(url: &Url) -> Self {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in url.query_pairs() {
            values
                .entry(name.into_owned())
                .or_default()
                .push(value.into_owned());
        }
        RedirectParameters { values }
    }

    /// Returns the one value of `name`. RFC 6749 §3.1 forbids repeating a
    /// parameter, and a repeated `state` or `code` could smuggle a second value
    /// past a check that reads only the first.
    fn single(&self, name: &str) -> Result<Option<String>, String> {
        match self.values.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([value]) => Ok(Some(value.clone())),
            Some(_) => Err(format!("the redirect has more than one {name} parameter")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://tenant.example.com/";
    const REDIRECT_URI: &str = "com.example.app://callback";

    fn endpoint() -> Url {
        Url::parse("https://tenant.example.com/authorize").unwrap()
    }

    fn build_with(extra: &HashMap<String, String>, audience: Option<&str>) -> AuthorizationRequest {
        build(&AuthorizeParams {
            authorize_endpoint: &endpoint(),
            client_id: "client-1",
            redirect_uri: REDIRECT_URI,
            scope: "openid profile offline_access",
            audience,
            extra,
        })
    }

    fn request() -> AuthorizationRequest {
        build_with(&HashMap::new(), None)
    }

    fn query(request: &AuthorizationRequest) -> Vec<(String, String)> {
        request.url.query_pairs().into_owned().collect()
    }

    fn values(request: &AuthorizationRequest, name: &str) -> Vec<String> {
        query(request)
            .into_iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value)
            .collect()
    }

    fn is_url_safe(text: &str) -> bool {
        text.bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    }

    #[test]
    fn code_verifier_is_43_url_safe_characters() {
        let request = request();
        assert_eq!(request.code_verifier.len(), 43);
        assert!(is_url_safe(&request.code_verifier));
    }

    #[test]
    fn code_challenge_is_s256_of_verifier() {
        // RFC 7636 Appendix B.
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let request = request();
        assert_eq!(
            values(&request, "code_challenge"),
            vec![code_challenge(&request.code_verifier)]
        );
        assert_eq!(values(&request, "code_challenge_method"), vec!["S256"]);
    }

    #[test]
    fn state_and_nonce_are_fresh_for_each_request() {
        let first = request();
        let second = request();
        assert_ne!(first.state, second.state);
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.code_verifier, second.code_verifier);
        assert_ne!(first.state, first.nonce);
        assert!(first.state.len() >= 22);
        assert!(is_url_safe(&first.state));
        assert!(first.nonce.len() >= 22);
        assert!(is_url_safe(&first.nonce));
    }

    #[test]
    fn url_carries_every_login_parameter() {
        let request = request();
        assert_eq!(request.url.path(), "/authorize");
        let expected: Vec<(String, String)> = [
            ("response_type", "code"),
            ("client_id", "client-1"),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid profile offline_access"),
            ("state", request.state.as_str()),
            ("nonce", request.nonce.as_str()),
            ("code_challenge", &code_challenge(&request.code_verifier)),
            ("code_challenge_method", "S256"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
        assert_eq!(query(&request), expected);
    }

    #[test]
    fn url_carries_audience_when_set() {
        let request = build_with(&HashMap::new(), Some("https://api.example.com"));
        assert_eq!(
            values(&request, "audience"),
            vec!["https://api.example.com"]
        );
    }

    #[test]
    fn url_has_no_audience_when_unset() {
        assert!(values(&request(), "audience").is_empty());
    }

    #[test]
    fn extra_parameters_are_appended_in_name_order() {
        let extra = HashMap::from([
            ("prompt".to_string(), "login".to_string()),
            ("connection".to_string(), "github".to_string()),
        ]);
        let request = build_with(&extra, None);
        let tail: Vec<(String, String)> = query(&request).into_iter().skip(8).collect();
        assert_eq!(
            tail,
            vec![
                ("connection".to_string(), "github".to_string()),
                ("prompt".to_string(), "login".to_string()),
            ]
        );
    }

    #[test]
    fn extra_parameters_cannot_replace_security_parameters() {
        let extra: HashMap<String, String> = PROTECTED_PARAMETERS
            .iter()
            .map(|name| (name.to_string(), "attacker".to_string()))
            .collect();
        let request = build_with(&extra, None);
        for name in PROTECTED_PARAMETERS {
            let values = values(&request, name);
            assert_eq!(values.len(), 1, "{name}");
            assert_ne!(values[0], "attacker", "{name}");
        }
        assert_eq!(values(&request, "state"), vec![request.state.clone()]);
    }

    #[test]
    fn extra_scope_and_audience_replace_configured_ones() {
        let extra = HashMap::from([
            ("scope".to_string(), "openid email".to_string()),
            (
                "audience".to_string(),
                "https://other.example.com".to_string(),
            ),
        ]);
        let request = build_with(&extra, Some("https://api.example.com"));
        assert_eq!(values(&request, "scope"), vec!["openid email"]);
        assert_eq!(
            values(&request, "audience"),
            vec!["https://other.example.com"]
        );
    }

    #[test]
    fn endpoint_query_is_kept() {
        let endpoint = Url::parse("https://idp.example.com/authorize?p=signin").unwrap();
        let request = build(&AuthorizeParams {
            authorize_endpoint: &endpoint,
            client_id: "client-1",
            redirect_uri: REDIRECT_URI,
            scope: "openid",
            audience: None,
            extra: &HashMap::new(),
        });
        assert_eq!(values(&request, "p"), vec!["signin"]);
        assert_eq!(values(&request, "response_type"), vec!["code"]);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let request = request();
        let debug = format!("{request:?}");
        assert!(!debug.contains(&request.state), "{debug}");
        assert!(!debug.contains(&request.nonce), "{debug}");
        assert!(!debug.contains(&request.code_verifier), "{debug}");
    }

    fn redirect(request: &AuthorizationRequest, query: &str) -> String {
        format!("{REDIRECT_URI}?{query}&state={}", request.state)
    }

    fn assert_rejected(result: Result<String, String>, fragment: &str, secrets: &[&str]) {
        let message = result.expect_err("the redirect should be rejected");
        assert!(message.contains(fragment), "{message}");
        for secret in secrets {
            assert!(!message.contains(secret), "{message}");
        }
    }

    #[test]
    fn redirect_with_matching_state_returns_code() {
        let request = request();
        let url = redirect(&request, "code=secret-code");
        assert_eq!(
            read_redirect(&request, &url, ISSUER).unwrap(),
            "secret-code"
        );
    }

    #[test]
    fn redirect_to_loopback_http_returns_code() {
        let extra = HashMap::new();
        let request = build(&AuthorizeParams {
            authorize_endpoint: &endpoint(),
            client_id: "client-1",
            redirect_uri: "http://127.0.0.1:7777/callback",
            scope: "openid",
            audience: None,
            extra: &extra,
        });
        let url = format!(
            "http://127.0.0.1:7777/callback?code=c%2B1&state={}",
            request.state
        );
        assert_eq!(read_redirect(&request, &url, ISSUER).unwrap(), "c+1");
    }

    #[test]
    fn redirect_with_matching_issuer_returns_code() {
        let request = request();
        let url = redirect(&request, "code=c1&iss=https%3A%2F%2Ftenant.example.com%2F");
        assert_eq!(read_redirect(&request, &url, ISSUER).unwrap(), "c1");
    }

    #[test]
    fn redirect_with_other_issuer_is_rejected() {
        let request = request();
        let url = redirect(
            &request,
            "code=secret-code&iss=https%3A%2F%2Fevil.example.com",
        );
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "not the expected issuer",
            &["secret-code", &request.state],
        );
    }

    #[test]
    fn redirect_with_other_state_is_rejected() {
        let request = request();
        let url = format!("{REDIRECT_URI}?code=secret-code&state=forged-state");
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "state does not match",
            &["secret-code", "forged-state", &request.state],
        );
    }

    #[test]
    fn redirect_without_state_is_rejected() {
        let request = request();
        let url = format!("{REDIRECT_URI}?code=secret-code");
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "no state",
            &["secret-code"],
        );
    }

    #[test]
    fn redirect_with_repeated_state_is_rejected() {
        let request = request();
        let url = format!("{}&state=second", redirect(&request, "code=c1"));
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "more than one state",
            &[&request.state],
        );
    }

    #[test]
    fn redirect_without_code_is_rejected() {
        let request = request();
        let url = format!("{REDIRECT_URI}?state={}", request.state);
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "no code",
            &[&request.state],
        );
    }

    #[test]
    fn redirect_with_error_reports_it() {
        let request = request();
        let url = redirect(
            &request,
            "error=access_denied&error_description=User%20cancelled",
        );
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "the provider returned the error `access_denied`: User cancelled",
            &[&request.state],
        );
    }

    #[test]
    fn redirect_with_error_and_no_state_reports_error() {
        let request = request();
        let url = format!("{REDIRECT_URI}?error=login_required");
        assert_rejected(
            read_redirect(&request, &url, ISSUER),
            "`login_required`",
            &[],
        );
    }

    #[test]
    fn redirect_to_other_target_is_rejected() {
        let request = request();
        for target in [
            "com.evil.app://callback",
            "com.example.app://other",
            "com.example.app://callback/extra",
            "https://callback",
        ] {
            let url = format!("{target}?code=secret-code&state={}", request.state);
            assert_rejected(
                read_redirect(&request, &url, ISSUER),
                "does not match the configured redirect_uri",
                &["secret-code", &request.state],
            );
        }
    }

    #[test]
    fn redirect_to_other_loopback_port_is_rejected() {
        let extra = HashMap::new();
        let request = build(&AuthorizeParams {
            authorize_endpoint: &endpoint(),
            client_id: "client-1",
            redirect_uri: "http://127.0.0.1:7777/callback",
            scope: "openid",
            audience: None,
            extra: &extra,
        });
        let url = format!(
            "http://127.0.0.1:7778/callback?code=c1&state={}",
            request.state
        );
        assert_rejected(read_redirect(&request, &url, ISSUER), "does not match", &[]);
    }

    proptest::proptest! {
        #[test]
        fn any_code_is_returned_exactly(code in ".{1,80}") {
            let request = request();
            let mut url = Url::parse(REDIRECT_URI).unwrap();
            url.query_pairs_mut()
                .append_pair("code", &code)
                .append_pair("state", &request.state);
            proptest::prop_assert_eq!(read_redirect(&request, url.as_str(), ISSUER), Ok(code));
        }

        #[test]
        fn rejection_never_quotes_code(code in "[a-zA-Z0-9]{12,40}", forged in "[a-z]{12}") {
            let request = request();
            let url = format!("{REDIRECT_URI}?code={code}&state={forged}");
            let message = read_redirect(&request, &url, ISSUER).unwrap_err();
            proptest::prop_assert!(!message.contains(&code));
            proptest::prop_assert!(!message.contains(&forged));
        }

        #[test]
        fn any_redirect_text_never_panics(text in ".{0,200}") {
            let _ = read_redirect(&request(), &text, ISSUER);
        }
    }

    #[test]
    fn redirect_not_a_url_is_rejected() {
        let request = request();
        assert_rejected(
            read_redirect(&request, "secret-code not a url", ISSUER),
            "not a valid absolute URL",
            &["secret-code"],
        );
    }
}
