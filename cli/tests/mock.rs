//! `treaty mock`, run as a built binary and driven by a consumer test in
//! another language: `examples/mock-python/test_orders.py` (Python standard
//! library) creates mock servers through the control API, runs its client
//! against them, verifies and writes the contract. The control server stops
//! cleanly on SIGTERM.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{start as start_printing_url, treaty, Running};

/// Starts `treaty mock --port 0 ARGS` and reads the URL it prints.
fn start(args: &[&str]) -> Running {
    let mut command = treaty(&["mock", "--port", "0"]);
    command.args(args).stderr(Stdio::null());
    start_printing_url(command)
}

#[test]
fn the_python_example_drives_treaty_mock_and_writes_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let pacts = dir.path().join("pacts");
    let mut control = start(&["--contract-dir", pacts.to_str().unwrap()]);
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/mock-python/test_orders.py");

    let output = Command::new("python3")
        .arg(&script)
        .env("TREATY_MOCK_URL", &control.url)
        .output()
        .expect("python3 runs");

    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Python consumer test failed:\n{text}"
    );
    assert!(text.contains("Ran 2 tests"), "{text}");
    let written = std::fs::read_to_string(pacts.join("checkout-py-order-service.json"))
        .expect("the contract was written");
    assert!(
        written.contains("a request for an existing order (python)"),
        "{written}"
    );

    let signalled = Command::new("kill")
        .args(["-TERM", &control.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    assert_eq!(control.child.wait().unwrap().code(), Some(0));
}
