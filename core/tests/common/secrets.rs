//! What the secrets scan needs from a test run: the core's log at the most
//! detailed level in a file, and every token the tests handled in another.
//!
//! `SESSIONCORE_TRACE_FILE` names the log file and `SESSIONCORE_TOKENS_FILE`
//! the token file, one token a line; both are appended to, because several
//! test binaries share them. Without these variables nothing is written.
//! `scripts/secrets-scan.sh` sets them, runs the suite and searches the log.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::{Mutex, OnceLock};

use rand::distributions::Alphanumeric;
use rand::Rng;

/// Names the file that receives the core's trace log.
pub const TRACE_FILE_VARIABLE: &str = "SESSIONCORE_TRACE_FILE";

/// Names the file that receives every token the tests handled.
pub const TOKENS_FILE_VARIABLE: &str = "SESSIONCORE_TOKENS_FILE";

/// Tokens shorter than this are too common as substrings to search for.
const MIN_RECORDED_LENGTH: usize = 12;

/// Installs a global subscriber that writes every event of every target to
/// the trace file, once per test binary. `RUST_LOG` narrows it when set.
pub fn init_tracing() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let Some(path) = std::env::var_os(TRACE_FILE_VARIABLE) else {
            return;
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap_or_else(|error| panic!("cannot open the trace file {path:?}: {error}"));
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("trace"));
        // Another harness in the same binary may have installed one first.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            .try_init();
    });
}

fn tokens_file() -> Option<&'static Mutex<File>> {
    static FILE: OnceLock<Option<Mutex<File>>> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::var_os(TOKENS_FILE_VARIABLE)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap_or_else(|error| panic!("cannot open the tokens file {path:?}: {error}"));
        Some(Mutex::new(file))
    })
    .as_ref()
}

/// Records a token that a test issued or received, so that the scan looks
/// for it. For a JWT the signature segment is recorded too, because it is
/// unique to the token and would reveal a token that was cut into pieces.
pub fn record(token: &str) {
    init_tracing();
    let Some(file) = tokens_file() else {
        return;
    };
    let mut lines = String::new();
    let mut add = |text: &str| {
        if text.len() >= MIN_RECORDED_LENGTH && !text.contains('\n') {
            lines.push_str(text);
            lines.push('\n');
        }
    };
    add(token);
    let segments: Vec<&str> = token.split('.').collect();
    if segments.len() == 3 {
        add(segments[2]);
    }
    let mut file = file.lock().unwrap_or_else(|error| error.into_inner());
    file.write_all(lines.as_bytes())
        .expect("writing the tokens file failed");
}

/// Records every token of `credentials`.
pub fn record_credentials(credentials: &session_core::Credentials) {
    record(&credentials.access_token());
    if let Some(id_token) = credentials.id_token() {
        record(&id_token);
    }
    if let Some(refresh_token) = credentials.refresh_token() {
        record(&refresh_token);
    }
}

/// Returns a fresh random opaque token such as `rt-k3J…`, already recorded.
pub fn token(prefix: &str) -> String {
    long_token(prefix, 32)
}

/// Returns a fresh random opaque token of `prefix`, a dash and `random_length`
/// characters, already recorded.
pub fn long_token(prefix: &str, random_length: usize) -> String {
    let random: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(random_length)
        .map(char::from)
        .collect();
    let token = format!("{prefix}-{random}");
    record(&token);
    token
}
