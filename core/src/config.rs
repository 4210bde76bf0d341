//! Configuration: the app's `AuthConfig`, its validation, and the provider's
//! endpoints (fixed for Auth0, discovered for any other provider).

use std::time::Duration;

use serde_json::{Map, Value};
use url::{Host, Url};

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
///
/// An empty or blank `domain`, `issuer` or `audience` counts as unset, because
/// apps often fill settings from a form or a build variable that may be empty.
pub fn validate(config: &AuthConfig) -> Result<ValidConfig, String> {
    let domain = non_blank(config.domain.as_deref());
    let issuer = non_blank(config.issuer.as_deref());
    let location = match (domain, issuer) {
        (Some(domain), None) => ProviderLocation::Auth0 {
            base: parse_domain(domain)?,
        },
        (None, Some(issuer)) => ProviderLocation::Issuer {
            issuer: parse_issuer(issuer)?,
        },
        (Some(_), Some(_)) => {
            return Err(
                "domain and issuer are both set; set exactly one of them: domain \
                        for an Auth0 tenant, issuer for any other OpenID Connect provider"
                    .to_string(),
            )
        }
        (None, None) => {
            return Err(
                "neither domain nor issuer is set; set exactly one of them: domain \
                        for an Auth0 tenant, issuer for any other OpenID Connect provider"
                    .to_string(),
            )
        }
    };

    let client_id = config.client_id.trim();
    if client_id.is_empty() {
        return Err("client_id is empty; set the OAuth 2.0 client id of the app".to_string());
    }
    let redirect_uri = config.redirect_uri.trim();
    if redirect_uri.is_empty() {
        return Err(
            "redirect_uri is empty; set the redirect URI registered for the app".to_string(),
        );
    }
    if Url::parse(redirect_uri).is_err() {
        return Err(format!(
            "redirect_uri `{redirect_uri}` is not an absolute URL, such as \
             `com.example.app://callback`"
        ));
    }
    let scope = config.scope.trim();
    if scope.is_empty() {
        return Err(
            "scope is empty; keep the default `openid profile email offline_access` or set \
             the scopes to request"
                .to_string(),
        );
    }
    if config.timeout_ms == 0 {
        return Err("timeout_ms is 0; set a time limit above 0 milliseconds".to_string());
    }

    Ok(ValidConfig {
        location,
        client_id: client_id.to_string(),
        audience: non_blank(config.audience.as_deref()).map(str::to_string),
        scope: scope.to_string(),
        redirect_uri: redirect_uri.to_string(),
        leeway_seconds: u64::from(config.leeway_seconds),
        timeout: Duration::from_millis(u64::from(config.timeout_ms)),
    })
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// Reads `domain`. A bare host such as `tenant.auth0.com` means `https`. A full
/// base URL is accepted when it has no path, query or fragment, because Auth0
/// serves its endpoints at the root of the tenant.
fn parse_domain(domain: &str) -> Result<Url, String> {
    let text = if domain.contains("://") {
        domain.to_string()
    } else {
        format!("https://{domain}")
    };
    let url = Url::parse(&text)
        .map_err(|error| format!("domain `{domain}` is not a valid host or URL: {error}"))?;
    check_endpoint_scheme("domain", &url)?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "domain `{domain}` has a path, query or fragment; give only the tenant host, such \
             as `example.eu.auth0.com`, or set issuer for a provider below a path"
        ));
    }
    Ok(url)
}

/// Reads `issuer`. OpenID Connect Discovery 1.0 §2 forbids a query or fragment
/// in an issuer, while a path (such as a Keycloak realm) is allowed.
fn parse_issuer(issuer: &str) -> Result<Url, String> {
    let url = Url::parse(issuer).map_err(|error| {
        format!("issuer `{issuer}` is not a valid URL: {error}; give the full https URL")
    })?;
    check_endpoint_scheme("issuer", &url)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "issuer `{issuer}` has a query or fragment, which an OpenID Connect issuer cannot \
             have"
        ));
    }
    Ok(url)
}

