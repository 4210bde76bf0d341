//! The browser's part of a login: following the authorize URL of a provider
//! that approves at once, or receiving the redirect of a person's login on a
//! loopback redirect URI (RFC 8252 §7.3).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Largest redirect request read, in bytes; a browser's is far smaller.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// Opens `authorize_url` without following redirects and returns the
/// redirect's `Location`, which carries the authorization code.
pub async fn approve_without_following(authorize_url: &str) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|error| format!("the HTTP client did not start: {error}"))?;
    let response = http
        .get(authorize_url)
        .send()
        .await
        .map_err(|error| format!("the authorize request failed: {error}"))?;
    if !response.status().is_redirection() {
        return Err(format!(
            "the authorize endpoint returned HTTP {} instead of a redirect",
            response.status()
        ));
    }
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| "the authorize redirect has no Location header".to_string())
}

/// A one-shot HTTP listener on 127.0.0.1 for the login redirect.
pub struct RedirectListener {
    listener: TcpListener,
    port: u16,
}

impl RedirectListener {
    pub async fn bind() -> Result<Self, String> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|error| format!("no loopback port for the redirect: {error}"))?;
        let port = listener
            .local_addr()
            .map_err(|error| format!("the redirect listener has no address: {error}"))?
            .port();
        Ok(RedirectListener { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the browser's request to the redirect URI, answers it with
    /// a short page, and returns the full redirect URL.
    pub async fn wait_for_redirect(self) -> Result<String, String> {
        loop {
            let (mut stream, _) = self
                .listener
                .accept()
                .await
                .map_err(|error| format!("accepting the redirect failed: {error}"))?;
            let mut buffer = vec![0u8; MAX_REQUEST_BYTES];
            let mut filled = 0;
            while filled < buffer.len() {
                let read = stream
                    .read(&mut buffer[filled..])
                    .await
                    .map_err(|error| format!("reading the redirect failed: {error}"))?;
                filled += read;
                if read == 0 || buffer[..filled].windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            let head = String::from_utf8_lossy(&buffer[..filled]);
            let target = head
                .lines()
                .next()
                .and_then(|line| line.split_whitespace().nth(1))
                .unwrap_or("/");
            if !target.starts_with("/callback") {
                // Browsers also ask for /favicon.ico and the like.
                let _ = stream
                    .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                    .await;
                continue;
            }
            let page = "<p>Login received. You can close this window.</p>";
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            return Ok(format!("http://127.0.0.1:{}{target}", self.port));
        }
    }
}
