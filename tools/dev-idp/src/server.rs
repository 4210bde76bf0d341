//! The accept loop: HTTP/1.1 connections served by the router, each of
//! which a handler can close without sending a response.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower_service::Service;
use tracing::{debug, warn};

/// A handle, put in every request's extensions, that closes the request's
/// connection.
#[derive(Clone, Default)]
pub(crate) struct ConnectionControl {
    close: Arc<Notify>,
}

impl ConnectionControl {
    /// Closes the connection without sending a response. Safe to call
    /// before the connection task waits for it.
    pub fn close(&self) {
        self.close.notify_one();
    }

    async fn closed(&self) {
        self.close.notified().await;
    }
}

/// Serves connections until `shutdown`'s sender is dropped; then stops
/// accepting and closes every open connection.
pub(crate) async fn serve(listener: TcpListener, router: Router, shutdown: watch::Receiver<()>) {
    let mut stop = shutdown.clone();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Usually out of file descriptors; waiting lets some close.
                    warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        tokio::spawn(serve_connection(stream, router.clone(), shutdown.clone()));
    }
    debug!("stopped accepting connections");
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    router: Router,
    mut shutdown: watch::Receiver<()>,
) {
    let control = ConnectionControl::default();
    let request_control = control.clone();
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let mut request: Request = request.map(Body::new);
        request.extensions_mut().insert(request_control.clone());
        let mut router = router.clone();
        async move { Ok::<_, Infallible>(router.call(request).await.unwrap_or_else(|e| match e {})) }
    });
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                debug!(%error, "connection ended with an error");
            }
        }
        _ = control.closed() => debug!("closed a connection without sending a response"),
        _ = shutdown.changed() => {}
    }
}
