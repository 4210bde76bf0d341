//! The README's first command must keep working: run it and read its steps.

use std::process::Command;

#[test]
fn walkthrough_runs_every_step_and_exits_zero() {
    let output = Command::new(env!("CARGO_BIN_EXE_session-walkthrough"))
        .output()
        .expect("the walkthrough starts");
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert!(
        output.status.success(),
        "exit status {:?}; stdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    for step in 0..=9 {
        assert!(
            stdout
                .lines()
                .any(|line| line.starts_with(&format!("{step}. "))),
            "step {step} is missing from:\n{stdout}"
        );
    }
    assert!(stdout.contains("rotated: yes"));
    assert!(stdout.contains("the rotated refresh token is in storage: yes"));
    assert!(stdout.contains("refused: login required"));
}

#[test]
fn walkthrough_rejects_issuer_without_client_id() {
    let output = Command::new(env!("CARGO_BIN_EXE_session-walkthrough"))
        .args(["--issuer", "https://example.com/"])
        .output()
        .expect("the walkthrough starts");

    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--client-id"));
}
