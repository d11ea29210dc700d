//! The release flow with `treaty`'s own broker client against `treaty
//! broker` on a random port, with the example provider
//! (`examples/order-service`) and contract (`examples/contracts/`):
//! publish on a branch, verify with selectors and publish the results,
//! record a deployment, can-i-deploy yes; a breaking consumer change fails
//! the provider's verification and can-i-deploy says no with the reason; a
//! feature branch's pact is verified as work in progress without failing
//! the provider build.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::{root, treaty_bin, BrokerProcess};

/// Runs `treaty ARGS...` against the broker; returns the exit code, stdout
/// and stderr.
fn treaty(broker: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(treaty_bin())
        .args(args)
        .env("PACT_BROKER_BASE_URL", broker)
        .env("NO_COLOR", "1")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .output()
        .expect("treaty runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// Runs `treaty` and asserts its exit code.
fn expect(code: i32, broker: &str, args: &[&str]) -> String {
    let (got, out, err) = treaty(broker, args);
    assert_eq!(got, code, "treaty {args:?}\nstdout:\n{out}\nstderr:\n{err}");
    format!("{out}{err}")
}

/// The example provider, in this process on a free port.
fn provider() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, order_service::app()).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

fn example() -> Value {
    let path = root().join("examples/contracts/checkout-web-order-service.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The example contract plus an interaction the provider cannot honour.
fn broken(what: &str) -> Value {
    let mut contract = example();
    contract["interactions"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "type": "Synchronous/HTTP",
            "description": format!("a request for {what}"),
            "request": {"method": "GET", "path": format!("/{what}")},
            "response": {"status": 200},
        }));
    contract
}

fn write(dir: &Path, name: &str, contract: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contract.to_string()).unwrap();
    path.display().to_string()
}

#[test]
fn the_release_flow_with_treaty_commands() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let b = broker.url.as_str();
    let provider = provider();
    let state = format!("{provider}/_treaty/state");
    let messages = format!("{provider}/_treaty/messages");
    let verify = |version: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "verify",
            "--provider",
            "order-service",
            "--provider-url",
            &provider,
            "--state-change-url",
            &state,
            "--message-url",
            &messages,
            "--provider-version",
            version,
            "--provider-branch",
            "main",
            "--publish",
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect()
    };
    let run = |code: i32, args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        expect(code, b, &refs)
    };

    // The consumer publishes on its main branch; the provider verifies the
    // main branch and the deployed versions, publishes, and is deployed.
    let good = write(dir.path(), "good.json", &example());
    let out = expect(
        0,
        b,
        &[
            "publish",
            &good,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
        ],
    );
    assert!(out.contains("Pact published"), "{out}");
    expect(
        0,
        b,
        &["create-environment", "--name", "production", "--production"],
    );
    let selectors = [
        "--consumer-version-selectors",
        r#"[{"mainBranch": true}, {"deployedOrReleased": true}]"#,
    ];
    let out = run(0, verify("p1", &selectors));
    assert!(out.contains("4 passed"), "{out}");
    expect(
        0,
        b,
        &[
            "record-deployment",
            "--pacticipant",
            "order-service",
            "--version",
            "p1",
            "--environment",
            "production",
        ],
    );
    let out = expect(
        0,
        b,
        &[
            "can-i-deploy",
            "--pacticipant",
            "checkout-web",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
    );
    assert!(out.contains("Computer says yes"), "{out}");

    // A breaking consumer change: the deployed provider fails it, and
    // can-i-deploy says no with the reason.
    let bad = write(dir.path(), "bad.json", &broken("invoices"));
    expect(
        0,
        b,
        &[
            "publish",
            &bad,
            "--consumer-app-version",
            "1.1.0",
            "--branch",
            "main",
        ],
    );
    let out = run(1, verify("p1", &["--main-branch"]));
    assert!(out.contains("a request for invoices"), "{out}");
    let out = expect(
        1,
        b,
        &[
            "can-i-deploy",
            "--pacticipant",
            "checkout-web",
            "--version",
            "1.1.0",
            "--to-environment",
            "production",
            "--output",
            "json",
        ],
    );
    let answer: Value = serde_json::from_str(out.split("\ntreaty").next().unwrap()).unwrap();
    assert_eq!(answer["summary"]["deployable"], false, "{out}");
    let out = expect(
        1,
        b,
        &[
            "can-i-deploy",
            "--pacticipant",
            "checkout-web",
            "--version",
            "1.1.0",
            "--to-environment",
            "production",
        ],
    );
    assert!(
        out.contains("Computer says no") && out.contains("false"),
        "{out}"
    );

    // The consumer reverts on main and starts a feature branch: its pact is
    // verified as work in progress and its failure does not fail the build.
    expect(
        0,
        b,
        &[
            "publish",
            &good,
            "--consumer-app-version",
            "1.2.0",
            "--branch",
            "main",
        ],
    );
    let feature = write(dir.path(), "feature.json", &broken("wishlists"));
    expect(
        0,
        b,
        &[
            "publish",
            &feature,
            "--consumer-app-version",
            "2.0.0-feat",
            "--branch",
            "feat/wishlists",
        ],
    );
    let out = run(
        0,
        verify(
            "p2",
            &[
                "--main-branch",
                "--enable-pending",
                "--include-wip-pacts-since",
                "2000-01-01",
            ],
        ),
    );
    assert!(out.contains("WIP"), "{out}");
    assert!(out.contains("does not fail the build"), "{out}");
    assert!(out.contains("a request for wishlists"), "{out}");
    let out = expect(
        0,
        b,
        &[
            "describe-version",
            "--pacticipant",
            "order-service",
            "--version",
            "p2",
        ],
    );
    assert!(out.contains("main"), "{out}");
}

