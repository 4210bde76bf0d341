//! Fault injection: the next requests of an endpoint get a chosen response,
//! or lose their response after the server has handled them.

use std::collections::{HashMap, VecDeque};
use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use tracing::info;

use crate::server::ConnectionControl;

/// An endpoint that faults can be injected into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    /// `/oauth/token`
    #[serde(alias = "/oauth/token")]
    Token,
    /// `/delegation`
    #[serde(alias = "/delegation")]
    Delegation,
    /// `/oauth/revoke`
    #[serde(alias = "/oauth/revoke")]
    Revoke,
    /// `/userinfo`
    #[serde(alias = "/userinfo")]
    Userinfo,
}

/// The treatment of a request that meets a fault.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Sends this response instead of handling the request, so the
    /// request has no effect (no code used, no token rotated or revoked).
    Respond(FaultResponse),
    /// Handles the request (a refresh token rotates, a revocation takes
    /// effect), then closes the connection without a response. The client
    /// sees the connection closed before a response.
    DropResponse,
    /// Handles the request, then never responds and keeps the connection
    /// open until the client gives up or the server stops.
    Hang,
}

/// A canned HTTP response.
#[derive(Clone, Debug)]
pub struct FaultResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl FaultResponse {
    /// Creates a response with this status and an empty body.
    pub fn new(status: u16) -> FaultResponse {
        FaultResponse {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> FaultResponse {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body. Without an explicit `Content-Type` header, a body that
    /// parses as JSON is sent as `application/json`, any other non-empty
    /// body as `text/plain; charset=utf-8`.
    pub fn with_body(mut self, body: &str) -> FaultResponse {
        self.body = body.to_owned();
        self
    }

    fn to_response(&self) -> Result<Response, String> {
        let status = StatusCode::from_u16(self.status)
            .map_err(|_| format!("invalid HTTP status {}", self.status))?;
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|_| format!("invalid header name {name:?}"))?;
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| format!("invalid value for header {name}"))?;
            headers.append(name, value);
        }
        if !self.body.is_empty() && !headers.contains_key("content-type") {
            let content_type = if serde_json::from_str::<serde_json::Value>(&self.body).is_ok() {
                "application/json"
            } else {
                "text/plain; charset=utf-8"
            };
            headers.insert("content-type", HeaderValue::from_static(content_type));
        }
        Ok(response)
    }

    /// Checks that the status and headers can be sent.
    pub(crate) fn validate(&self) -> Result<(), String> {
        self.to_response().map(|_| ())
    }
}

impl From<FaultResponse> for Fault {
    fn from(response: FaultResponse) -> Fault {
        Fault::Respond(response)
    }
}

struct QueuedFault {
    fault: Fault,
    remaining: u32,
}

/// Faults waiting per endpoint, applied in the order they were added.
#[derive(Default)]
pub(crate) struct FaultQueues {
    queues: HashMap<Endpoint, VecDeque<QueuedFault>>,
}

impl FaultQueues {
    pub fn push(&mut self, endpoint: Endpoint, fault: Fault, count: u32) {
        if count == 0 {
            return;
        }
        self.queues
            .entry(endpoint)
            .or_default()
            .push_back(QueuedFault {
                fault,
                remaining: count,
            });
    }

    /// Takes the fault for the next request of `endpoint`, if any.
    pub fn take(&mut self, endpoint: Endpoint) -> Option<Fault> {
        let queue = self.queues.get_mut(&endpoint)?;
        let front = queue.front_mut()?;
        front.remaining -= 1;
        let fault = front.fault.clone();
        if front.remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    pub fn clear(&mut self) {
        self.queues.clear();
    }
}

/// Runs `handle` for a request of `endpoint`, unless `fault` replaces or
/// withholds its response.
pub(crate) async fn apply<F>(
    endpoint: Endpoint,
    fault: Option<Fault>,
    connection: &ConnectionControl,
    handle: F,
) -> Response
where
    F: Future<Output = Response>,
{
    match fault {
        None => handle.await,
        Some(Fault::Respond(canned)) => {
            info!(
                ?endpoint,
                status = canned.status,
                "sending an injected fault response"
            );
            canned
                .to_response()
                .expect("fault responses are validated when they are injected")
        }
        Some(Fault::DropResponse) => {
            let response = handle.await;
            info!(?endpoint, status = %response.status(), "dropping the response (injected fault)");
            connection.close();
            std::future::pending().await
        }
        Some(Fault::Hang) => {
            let response = handle.await;
            info!(?endpoint, status = %response.status(), "withholding the response (injected fault)");
            std::future::pending().await
        }
    }
}
