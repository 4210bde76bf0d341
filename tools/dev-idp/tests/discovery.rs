mod common;

use common::{client, field, start};
use serde_json::Value;

async fn get_json(url: String) -> Value {
    let response = client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn discovery_issuer_has_trailing_slash() {
    let idp = start().await;
    let document = get_json(format!(
        "{}/.well-known/openid-configuration",
        idp.base_url()
    ))
    .await;

    assert_eq!(field(&document, "issuer"), idp.issuer());
    assert_eq!(idp.issuer(), format!("{}/", idp.base_url()));
}

#[tokio::test]
async fn discovery_lists_auth0_endpoint_paths() {
    let idp = start().await;
    let base = idp.base_url();
    let document = get_json(format!("{base}/.well-known/openid-configuration")).await;

    let expected = [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/oauth/token"),
        ("jwks_uri", "/.well-known/jwks.json"),
        ("userinfo_endpoint", "/userinfo"),
        ("revocation_endpoint", "/oauth/revoke"),
        ("delegation_endpoint", "/delegation"),
    ];
    for (name, path) in expected {
        assert_eq!(field(&document, name), format!("{base}{path}"), "{name}");
    }
}

#[tokio::test]
async fn discovery_lists_s256_and_rs256_only() {
    let idp = start().await;
    let document = get_json(format!(
        "{}/.well-known/openid-configuration",
        idp.base_url()
    ))
    .await;

    assert_eq!(
        document["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        document["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
    let grants = document["grant_types_supported"].as_array().unwrap();
    assert!(grants.contains(&Value::from("refresh_token")));
    let scopes = document["scopes_supported"].as_array().unwrap();
    assert!(scopes.contains(&Value::from("offline_access")));
}

#[tokio::test]
async fn jwks_publishes_one_rsa_signing_key() {
    let idp = start().await;
    let jwks = get_json(format!("{}/.well-known/jwks.json", idp.base_url())).await;

    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(field(key, "kty"), "RSA");
    assert_eq!(field(key, "alg"), "RS256");
    assert_eq!(field(key, "use"), "sig");
    assert_eq!(field(key, "e"), "AQAB");
    assert!(!field(key, "kid").is_empty());
    // A 2048-bit modulus is 256 bytes: 342 base64url characters.
    assert_eq!(field(key, "n").len(), 342);
}
