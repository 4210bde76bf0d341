//! The `dev-idp` binary, as the Kotlin and Swift test harnesses start it.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts the binary and returns it with the first line of its stdout.
async fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dev-idp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the dev-idp binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut first_line = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        BufReader::new(stdout).read_line(&mut first_line),
    )
    .await
    .expect("the binary prints its URL within 30 s")
    .unwrap();
    (child, first_line.trim_end().to_owned())
}

#[tokio::test]
async fn binary_prints_base_url_first() {
    let (_child, url) = spawn(&["--port", "0"]).await;

    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .expect("the first line is the base URL")
        .parse()
        .unwrap();
    assert_ne!(port, 0);
}

#[tokio::test]
async fn binary_serves_discovery_at_printed_url() {
    let (_child, url) = spawn(&["--port", "0"]).await;

    let document: Value = reqwest::get(format!("{url}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(document["issuer"], format!("{url}/"));
}

#[tokio::test]
async fn binary_applies_flags() {
    let args = [
        "--client-id",
        "sample-app",
        "--rotation",
        "off",
        "--access-token-lifetime",
        "30",
        "--id-token-lifetime",
        "40",
        "--latency-ms",
        "20",
    ];
    let (_child, url) = spawn(&args).await;

    let config: Value = reqwest::get(format!("{url}/_dev/config"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(config["rotation"], false);
    assert_eq!(config["access_token_lifetime"], 30);
    assert_eq!(config["id_token_lifetime"], 40);
    assert_eq!(config["latency_ms"], 20);
    let revoke = reqwest::Client::new()
        .post(format!("{url}/oauth/revoke"))
        .form(&[("client_id", "sample-app"), ("token", "never-issued")])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 200);
}

#[tokio::test]
async fn binary_exits_when_stdin_closes_with_flag() {
    let (mut child, _url) = spawn(&["--exit-on-stdin-close"]).await;

    drop(child.stdin.take());

    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the binary exits within 10 s of stdin closing")
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn binary_keeps_running_after_stdin_closes_without_flag() {
    let (mut child, url) = spawn(&[]).await;

    drop(child.stdin.take());
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert!(child.try_wait().unwrap().is_none());
    let response = reqwest::get(format!("{url}/_dev/stats")).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[cfg(unix)]
#[tokio::test]
async fn binary_exits_cleanly_on_sigterm() {
    let (mut child, _url) = spawn(&[]).await;

    let pid = child.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());

    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the binary exits within 10 s of SIGTERM")
        .unwrap();
    assert!(status.success());
}
