//! `treaty stub`, run as a built binary: it prints the URL it listens on
//! (port 0 picks a free one), answers requests, and stops cleanly on
//! SIGINT/SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::json;

mod common;

use common::{start as start_printing_url, treaty, Running};

/// Starts `treaty stub ARGS` and reads the URL from its first stdout line.
fn start(dir: &Path, args: &[&str]) -> Running {
    let mut command = treaty(&["stub"]);
    command
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped());
    start_printing_url(command)
}

/// A minimal HTTP/1.1 GET: status and body.
fn get(url: &str, path: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().expect("a status line");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn write_contract(dir: &Path) {
    let contract = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": [{
            "description": "a user",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {"status": 200, "body": {"id": 1}}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    std::fs::write(dir.join("pact.json"), contract.to_string()).unwrap();
}

#[test]
fn prints_its_url_answers_and_stops_on_sigint() {
    let dir = tempfile::tempdir().unwrap();
    write_contract(dir.path());
    let mut stub = start(dir.path(), &["pact.json", "--port", "0"]);

    assert_eq!(get(&stub.url, "/users/1"), (200, r#"{"id":1}"#.to_owned()));
    let (status, miss) = get(&stub.url, "/users/2");
    assert_eq!(status, 404);
    assert!(miss.contains("\"location\":\"$.path\""), "{miss}");

    let signalled = Command::new("kill")
        .args(["-INT", &stub.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let status = stub.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut logs = String::new();
    stub.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(
        logs.contains("matched") && logs.contains("/users/1"),
        "{logs}"
    );
    assert!(logs.contains("no interaction matched"), "{logs}");
}

#[test]
fn a_missing_contract_exits_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["stub", "missing.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot start the stub server") && stderr.contains("missing.json"),
        "{stderr}"
    );
}

#[test]
fn a_bad_provider_state_regex_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_contract(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["stub", "pact.json", "--provider-state", "("])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("--provider-state"));
}
