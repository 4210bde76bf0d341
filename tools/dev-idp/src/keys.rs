//! RS256 signing keys and the JWKS that publishes them.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const KEY_BITS: usize = 2048;

/// One RSA key pair, with its key id and the forms jsonwebtoken needs.
pub(crate) struct SigningKey {
    pub kid: String,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    n: String,
    e: String,
}

impl SigningKey {
    /// Generates a new key pair. This is CPU-bound work of a fraction of a
    /// second with optimised `rsa`, so async callers run it on a blocking
    /// thread.
    pub fn generate() -> SigningKey {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, KEY_BITS)
            .expect("generating an RSA key with the OS random source failed");
        let der = private
            .to_pkcs1_der()
            .expect("encoding a fresh RSA key as PKCS#1 DER failed");
        let public = private.to_public_key();
        let n = URL_SAFE_NO_PAD.encode(public.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(public.e().to_bytes_be());
        let decoding = DecodingKey::from_rsa_components(&n, &e)
            .expect("a fresh RSA public key is a valid JWK");
        SigningKey {
            kid: thumbprint(&n, &e),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            decoding,
            n,
            e,
        }
    }

    /// Returns the public half as a JSON Web Key (RFC 7517).
    pub fn public_jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
            "n": self.n,
            "e": self.e,
        })
    }
}

/// Computes the RFC 7638 thumbprint, a stable key id derived from the
/// public key.
fn thumbprint(n: &str, e: &str) -> String {
    // RFC 7638 section 3.2: the required members in lexicographic order,
    // without white space.
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The signing key in use and the ones it replaced. Retired keys stay in
/// the JWKS so that id_tokens they signed still verify.
pub(crate) struct KeySet {
    current: Arc<SigningKey>,
    retired: Vec<Arc<SigningKey>>,
}

impl KeySet {
    pub fn new(key: SigningKey) -> KeySet {
        KeySet {
            current: Arc::new(key),
            retired: Vec::new(),
        }
    }

    pub fn current(&self) -> Arc<SigningKey> {
        self.current.clone()
    }

    /// Makes `key` the signing key and keeps the old one for verification.
    pub fn rotate(&mut self, key: SigningKey) {
        let old = std::mem::replace(&mut self.current, Arc::new(key));
        self.retired.push(old);
    }

    pub fn find(&self, kid: &str) -> Option<Arc<SigningKey>> {
        std::iter::once(&self.current)
            .chain(self.retired.iter())
            .find(|key| key.kid == kid)
            .cloned()
    }

    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = std::iter::once(&self.current)
            .chain(self.retired.iter())
            .map(|key| key.public_jwk())
            .collect();
        json!({ "keys": keys })
    }
}
