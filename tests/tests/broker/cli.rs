//! The real Pact clients against `treaty broker`: publish, environments,
//! list-latest-pact-versions, the verifier with and without selectors,
//! record-deployment, can-i-deploy (yes and no, table and JSON) and stub.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::{root, venv, BrokerProcess};

pub(crate) const PROVIDER: &str = "treaty-interop-provider";
pub(crate) const CONSUMER: &str = "pact-python-v3-consumer";

/// Runs `pact ARGS...`; returns the exit code and stdout+stderr.
fn pact(args: &[&str]) -> (i32, String) {
    let output = Command::new(venv().join("bin/pact"))
        .args(args)
        .env("PACT_DO_NOT_TRACK", "true")
        .env_remove("PACT_BROKER_BASE_URL")
        .output()
        .expect("pact runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// tests/interop/provider.py on a free port; killed when dropped.
pub(crate) struct Provider {
    child: Child,
    port: String,
}

impl Provider {
    pub(crate) fn start(breakage: Option<&str>) -> Provider {
        let mut cmd = Command::new(venv().join("bin/python"));
        cmd.arg(root().join("tests/interop/provider.py"))
            .args(["0", "--host", "127.0.0.1"]);
        if let Some(b) = breakage {
            cmd.args(["--break", b]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("provider.py starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            line.starts_with("listening on "),
            "provider.py said {line:?}"
        );
        Provider { child, port }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `pact verifier` against the provider, publishing results on branch main.
pub(crate) fn verify(
    broker: &str,
    provider: &Provider,
    version: &str,
    extra: &[&str],
) -> (i32, String) {
    let state = format!("http://127.0.0.1:{}/_pact/state", provider.port);
    let mut args = vec![
        "verifier",
        "--hostname",
        "127.0.0.1",
        "--port",
        &provider.port,
        "--state-change-url",
        &state,
        "--broker-url",
        broker,
        "--provider-name",
        PROVIDER,
        "--publish",
        "--provider-version",
        version,
        "--provider-branch",
        "main",
        "--no-colour",
    ];
    args.extend_from_slice(extra);
    pact(&args)
}

fn can_i_deploy(broker: &str, json: bool) -> (i32, String) {
    let mut args = vec![
        "broker",
        "can-i-deploy",
        "--pacticipant",
        CONSUMER,
        "--version",
        "1.0.0",
        "--to-environment",
        "production",
        "-b",
        broker,
    ];
    if json {
        args.extend(["-o", "json"]);
    }
    pact(&args)
}

fn json_answer(output: &str) -> Value {
    let start = output
        .find('{')
        .unwrap_or_else(|| panic!("no JSON in {output}"));
    serde_json::Deserializer::from_str(&output[start..])
        .into_iter::<Value>()
        .next()
        .unwrap()
        .unwrap()
}

#[test]
fn the_pact_cli_publishes_verifies_deploys_and_asks_can_i_deploy() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let b = broker.url.as_str();
    let fixtures = root().join("tests/data/pact-python");
    let file = |name: &str| {
        fixtures
            .join(format!("{name}-{PROVIDER}.json"))
            .display()
            .to_string()
    };
    let files = [
        file(CONSUMER),
        file("pact-python-v3-message-consumer"),
        file("pact-python-v4-consumer"),
    ];

    let mut publish = vec!["broker", "publish"];
    publish.extend(files.iter().map(String::as_str));
    publish.extend([
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "-b",
        b,
    ]);
    let (code, out) = pact(&publish);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("Pact published for").count(), 3, "{out}");
    assert!(!out.contains("Failed to process response notices"), "{out}");

    let (code, out) = pact(&[
        "broker",
        "create-environment",
        "--name",
        "production",
        "--production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = pact(&["broker", "list-latest-pact-versions", "-b", b]);
    assert_eq!(code, 0, "{out}");
    for consumer in [
        CONSUMER,
        "pact-python-v3-message-consumer",
        "pact-python-v4-consumer",
    ] {
        assert!(out.contains(consumer), "{consumer} missing from:\n{out}");
    }

    // The provider is not in production yet: unknown, with the reason.
    let (code, out) = can_i_deploy(b, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "no version of treaty-interop-provider is currently recorded as deployed/released"
        ),
        "{out}"
    );

    // Without selectors the verifier takes the latest-pacts path; with them,
    // pacts for verification (with pending status).
    let provider = Provider::start(None);
    let (code, out) = verify(b, &provider, "2.0.0", &[]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify(
        b,
        &provider,
        "2.0.1",
        &[
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--enable-pending",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("is being verified because"), "{out}");
    drop(provider);

    let (code, out) = pact(&[
        "broker",
        "record-deployment",
        "--pacticipant",
        PROVIDER,
        "--version",
        "2.0.1",
        "--environment",
        "production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = can_i_deploy(b, false);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Computer says yes"), "{out}");
    let (_, out) = can_i_deploy(b, true);
    assert_eq!(json_answer(&out)["summary"]["deployable"], true, "{out}");

    // A failing provider version deployed: no.
    let broken = Provider::start(Some("user-name"));
    let (code, out) = verify(
        b,
        &broken,
        "2.0.2",
        &["--consumer-version-selectors", r#"{"mainBranch":true}"#],
    );
    assert_eq!(code, 1, "{out}");
    drop(broken);
    let (code, out) = pact(&[
        "broker",
        "record-deployment",
        "--pacticipant",
        PROVIDER,
        "--version",
        "2.0.2",
        "--environment",
        "production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = can_i_deploy(b, false);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("failed"), "{out}");
    let (_, out) = can_i_deploy(b, true);
    assert_eq!(json_answer(&out)["summary"]["deployable"], false, "{out}");

    stub_serves_the_latest_pacts(b);
}

/// `pact stub --broker-url` loads every latest pact from the broker.
fn stub_serves_the_latest_pacts(broker: &str) {
    let pact_bin = venv().join("bin/pact");
    let mut child = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" stub --broker-url \"$1\" -p 0 2>&1",
            &pact_bin.display().to_string(),
            broker,
        ])
        .env("PACT_DO_NOT_TRACK", "true")
        .stdout(Stdio::piped())
        .spawn()
        .expect("pact stub starts");
    let mut seen = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap_or_default();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("Server started") || line.contains("ERROR") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("Loaded 3 pacts"), "{seen}");
    assert!(seen.contains("Server started"), "{seen}");
}
