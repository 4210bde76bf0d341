//! Opaque tokens, PKCE, scopes and the id_tokens the server signs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Header, Validation};
use rand::RngCore;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::keys::KeySet;
use crate::options::TestUser;

/// Returns a random URL-safe string carrying 256 bits from the OS random
/// source, used for codes, access tokens and refresh tokens.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks a PKCE code verifier against an S256 challenge (RFC 7636
/// section 4.6). A verifier outside the RFC's 43-128 unreserved characters
/// never matches.
pub(crate) fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// A space-separated scope list, kept in request order without duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scope(Vec<String>);

impl Scope {
    pub fn parse(text: &str) -> Scope {
        let mut items: Vec<String> = Vec::new();
        for item in text.split(' ').filter(|item| !item.is_empty()) {
            if !items.iter().any(|known| known == item) {
                items.push(item.to_owned());
            }
        }
        Scope(items)
    }

    pub fn contains(&self, item: &str) -> bool {
        self.0.iter().any(|known| known == item)
    }

    pub fn is_subset_of(&self, other: &Scope) -> bool {
        self.0.iter().all(|item| other.contains(item))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn claim_groups(&self) -> ClaimGroups {
        ClaimGroups {
            profile: self.contains("profile"),
            email: self.contains("email"),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

/// The groups of profile claims that a token or userinfo response releases
/// (OpenID Connect Core section 5.4).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClaimGroups {
    pub profile: bool,
    pub email: bool,
}

impl ClaimGroups {
    /// Infers the groups from the claims of an id_token this server signed.
    pub fn of_claims(claims: &Map<String, Value>) -> ClaimGroups {
        ClaimGroups {
            profile: claims.contains_key("name"),
            email: claims.contains_key("email"),
        }
    }
}

/// Returns `sub` and the profile claims that `groups` releases.
pub(crate) fn profile_claims(user: &TestUser, groups: ClaimGroups) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.sub.clone().into());
    if groups.profile {
        claims.insert("name".into(), user.name.clone().into());
        claims.insert("given_name".into(), user.given_name.clone().into());
        claims.insert("family_name".into(), user.family_name.clone().into());
        claims.insert("nickname".into(), user.nickname.clone().into());
        claims.insert("picture".into(), user.picture.clone().into());
        claims.insert("updated_at".into(), user.updated_at.clone());
    }
    if groups.email {
        claims.insert("email".into(), user.email.clone().into());
        claims.insert("email_verified".into(), user.email_verified.into());
    }
    claims
}

/// The inputs of one id_token besides the profile claims.
pub(crate) struct IdTokenRequest<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub lifetime: Duration,
    pub nonce: Option<&'a str>,
    pub groups: ClaimGroups,
}

/// Signs an id_token for `user` with the current key.
pub(crate) fn sign_id_token(keys: &KeySet, user: &TestUser, request: &IdTokenRequest) -> String {
    let issued_at = unix_now();
    let mut claims = profile_claims(user, request.groups);
    claims.insert("iss".into(), request.issuer.into());
    claims.insert("aud".into(), request.client_id.into());
    claims.insert("azp".into(), request.client_id.into());
    claims.insert("iat".into(), issued_at.into());
    claims.insert(
        "exp".into(),
        (issued_at + request.lifetime.as_secs()).into(),
    );
    if let Some(nonce) = request.nonce {
        claims.insert("nonce".into(), nonce.into());
    }

    let key = keys.current();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, &claims, &key.encoding)
        .expect("signing a JSON object with a valid RSA key cannot fail")
}

/// The reason an id_token presented to `/delegation` is rejected.
#[derive(Debug)]
pub(crate) enum IdTokenRejection {
    Expired,
    Invalid(String),
}

/// Verifies an id_token that this server should have signed: a known `kid`,
/// a valid RS256 signature, our issuer, audience `client_id`, and not
/// expired (no leeway). Returns its claims.
pub(crate) fn verify_own_id_token(
    keys: &KeySet,
    token: &str,
    issuer: &str,
    client_id: &str,
) -> Result<Map<String, Value>, IdTokenRejection> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| {
        IdTokenRejection::Invalid("the id_token is not a well-formed JWT".to_owned())
    })?;
    let kid = header
        .kid
        .ok_or_else(|| IdTokenRejection::Invalid("the id_token header has no kid".to_owned()))?;
    let key = keys.find(&kid).ok_or_else(|| {
        IdTokenRejection::Invalid("the id_token was not signed by this server".to_owned())
    })?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Map<String, Value>>(token, &key.decoding, &validation)
        .map(|data| data.claims)
        .map_err(|error| rejection_of(error.kind()))
}

/// Describes a verification failure without the parser's message, which can
/// quote parts of the token.
fn rejection_of(kind: &jsonwebtoken::errors::ErrorKind) -> IdTokenRejection {
    use jsonwebtoken::errors::ErrorKind;
    let reason = match kind {
        ErrorKind::ExpiredSignature => return IdTokenRejection::Expired,
        ErrorKind::InvalidSignature => "the id_token signature is invalid".to_owned(),
        ErrorKind::InvalidIssuer => "the id_token was issued by another issuer".to_owned(),
        ErrorKind::InvalidAudience => "the id_token was issued to another client".to_owned(),
        ErrorKind::ImmatureSignature => "the id_token is not valid yet".to_owned(),
        ErrorKind::InvalidAlgorithm => "the id_token is not signed with RS256".to_owned(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the id_token has no {claim} claim"),
        _ => "the id_token is not a well-formed JWT".to_owned(),
    };
    IdTokenRejection::Invalid(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn pkce_matches_rfc_example() {
        assert!(pkce_matches(RFC_VERIFIER, RFC_CHALLENGE));
    }

    #[test]
    fn pkce_rejects_other_verifier() {
        let other = RFC_VERIFIER.replace('d', "e");
        assert!(!pkce_matches(&other, RFC_CHALLENGE));
    }

    #[test]
    fn pkce_rejects_short_verifier_even_if_hash_matches() {
        let short = "abc";
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(short.as_bytes()));
        assert!(!pkce_matches(short, &challenge));
    }

    #[test]
    fn scope_parse_drops_duplicates_and_blanks() {
        let scope = Scope::parse("openid  profile openid");
        assert_eq!(scope.to_string(), "openid profile");
    }

    #[test]
    fn scope_subset_requires_every_item() {
        let granted = Scope::parse("openid profile offline_access");
        assert!(Scope::parse("profile openid").is_subset_of(&granted));
        assert!(!Scope::parse("openid email").is_subset_of(&granted));
    }

    #[test]
    fn random_tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 43);
    }
}
