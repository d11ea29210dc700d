//! Interoperability with the Pact reference tools, tested with the real
//! clients: pacts written by pact-python are read and written back by
//! treaty without loss, and contracts treaty writes are verified by the
//! reference `pact verifier` (from PyPI `pact-python-cli`).
//!
//! Needs the Python environment of `scripts/python-env.sh` (`.venv` at the
//! workspace root, or `$TREATY_VENV`); the README's test command builds it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use treaty_core::model::{Contract, SpecVersion};
use treaty_core::read::parse_contract;
use treaty_core::write::write_contract;
use treaty_tests::python::{root, venv_python};
use treaty_tests::server::TestServer;

fn pact_python_files() -> Vec<PathBuf> {
    let dir = root().join("tests/data/pact-python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "the pact-python fixtures are missing");
    files
}

fn read(path: &Path) -> Contract {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_contract(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a round trip may change: the version read from and treaty's own
/// metadata entry.
fn normalised(mut contract: Contract) -> Contract {
    contract.spec_version = SpecVersion::V4;
    contract.metadata.remove("treaty");
    contract
}

#[test]
fn pact_python_pacts_survive_being_written_back() {
    for file in pact_python_files() {
        let original = read(&file);
        for version in [original.spec_version, SpecVersion::V4] {
            let text = write_contract(&original, version)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let back =
                parse_contract(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", file.display()));
            assert_eq!(
                normalised(back),
                normalised(original.clone()),
                "{} changed when written back as {version}",
                file.display()
            );
        }
    }
}

/// A pact file's JSON with what writing may legitimately change taken out:
/// treaty's metadata entry, and the `{"": rules}` spelling pact-reference
/// uses for status rules (treaty writes the rules directly, as the
/// compatibility suite's fixtures do).
fn comparable(mut value: Value) -> Value {
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("treaty");
    }
    unwrap_unkeyed(&mut value);
    value
}

fn unwrap_unkeyed(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in ["status", "path"] {
                if let Some(Value::Object(rules)) = map.get_mut(key) {
                    if rules.len() == 1 && rules.contains_key("") {
                        let inner = rules.remove("").unwrap_or_default();
                        map.insert(key.into(), inner);
                    }
                }
            }
            map.values_mut().for_each(unwrap_unkeyed);
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_unkeyed),
        _ => {}
    }
}

#[test]
fn pact_python_files_are_written_back_field_for_field() {
    for file in pact_python_files() {
        let text = std::fs::read_to_string(&file).expect("reads");
        let original: Value = serde_json::from_str(&text).expect("JSON");
        let contract = read(&file);
        let written: Value = serde_json::from_str(
            &write_contract(&contract, contract.spec_version).expect("writes"),
        )
        .expect("JSON");
        assert_eq!(
            comparable(written),
            comparable(original),
            "{} lost or changed something when written back in its own version",
            file.display()
        );
    }
}

/// Runs the reference verifier (through tests/interop/verify.py, which
/// starts the interop provider) on a pact; returns its exit code and output.
fn pact_verifier(pact: &Path, extra: &[&str]) -> (i32, String) {
    let output = Command::new(venv_python())
        .arg(root().join("tests/interop/verify.py"))
        .args(extra)
        .arg(pact)
        .env("PACT_DO_NOT_TRACK", "true")
        .output()
        .expect("verify.py runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn pact_verifier_accepts_contracts_treaty_wrote() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in pact_python_files() {
        let contract = read(&file);
        let written = dir.path().join(file.file_name().expect("file name"));
        std::fs::write(
            &written,
            write_contract(&contract, SpecVersion::V4).expect("writes V4"),
        )
        .expect("writes file");
        let (code, output) = pact_verifier(&written, &[]);
        assert_eq!(
            code,
            0,
            "pact verifier rejected treaty's V4 form of {}:\n{output}",
            file.display()
        );
    }
    // The verifier really checks what treaty wrote: a wrong provider fails it.
    let v4 = dir
        .path()
        .join("pact-python-v4-consumer-treaty-interop-provider.json");
    let (code, output) = pact_verifier(&v4, &["--break", "status"]);
    assert_eq!(
        code, 1,
        "a broken provider must fail verification:\n{output}"
    );
}

/// The example contract is written by checkout-web's DSL tests
/// (`examples/checkout-web`; `scripts/test` checks the committed file is
/// their output): the reference verifier accepts it against the example
/// provider.
#[test]
fn pact_verifier_accepts_the_example_contract_against_the_example_provider() {
    let provider = TestServer::serve(order_service::app());
    let port = provider.addr.port();
    let pact = venv_python().with_file_name("pact");
    let output = Command::new(&pact)
        .args([
            "verifier",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--no-colour",
        ])
        .arg("--state-change-url")
        .arg(format!("http://127.0.0.1:{port}/_treaty/state"))
        .arg("--file")
        .arg(root().join("examples/contracts/checkout-web-order-service.json"))
        .env("PACT_DO_NOT_TRACK", "true")
        .output()
        .expect("pact verifier runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pact verifier failed:\n{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for description in [
        "a request for an existing order",
        "a request for an order that does not exist",
        "a request to place an order",
        "an order-paid event",
    ] {
        assert!(
            text.contains(description),
            "{description} was not verified:\n{text}"
        );
    }
    assert!(!text.contains("FAILED"), "{text}");
}
