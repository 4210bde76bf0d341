//! The oidc-provider server of `tools/oidc-provider`, run as a child process
//! for the length of one test.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Client id registered in `tools/oidc-provider/server.mjs`.
pub const CLIENT_ID: &str = "sessioncore-test";

/// How long the server may take to print its issuer. It starts in about a
/// second here; the margin is for a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running oidc-provider. Dropping it kills the process, and prints the
/// server's log when the test is failing.
pub struct NodeProvider {
    child: Child,
    // The server exits when its stdin closes, so a test process that dies
    // without running `drop` does not leave it behind.
    _stdin: ChildStdin,
    issuer: String,
    log: Arc<Mutex<String>>,
    log_reader: Option<JoinHandle<()>>,
}

impl NodeProvider {
    /// Starts `node tools/oidc-provider/server.mjs` on a free port with the
    /// given extra environment, and waits for its issuer URL.
    ///
    /// Panics, naming the fix, when Node.js or the npm packages are missing.
    pub fn start(environment: &[(&str, &str)]) -> NodeProvider {
        let package_dir = package_dir();
        if !package_dir
            .join("node_modules/oidc-provider/package.json")
            .is_file()
        {
            panic!(
                "the npm packages of tools/oidc-provider are not installed: \
                 run scripts/install-node-deps.sh from the repository root, then rerun the tests"
            );
        }

        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(&package_dir)
            .env("OIDC_PORT", "0")
            .envs(environment.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "starting `node tools/oidc-provider/server.mjs` failed ({error}): \
                     install Node.js 18 or 20, then run scripts/install-node-deps.sh"
                )
            });

        let log = Arc::new(Mutex::new(String::new()));
        let log_reader = collect_log(child.stderr.take().expect("stderr is piped"), log.clone());
        let issuer = read_issuer(child.stdout.take().expect("stdout is piped"));
        let stdin = child.stdin.take().expect("stdin is piped");

        let issuer = match issuer {
            Some(issuer) => issuer,
            None => {
                let _ = child.kill();
                let status = child.wait().ok();
                let _ = log_reader.join();
                panic!(
                    "oidc-provider printed no issuer URL within {} s (exit status: {status:?}); its log:\n{}",
                    START_TIMEOUT.as_secs(),
                    log.lock().unwrap()
                );
            }
        };
        NodeProvider {
            child,
            _stdin: stdin,
            issuer,
            log,
            log_reader: Some(log_reader),
        }
    }

    /// Returns the issuer URL, such as `http://127.0.0.1:41234`, exactly as the
    /// server puts it in discovery and in id_tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

impl Drop for NodeProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            // The reader ends once the exited server's stderr closes.
            if let Some(reader) = self.log_reader.take() {
                let _ = reader.join();
            }
            eprintln!(
                "--- oidc-provider log ({}) ---\n{}",
                self.issuer,
                self.log.lock().unwrap()
            );
        }
    }
}

/// Returns `tools/oidc-provider` of this repository, found from the crate's
/// own folder so that the tests run from any working directory.
fn package_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the core crate sits one folder below the repository root")
        .join("tools/oidc-provider")
}

/// Copies the server's stderr into `log` on a thread of its own, so that the
/// pipe never fills up and blocks the server.
fn collect_log(stderr: impl Read + Send + 'static, log: Arc<Mutex<String>>) -> JoinHandle<()> {
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    })
}

/// Reads the first stdout line, the issuer URL, waiting at most
/// `START_TIMEOUT`. Returns `None` when the server exits or stays silent.
fn read_issuer(stdout: impl Read + Send + 'static) -> Option<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let first = match reader.read_line(&mut line) {
            Ok(count) if count > 0 => Some(line.trim().to_owned()),
            _ => None,
        };
        let _ = sender.send(first);
        // Keep draining, in case the server ever prints more.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    receiver
        .recv_timeout(START_TIMEOUT)
        .ok()
        .flatten()
        .filter(|issuer| issuer.starts_with("http://127.0.0.1:"))
}