/// Accepts `https`, and plain `http` only to a loopback address, where no one
/// can read the traffic. `field` names the setting or discovery field.
fn check_endpoint_scheme(field: &str, url: &Url) -> Result<(), String> {
    if url.host().is_none() {
        return Err(format!("{field} `{url}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{field} has a user name or password in the URL; remove them"
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "{field} `{url}` uses plain http, which is allowed only for loopback addresses \
             (127.0.0.1, [::1], localhost); use https"
        )),
        other => Err(format!(
            "{field} `{url}` uses the scheme `{other}`; use https"
        )),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// Returns the fixed endpoints of an Auth0 tenant at `base`.
pub fn auth0_endpoints(base: &Url) -> Endpoints {
    let at_path = |path: &str| {
        let mut url = base.clone();
        url.set_path(path);
        url.set_query(None);
        url.set_fragment(None);
        url
    };
    Endpoints {
        // Auth0 puts the tenant's base URL with a trailing slash in `iss`.
        issuer: at_path("/").to_string(),
        authorize: at_path("/authorize"),
        token: at_path("/oauth/token"),
        jwks: at_path("/.well-known/jwks.json"),
        revoke: Some(at_path("/oauth/revoke")),
        userinfo: Some(at_path("/userinfo")),
        delegation: Some(at_path("/delegation")),
    }
}

/// Reads the endpoints from an OpenID Connect discovery document, checking
/// that its `issuer` matches the configured one and that every endpoint is
/// `https` or loopback `http`.
///
/// OpenID Connect Discovery 1.0 §4.3 requires the document's `issuer` to be
/// identical to the configured one. The only difference tolerated is a
/// trailing slash, because the `url` crate adds one to a bare host
/// (`https://idp.example` becomes `https://idp.example/`). id_tokens must then
/// carry the document's exact value, which `Endpoints::issuer` holds.
pub fn endpoints_from_discovery(configured: &Url, document: &[u8]) -> Result<Endpoints, String> {
    let value: Value = serde_json::from_slice(document)
        .map_err(|_| "the discovery document is not valid JSON".to_string())?;
    let Value::Object(fields) = value else {
        return Err("the discovery document is not a JSON object".to_string());
    };

    let issuer = match fields.get("issuer") {
        Some(Value::String(issuer)) => issuer.clone(),
        Some(Value::Null) | None => {
            return Err("the discovery document has no issuer".to_string());
        }
        Some(_) => return Err("the discovery document's issuer is not a string".to_string()),
    };
    if issuer.trim_end_matches('/') != configured.as_str().trim_end_matches('/') {
        return Err(format!(
            "the discovery document's issuer `{issuer}` does not match the configured issuer \
             `{configured}`; check the issuer setting"
        ));
    }

    Ok(Endpoints {
        issuer,
        authorize: required_endpoint(&fields, "authorization_endpoint")?,
        token: required_endpoint(&fields, "token_endpoint")?,
        jwks: required_endpoint(&fields, "jwks_uri")?,
        revoke: optional_endpoint(&fields, "revocation_endpoint")?,
        userinfo: optional_endpoint(&fields, "userinfo_endpoint")?,
        // Not part of OpenID Connect Discovery: Auth0's legacy endpoint, which
        // other providers may announce under this name.
        delegation: optional_endpoint(&fields, "delegation_endpoint")?,
    })
}

fn required_endpoint(fields: &Map<String, Value>, name: &str) -> Result<Url, String> {
    optional_endpoint(fields, name)?.ok_or_else(|| format!("the discovery document has no {name}"))
}

fn optional_endpoint(fields: &Map<String, Value>, name: &str) -> Result<Option<Url>, String> {
    let text = match fields.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => text,
        Some(_) => return Err(format!("the discovery document's {name} is not a string")),
    };
    let url = Url::parse(text).map_err(|error| {
        format!("the discovery document's {name} `{text}` is not a valid URL: {error}")
    })?;
    check_endpoint_scheme(&format!("the discovery document's {name}"), &url)?;
    Ok(Some(url))
}

/// Returns the address of the discovery document of `issuer`.
pub fn discovery_url(issuer: &Url) -> Url {
    let mut url = issuer.clone();
    let path = format!(
        "{}/.well-known/openid-configuration",
        issuer.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AuthConfig {
        AuthConfig {
            domain: Some("tenant.auth0.com".to_string()),
            issuer: None,
            client_id: "client-1".to_string(),
            audience: None,
            scope: "openid profile email offline_access".to_string(),
            redirect_uri: "com.example.app://callback".to_string(),
            leeway_seconds: 60,
            timeout_ms: 10_000,
        }
    }

    fn with_domain(domain: &str) -> AuthConfig {
        AuthConfig {
            domain: Some(domain.to_string()),
            ..config()
        }
    }

    fn with_issuer(issuer: &str) -> AuthConfig {
        AuthConfig {
            domain: None,
            issuer: Some(issuer.to_string()),
            ..config()
        }
    }

    fn auth0_base(config: &AuthConfig) -> Url {
        match validate(config).unwrap().location {
            ProviderLocation::Auth0 { base } => base,
            other => panic!("expected an Auth0 location, got {other:?}"),
        }
    }

    #[test]
    fn bare_domain_means_https() {
        let base = auth0_base(&with_domain("tenant.auth0.com"));
        assert_eq!(base.as_str(), "https://tenant.auth0.com/");
    }

    #[test]
    fn domain_as_https_url_is_accepted() {
        let base = auth0_base(&with_domain("https://tenant.auth0.com"));
        assert_eq!(base.as_str(), "https://tenant.auth0.com/");
    }

    #[test]
    fn domain_as_loopback_http_url_is_accepted() {
        for domain in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            let base = auth0_base(&with_domain(domain));
            assert_eq!(base.scheme(), "http", "{domain}");
            assert_eq!(base.port(), Some(8080), "{domain}");
        }
    }

    #[test]
    fn plain_http_domain_off_loopback_is_rejected() {
        let error = validate(&with_domain("http://tenant.auth0.com")).unwrap_err();
        assert!(error.contains("domain"), "{error}");
        assert!(error.contains("plain http"), "{error}");
    }

    #[test]
    fn plain_http_issuer_off_loopback_is_rejected() {
        let error = validate(&with_issuer("http://idp.example.com")).unwrap_err();
        assert!(error.starts_with("issuer"), "{error}");
        assert!(error.contains("plain http"), "{error}");
    }

    #[test]
    fn plain_http_on_private_network_address_is_rejected() {
        let error = validate(&with_issuer("http://192.168.1.10:8080")).unwrap_err();
        assert!(error.contains("plain http"), "{error}");
    }

    #[test]
    fn domain_with_path_is_rejected() {
        let error = validate(&with_domain("https://tenant.auth0.com/custom")).unwrap_err();
        assert!(error.contains("domain"), "{error}");
        assert!(error.contains("path"), "{error}");
    }

    #[test]
    fn issuer_with_path_is_accepted() {
        let valid = validate(&with_issuer("https://idp.example.com/realms/demo")).unwrap();
        let expected = Url::parse("https://idp.example.com/realms/demo").unwrap();
        assert_eq!(
            valid.location,
            ProviderLocation::Issuer { issuer: expected }
        );
    }

    #[test]
    fn issuer_with_query_is_rejected() {
        let error = validate(&with_issuer("https://idp.example.com/?tenant=1")).unwrap_err();
        assert!(error.contains("query"), "{error}");
    }

    #[test]
    fn issuer_with_other_scheme_is_rejected() {
        let error = validate(&with_issuer("ftp://idp.example.com")).unwrap_err();
        assert!(error.contains("scheme `ftp`"), "{error}");
    }

    #[test]
    fn both_domain_and_issuer_are_rejected_naming_both() {
        let config = AuthConfig {
            issuer: Some("https://idp.example.com".to_string()),
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.contains("domain"), "{error}");
        assert!(error.contains("issuer"), "{error}");
        assert!(error.contains("both"), "{error}");
    }

    #[test]
    fn neither_domain_nor_issuer_is_rejected_naming_both() {
        let config = AuthConfig {
            domain: None,
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.contains("neither domain nor issuer"), "{error}");
    }

    #[test]
    fn blank_domain_counts_as_unset() {
        let config = AuthConfig {
            domain: Some("  ".to_string()),
            issuer: Some("https://idp.example.com".to_string()),
            ..config()
        };
        assert!(matches!(
            validate(&config).unwrap().location,
            ProviderLocation::Issuer { .. }
        ));
    }

    #[test]
    fn empty_client_id_is_rejected() {
        let config = AuthConfig {
            client_id: String::new(),
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.starts_with("client_id"), "{error}");
    }

    #[test]
    fn empty_redirect_uri_is_rejected() {
        let config = AuthConfig {
            redirect_uri: " ".to_string(),
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.starts_with("redirect_uri"), "{error}");
    }

    #[test]
    fn relative_redirect_uri_is_rejected() {
        let config = AuthConfig {
            redirect_uri: "/callback".to_string(),
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.contains("not an absolute URL"), "{error}");
    }

    #[test]
    fn empty_scope_is_rejected() {
        let config = AuthConfig {
            scope: String::new(),
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.starts_with("scope"), "{error}");
    }

    #[test]
    fn zero_timeout_is_rejected() {
        let config = AuthConfig {
            timeout_ms: 0,
            ..config()
        };
        let error = validate(&config).unwrap_err();
        assert!(error.starts_with("timeout_ms"), "{error}");
    }

    #[test]
    fn valid_config_keeps_settings() {
        let config = AuthConfig {
            audience: Some("https://api.example.com".to_string()),
            leeway_seconds: 30,
            timeout_ms: 2_500,
            ..config()
        };
        let valid = validate(&config).unwrap();
        assert_eq!(valid.client_id, "client-1");
        assert_eq!(valid.audience.as_deref(), Some("https://api.example.com"));
        assert_eq!(valid.scope, "openid profile email offline_access");
        assert_eq!(valid.redirect_uri, "com.example.app://callback");
        assert_eq!(valid.leeway_seconds, 30);
        assert_eq!(valid.timeout, Duration::from_millis(2_500));
    }

    #[test]
    fn blank_audience_counts_as_unset() {
        let config = AuthConfig {
            audience: Some(String::new()),
            ..config()
        };
        assert_eq!(validate(&config).unwrap().audience, None);
    }

    #[test]
    fn auth0_endpoints_sit_at_fixed_paths() {
        let endpoints = auth0_endpoints(&Url::parse("https://tenant.auth0.com").unwrap());
        assert_eq!(endpoints.issuer, "https://tenant.auth0.com/");
        assert_eq!(
            endpoints.authorize.as_str(),
            "https://tenant.auth0.com/authorize"
        );
        assert_eq!(
            endpoints.token.as_str(),
            "https://tenant.auth0.com/oauth/token"
        );
        assert_eq!(
            endpoints.jwks.as_str(),
            "https://tenant.auth0.com/.well-known/jwks.json"
        );
        assert_eq!(
            endpoints.revoke.unwrap().as_str(),
            "https://tenant.auth0.com/oauth/revoke"
        );
        assert_eq!(
            endpoints.userinfo.unwrap().as_str(),
            "https://tenant.auth0.com/userinfo"
        );
        assert_eq!(
            endpoints.delegation.unwrap().as_str(),
            "https://tenant.auth0.com/delegation"
        );
    }

    #[test]
    fn auth0_endpoints_keep_loopback_port() {
        let endpoints = auth0_endpoints(&Url::parse("http://127.0.0.1:4321").unwrap());
        assert_eq!(endpoints.issuer, "http://127.0.0.1:4321/");
        assert_eq!(
            endpoints.token.as_str(),
            "http://127.0.0.1:4321/oauth/token"
        );
    }

    #[test]
    fn discovery_url_appends_well_known_path() {
        let issuer = Url::parse("https://idp.example.com").unwrap();
        assert_eq!(
            discovery_url(&issuer).as_str(),
            "https://idp.example.com/.well-known/openid-configuration"
        );
    }

    #[test]
    fn discovery_url_drops_trailing_slash_of_issuer_path() {
        let issuer = Url::parse("https://idp.example.com/realms/demo/").unwrap();
        assert_eq!(
            discovery_url(&issuer).as_str(),
            "https://idp.example.com/realms/demo/.well-known/openid-configuration"
        );
    }

    const DISCOVERY: &str = r#"{
        "issuer": "https://idp.example.com",
        "authorization_endpoint": "https://idp.example.com/auth",
        "token_endpoint": "https://idp.example.com/token",
        "jwks_uri": "https://idp.example.com/jwks",
        "userinfo_endpoint": "https://idp.example.com/me",
        "revocation_endpoint": "https://idp.example.com/revoke",
        "response_types_supported": ["code"]
    }"#;

    fn discovery_with(field: &str, value: Value) -> Vec<u8> {
        let mut document: Map<String, Value> = serde_json::from_str(DISCOVERY).unwrap();
        document.insert(field.to_string(), value);
        serde_json::to_vec(&document).unwrap()
    }

    fn configured() -> Url {
        Url::parse("https://idp.example.com").unwrap()
    }

    #[test]
    fn discovery_document_gives_endpoints() {
        let endpoints = endpoints_from_discovery(&configured(), DISCOVERY.as_bytes()).unwrap();
        assert_eq!(endpoints.issuer, "https://idp.example.com");
        assert_eq!(endpoints.authorize.as_str(), "https://idp.example.com/auth");
        assert_eq!(endpoints.token.as_str(), "https://idp.example.com/token");
        assert_eq!(endpoints.jwks.as_str(), "https://idp.example.com/jwks");
        assert_eq!(
            endpoints.userinfo.unwrap().as_str(),
            "https://idp.example.com/me"
        );
        assert_eq!(
            endpoints.revoke.unwrap().as_str(),
            "https://idp.example.com/revoke"
        );
        assert_eq!(endpoints.delegation, None);
    }

    #[test]
    fn discovery_issuer_with_trailing_slash_is_kept_exactly() {
        let document = discovery_with("issuer", Value::from("https://idp.example.com/"));
        let endpoints = endpoints_from_discovery(&configured(), &document).unwrap();
        assert_eq!(endpoints.issuer, "https://idp.example.com/");
    }

    #[test]
    fn discovery_issuer_mismatch_is_rejected() {
        let document = discovery_with("issuer", Value::from("https://evil.example.com"));
        let error = endpoints_from_discovery(&configured(), &document).unwrap_err();
        assert!(error.contains("does not match"), "{error}");
    }

    #[test]
    fn discovery_issuer_with_other_path_is_rejected() {
        let document = discovery_with("issuer", Value::from("https://idp.example.com/other"));
        assert!(endpoints_from_discovery(&configured(), &document).is_err());
    }

    #[test]
    fn discovery_without_token_endpoint_is_rejected() {
        let document = discovery_with("token_endpoint", Value::Null);
        let error = endpoints_from_discovery(&configured(), &document).unwrap_err();
        assert!(error.contains("no token_endpoint"), "{error}");
    }

    #[test]
    fn discovery_without_jwks_uri_is_rejected() {
        let mut document: Map<String, Value> = serde_json::from_str(DISCOVERY).unwrap();
        document.remove("jwks_uri");
        let bytes = serde_json::to_vec(&document).unwrap();
        let error = endpoints_from_discovery(&configured(), &bytes).unwrap_err();
        assert!(error.contains("no jwks_uri"), "{error}");
    }

    #[test]
    fn discovery_plain_http_endpoint_is_rejected() {
        let document = discovery_with(
            "token_endpoint",
            Value::from("http://idp.example.com/token"),
        );
        let error = endpoints_from_discovery(&configured(), &document).unwrap_err();
        assert!(error.contains("token_endpoint"), "{error}");
        assert!(error.contains("plain http"), "{error}");
    }

    #[test]
    fn discovery_reads_delegation_endpoint() {
        let document = discovery_with(
            "delegation_endpoint",
            Value::from("https://idp.example.com/delegation"),
        );
        let endpoints = endpoints_from_discovery(&configured(), &document).unwrap();
        assert_eq!(
            endpoints.delegation.unwrap().as_str(),
            "https://idp.example.com/delegation"
        );
    }

    #[test]
    fn discovery_on_loopback_http_is_accepted() {
        let document = br#"{
            "issuer": "http://127.0.0.1:9000",
            "authorization_endpoint": "http://127.0.0.1:9000/authorize",
            "token_endpoint": "http://127.0.0.1:9000/oauth/token",
            "jwks_uri": "http://127.0.0.1:9000/.well-known/jwks.json"
        }"#;
        let configured = Url::parse("http://127.0.0.1:9000/").unwrap();
        let endpoints = endpoints_from_discovery(&configured, document).unwrap();
        assert_eq!(endpoints.issuer, "http://127.0.0.1:9000");
        assert_eq!(endpoints.revoke, None);
    }

    #[test]
    fn discovery_that_is_not_json_is_rejected() {
        let error = endpoints_from_discovery(&configured(), b"<html>Not Found</html>").unwrap_err();
        assert!(error.contains("not valid JSON"), "{error}");
        assert!(!error.contains("html"), "{error}");
    }

    #[test]
    fn discovery_non_string_endpoint_is_rejected() {
        let document = discovery_with("userinfo_endpoint", Value::from(5));
        let error = endpoints_from_discovery(&configured(), &document).unwrap_err();
        assert!(
            error.contains("userinfo_endpoint is not a string"),
            "{error}"
        );
    }
}