#[test]
fn retrying_can_i_deploy_stops_when_the_unknown_cannot_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let b = broker.url.as_str();
    let good = write(dir.path(), "good.json", &example());
    expect(
        0,
        b,
        &[
            "publish",
            &good,
            "--consumer-app-version",
            "1",
            "--branch",
            "main",
        ],
    );
    expect(0, b, &["create-environment", "--name", "test"]);
    let started = std::time::Instant::now();
    let out = expect(
        1,
        b,
        &[
            "can-i-deploy",
            "--pacticipant",
            "checkout-web",
            "--version",
            "1",
            "--to-environment",
            "test",
            "--retry-while-unknown",
            "5",
            "--retry-interval",
            "30",
        ],
    );
    assert!(started.elapsed().as_secs() < 20, "it waited");
    assert!(out.contains("not retrying"), "{out}");
    let out = expect(
        0,
        b,
        &[
            "can-i-deploy",
            "--pacticipant",
            "checkout-web",
            "--version",
            "1",
            "--to-environment",
            "test",
            "--dry-run",
        ],
    );
    assert!(out.contains("dry run"), "{out}");
    stub_serves_the_brokers_pacts(b);
    // Nothing is sent when a file is invalid.
    let invalid = write(
        dir.path(),
        "invalid.json",
        &json!({"consumer": {"name": "x"}}),
    );
    let out = expect(
        1,
        b,
        &["publish", &good, &invalid, "--consumer-app-version", "2"],
    );
    assert!(out.contains("nothing was published"), "{out}");
    expect(
        2,
        b,
        &[
            "describe-version",
            "--pacticipant",
            "checkout-web",
            "--version",
            "2",
        ],
    );
    // An unreachable broker is exit 2 with what to check.
    let (code, _, err) = treaty(
        "http://127.0.0.1:9",
        &[
            "describe-version",
            "--pacticipant",
            "x",
            "--broker-retries",
            "0",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("check --broker-url"), "{err}");
}

/// `treaty stub --broker-url` serves the latest pacts of the consumer given.
fn stub_serves_the_brokers_pacts(broker: &str) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(treaty_bin())
        .args(["stub", "--broker-url", broker, "--consumer", "checkout-web"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("treaty stub starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let answer = reqwest::blocking::Client::new()
        .get(format!("{}/orders/1042", url.trim()))
        .header("Accept", "application/json")
        .send();
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.expect("the stub answers");
    assert_eq!(answer.status(), 200, "stub at {url}");
    let (code, _, err) = treaty(
        broker,
        &["stub", "--broker-url", broker, "--consumer", "nobody"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no pact for the --consumer"), "{err}");
}

#[test]
fn create_webhook_registers_a_webhook_whose_secret_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    // The default allows https only; this target is plain http.
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &["--webhook-scheme-allow", "http"],
    );
    let b = broker.url.as_str();
    let out = expect(
        0,
        b,
        &[
            "create-webhook",
            "http://127.0.0.1:9/hook",
            "--request",
            "POST",
            "--header",
            "Authorization: Bearer s3cret",
            "--data",
            r#"{"consumer": "${pactbroker.consumerName}"}"#,
            "--contract-published",
            "--description",
            "notify the team",
        ],
    );
    assert!(out.contains("Webhook created"), "{out}");
    let listed = reqwest::blocking::get(format!("{b}/webhooks"))
        .and_then(|r| r.text())
        .expect("the broker lists webhooks");
    assert!(
        listed.contains("notify the team") && listed.contains("contract_published"),
        "{listed}"
    );
    assert!(
        !listed.contains("s3cret"),
        "the secret was echoed: {listed}"
    );
}

/// A broker behind HTTPS with an internal CA: the broker commands trust the
/// bundle `SSL_CERT_FILE` names, and refuse the certificate without it,
/// saying why.
#[test]
fn a_broker_behind_an_internal_ca_is_trusted_through_ssl_cert_file() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let addr = broker.url.trim_start_matches("http://").parse().unwrap();
    let https = treaty_tests::server::TestServer::tls_in_front_of(addr);
    let pact = write(dir.path(), "good.json", &example());
    let publish = |ca: Option<&Path>| {
        let mut command = Command::new(treaty_bin());
        command
            .args(["publish", &pact, "--consumer-app-version", "1.0.0"])
            .env("PACT_BROKER_BASE_URL", &https.url)
            .env("NO_COLOR", "1")
            .env_remove("PACT_BROKER_TOKEN")
            .env_remove("PACT_BROKER_USERNAME");
        match ca {
            Some(ca) => command.env("SSL_CERT_FILE", ca),
            None => command.env_remove("SSL_CERT_FILE"),
        };
        command.output().expect("treaty runs")
    };
    let refused = publish(None);
    assert_ne!(refused.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("invalid peer certificate"), "{stderr}");
    assert!(
        stderr.contains("set SSL_CERT_FILE"),
        "says what to do: {stderr}"
    );
    let trusted = publish(Some(&treaty_tests::server::tls_ca_pem()));
    let out = String::from_utf8_lossy(&trusted.stdout);
    assert_eq!(
        trusted.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    assert!(out.contains("Pact published"), "{out}");
}
