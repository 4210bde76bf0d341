//! A local OpenID Connect identity provider shaped like Auth0, for demos
//! and tests.
//!
//! It serves Auth0's paths on 127.0.0.1 (`/authorize`, `/oauth/token`,
//! `/delegation`, `/oauth/revoke`, `/userinfo`) plus discovery and a JWKS,
//! approves one test user at once, signs id_tokens with RS256 and a key
//! made at start, checks PKCE, and rotates refresh tokens. Tests can read
//! request counters, change lifetimes and latency, revoke every token and
//! inject faults, either through [`DevIdp`] or over HTTP under `/_dev/`
//! (see the crate's README).
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! let idp = dev_idp::DevIdp::start(dev_idp::Options::default()).await?;
//! println!("domain {} issuer {}", idp.base_url(), idp.issuer());
//! # Ok(())
//! # }
//! ```

mod faults;
mod keys;
mod options;
mod routes;
mod server;
mod state;
mod stats;
mod store;
mod tokens;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::info;

pub use faults::{Endpoint, Fault, FaultResponse};
pub use options::{Options, TestUser};
pub use state::{RuntimeConfig, TokenKind};
pub use stats::Stats;

use keys::SigningKey;
use state::Shared;

/// A running identity provider. It serves on the tokio runtime that
/// called [`DevIdp::start`] until it is dropped or shut down, so a test
/// that blocks that runtime's only thread also blocks the server.
pub struct DevIdp {
    shared: Arc<Shared>,
    address: SocketAddr,
    // Dropping the sender stops the accept loop and closes every connection.
    shutdown: watch::Sender<()>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for DevIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevIdp")
            .field("address", &self.address)
            .field("client_id", &self.shared.client_id)
            .finish_non_exhaustive()
    }
}

impl DevIdp {
    /// Generates a signing key, binds 127.0.0.1 on `options.port` (0 picks a
    /// free port) and starts serving on a spawned task.
    ///
    /// # Errors
    /// Returns the error of binding the port.
    pub async fn start(options: Options) -> io::Result<DevIdp> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
        let address = listener.local_addr()?;
        let key = tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .map_err(io::Error::other)?;
        let issuer = format!("http://{address}/");
        let shared = Arc::new(Shared::new(options, issuer, key));
        let router = routes::router(shared.clone());
        let (shutdown, stopped) = watch::channel(());
        let task = tokio::spawn(server::serve(listener, router, stopped));
        info!(%address, "dev identity provider started");
        Ok(DevIdp {
            shared,
            address,
            shutdown,
            task,
        })
    }

    /// Stops accepting connections, closes the open ones and waits for the
    /// accept loop to end.
    pub async fn shutdown(self) {
        let DevIdp { shutdown, task, .. } = self;
        drop(shutdown);
        // The loop only ends by the signal above, so an error is a panic
        // that the runtime already reported.
        let _ = task.await;
        info!("dev identity provider stopped");
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: the Auth0-style
    /// domain that the fixed paths are appended to.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `http://127.0.0.1:PORT/`, with the trailing slash that Auth0 issuers
    /// have: the `iss` of every id_token and the discovery base.
    pub fn issuer(&self) -> String {
        self.shared.issuer.clone()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    pub fn user(&self) -> &TestUser {
        &self.shared.user
    }

    /// Returns the request counters.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Sets every counter back to zero.
    pub fn reset_stats(&self) {
        self.shared.reset_stats();
    }

    /// Returns the refresh tokens that `/oauth/token` would accept now.
    pub fn valid_refresh_tokens(&self) -> Vec<String> {
        self.shared.store().valid_refresh_tokens()
    }

    /// Returns whether `/oauth/token` would accept this refresh token now.
    pub fn is_refresh_token_valid(&self, token: &str) -> bool {
        self.shared.active_token_kind(token) == Some(TokenKind::RefreshToken)
    }

    /// Returns whether `/userinfo` would accept this access token now.
    pub fn is_access_token_valid(&self, token: &str) -> bool {
        self.shared.active_token_kind(token) == Some(TokenKind::AccessToken)
    }

    /// Revokes every grant (refresh and access tokens) and pending code, as
    /// an administrator ending all of the user's sessions would. Returns
    /// the number of grants revoked.
    pub fn revoke_all(&self) -> usize {
        self.shared.store().revoke_all()
    }

    pub fn config(&self) -> RuntimeConfig {
        self.shared.config()
    }

    /// Changes the delay before `/oauth/token` and `/delegation` handle a
    /// request, from the next request on.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.update_config(|config| config.latency = latency);
    }

    pub fn set_rotation(&self, rotation: bool) {
        self.shared
            .update_config(|config| config.rotation = rotation);
    }

    pub fn set_reuse_detection(&self, reuse_detection: bool) {
        self.shared
            .update_config(|config| config.reuse_detection = reuse_detection);
    }

    /// Changes the lifetime of access tokens issued from now on.
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        self.shared
            .update_config(|config| config.access_token_lifetime = lifetime);
    }

    /// Changes the lifetime of id_tokens issued from now on.
    pub fn set_id_token_lifetime(&self, lifetime: Duration) {
        self.shared
            .update_config(|config| config.id_token_lifetime = lifetime);
    }

    /// Changes the absolute lifetime of refresh tokens of grants created
    /// from now on; `None` never expires them.
    pub fn set_refresh_token_lifetime(&self, lifetime: Option<Duration>) {
        self.shared
            .update_config(|config| config.refresh_token_lifetime = lifetime);
    }

    /// Makes the next `count` requests of `endpoint` meet `fault`, after any
    /// faults already queued for it.
    ///
    /// # Panics
    /// Panics if a [`FaultResponse`] has an invalid status or header.
    pub fn inject_fault(&self, endpoint: Endpoint, fault: impl Into<Fault>, count: u32) {
        let fault = fault.into();
        if let Fault::Respond(response) = &fault {
            if let Err(problem) = response.validate() {
                panic!("cannot inject this fault response: {problem}");
            }
        }
        self.shared.faults().push(endpoint, fault, count);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// Generates a new signing key for the id_tokens issued from now on. The
    /// JWKS lists the new key first and keeps the old ones. Returns the new
    /// key id.
    pub async fn rotate_signing_key(&self) -> String {
        self.shared.rotate_signing_key().await
    }

    /// Returns the JWKS document that `/.well-known/jwks.json` serves.
    pub fn jwks(&self) -> serde_json::Value {
        self.shared.keys().jwks()
    }
}
