//! `treaty broker` with authentication on, driven by the real Pact CLI
//! with `--broker-token` and `--broker-username`/`--broker-password`.

use std::process::Command;

use crate::{root, venv, BrokerProcess};

/// Runs `pact ARGS...` with no broker credentials from the environment;
/// returns the exit code and stdout+stderr.
pub(crate) fn pact(args: &[&str]) -> (i32, String) {
    let output = Command::new(venv().join("bin/pact"))
        .args(args)
        .env("PACT_DO_NOT_TRACK", "true")
        .env("PACT_BROKER_HTTP_RETRIES", "0")
        .env_remove("PACT_BROKER_BASE_URL")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .env_remove("PACT_BROKER_PASSWORD")
        .output()
        .expect("pact runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn publish(broker: &str, version: &str, credentials: &[&str]) -> (i32, String) {
    let file = root()
        .join("tests/data/pact-python/pact-python-v3-consumer-treaty-interop-provider.json")
        .display()
        .to_string();
    let mut args = vec![
        "broker",
        "publish",
        &file,
        "--consumer-app-version",
        version,
        "--branch",
        "main",
        "-b",
        broker,
    ];
    args.extend_from_slice(credentials);
    pact(&args)
}

#[test]
fn the_pact_cli_authenticates_with_tokens_and_basic_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &[
            "--token",
            "rw-token",
            "--read-token",
            "ro-token",
            "--basic-auth",
            "ci:s3cret",
            "--read-basic-auth",
            "viewer:look",
        ],
    );
    let b = broker.url.as_str();

    let (code, out) = publish(b, "1.0.0", &[]);
    assert_ne!(code, 0, "published without credentials: {out}");
    let (code, out) = publish(b, "1.0.0", &["--broker-token", "ro-token"]);
    assert_ne!(code, 0, "published with a read-only token: {out}");
    let (code, out) = publish(
        b,
        "1.0.0",
        &["--broker-username", "viewer", "--broker-password", "look"],
    );
    assert_ne!(code, 0, "published with read-only basic credentials: {out}");
    let (code, out) = publish(
        b,
        "1.0.0",
        &["--broker-username", "ci", "--broker-password", "nope"],
    );
    assert_ne!(code, 0, "published with a wrong password: {out}");

    let (code, out) = publish(b, "1.0.0", &["--broker-token", "rw-token"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = publish(
        b,
        "1.0.1",
        &["--broker-username", "ci", "--broker-password", "s3cret"],
    );
    assert_eq!(code, 0, "{out}");

    // Read-only credentials read.
    for credentials in [
        ["--broker-token", "ro-token", "", ""],
        ["--broker-username", "viewer", "--broker-password", "look"],
    ] {
        let mut args = vec!["broker", "list-latest-pact-versions", "-b", b];
        args.extend(credentials.iter().filter(|c| !c.is_empty()));
        let (code, out) = pact(&args);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("pact-python-v3-consumer"), "{out}");
    }
    let (code, out) = pact(&["broker", "list-latest-pact-versions", "-b", b]);
    assert_ne!(code, 0, "listed without credentials: {out}");
}
