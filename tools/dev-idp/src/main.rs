//! Runs the dev identity provider as a process: prints its base URL as the
//! first line of stdout, then serves until SIGINT, SIGTERM or (with
//! `--exit-on-stdin-close`) the end of stdin.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use dev_idp::{DevIdp, Options};
use tokio::sync::oneshot;
use tracing::info;
use tracing_subscriber::EnvFilter;

/// A local OpenID Connect identity provider shaped like Auth0, for demos and
/// tests. Logs go to stderr; set RUST_LOG to change the level.
#[derive(Parser)]
#[command(name = "dev-idp", version)]
struct Args {
    /// Port to listen on at 127.0.0.1; 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The client id that the server accepts.
    #[arg(long, default_value = "dev-client")]
    client_id: String,
    /// Whether refreshing returns a new refresh token and invalidates the
    /// old one.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    rotation: Switch,
    /// Whether reusing a rotated refresh token revokes its whole grant.
    #[arg(long, value_enum, default_value_t = Switch::Off)]
    reuse_detection: Switch,
    /// Access token lifetime, in seconds.
    #[arg(long, default_value_t = 3600)]
    access_token_lifetime: u64,
    /// Id_token lifetime, in seconds.
    #[arg(long, default_value_t = 36_000)]
    id_token_lifetime: u64,
    /// Absolute refresh token lifetime, in seconds; without it refresh tokens
    /// never expire.
    #[arg(long)]
    refresh_token_lifetime: Option<u64>,
    /// Delay before /oauth/token and /delegation handle a request, in
    /// milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// A redirect URI that /authorize accepts; repeat for several. Without
    /// any, every redirect URI is accepted.
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Exit when stdin reaches end of file, so that the server stops when
    /// the process that started it dies.
    #[arg(long)]
    exit_on_stdin_close: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Switch {
    On,
    Off,
}

impl Args {
    fn options(&self) -> Options {
        Options {
            port: self.port,
            client_id: self.client_id.clone(),
            redirect_uris: self.redirect_uris.clone(),
            rotation: self.rotation == Switch::On,
            reuse_detection: self.reuse_detection == Switch::On,
            access_token_lifetime: Duration::from_secs(self.access_token_lifetime),
            id_token_lifetime: Duration::from_secs(self.id_token_lifetime),
            refresh_token_lifetime: self.refresh_token_lifetime.map(Duration::from_secs),
            latency: Duration::from_millis(self.latency_ms),
            ..Options::default()
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let args = Args::parse();
    let idp = DevIdp::start(args.options()).await?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", idp.base_url())?;
    stdout.flush()?;
    drop(stdout);

    let reason = wait_for_stop(args.exit_on_stdin_close).await?;
    info!(reason, "stopping");
    idp.shutdown().await;
    Ok(())
}

/// Waits for SIGINT, SIGTERM or, when asked, the end of stdin, and returns
/// which one came.
async fn wait_for_stop(exit_on_stdin_close: bool) -> std::io::Result<&'static str> {
    let stdin_closed = async {
        if exit_on_stdin_close {
            stdin_end().await
        } else {
            std::future::pending().await
        }
    };
    #[cfg(unix)]
    let terminate = async {
        let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        signal.recv().await;
        Ok::<(), std::io::Error>(())
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<std::io::Result<()>>();

    tokio::select! {
        result = tokio::signal::ctrl_c() => result.map(|()| "interrupted"),
        result = terminate => result.map(|()| "terminated"),
        () = stdin_closed => Ok("stdin closed"),
    }
}

/// Resolves when stdin reaches end of file or fails. Reading happens on a
/// plain thread because a blocking read cannot be cancelled.
async fn stdin_end() {
    let (sender, receiver) = oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut buffer), Ok(read) if read > 0) {}
        let _ = sender.send(());
    });
    let _ = receiver.await;
}
