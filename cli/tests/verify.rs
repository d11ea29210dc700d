//! `treaty verify`, run as a built binary against the users test provider:
//! exit codes, text output, JSON and JUnit reports, `--last-failed`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};
use tempfile::TempDir;
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

fn treaty(dir: &Path, args: &[&str]) -> Output {
    treaty_with_env(dir, args, &[])
}

/// `treaty verify` with environment variables set (`Some`) or removed
/// (`None`): the machine's own values must not decide such a test.
fn treaty_with_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_treaty"));
    command
        .arg("verify")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    command.output().expect("treaty runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn interaction(description: &str, path: &str, status: u16) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": path},
        "response": {"status": status,
            "body": {"content": "ok", "contentType": "text/plain", "encoded": false}}
    })
}

/// A contract directory: one passing and one failing interaction.
fn contracts() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let contract = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "users-api"},
        "interactions": [
            interaction("health check", "/health", 200),
            interaction("health <created>", "/health", 201),
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    std::fs::write(dir.path().join("web.json"), contract.to_string()).unwrap();
    dir
}

#[test]
fn passing_interactions_exit_0_with_a_summary() {
    let dir = contracts();
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let output = treaty(
        dir.path(),
        &[
            "web.json",
            "--provider-url",
            &server.url,
            "--filter-description",
            "check",
        ],
    );
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("✓ health check"), "{stdout}");
    assert!(
        stdout.contains("1 interaction, 1 passed, 0 failed"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn a_failure_exits_1_and_writes_json_and_junit() {
    let dir = contracts();
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let output = treaty(
        dir.path(),
        &[
            ".",
            "--provider-url",
            &server.url,
            "--json",
            "out/report.json",
            "--junit",
            "out/junit.xml",
        ],
    );
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("✗ health <created>"), "{stdout}");
    assert!(stdout.contains("$.status: "), "{stdout}");
    assert!(
        stdout.contains("2 interactions, 1 passed, 1 failed"),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains("verification failed"));

    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["verdict"], "failed");
    assert_eq!(report["summary"]["failed"], 1);
    let failed = &report["contracts"][0]["interactions"][1]["outcome"];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["mismatches"][0]["location"], "$.status");

    let xml = std::fs::read_to_string(dir.path().join("out/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases[1].attribute("name"), Some("health <created>"));
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failure.text().unwrap().contains("$.status"));
}

#[test]
fn last_failed_reruns_only_the_failures() {
    let dir = contracts();
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let first = treaty(dir.path(), &["web.json", "--provider-url", &server.url]);
    assert_eq!(first.status.code(), Some(1));
    let again = treaty(
        dir.path(),
        &[
            "web.json",
            "--provider-url",
            &server.url,
            "--last-failed",
            "--output",
            "json",
        ],
    );
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    let ran: Vec<&str> = report["contracts"][0]["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["health <created>"]);
}

#[test]
fn a_provider_that_is_down_exits_2_saying_so() {
    let dir = contracts();
    let url = TestServer::closed_port_url();
    let output = treaty(
        dir.path(),
        &["web.json", "--provider-url", &url, "--fail-fast"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("the provider gave no answer (not a contract failure)"),
        "{stderr}"
    );
    assert!(text(&output.stdout).contains("no answer (provider unreachable)"));
}

#[test]
fn requests_go_through_the_proxy_http_proxy_names() {
    let dir = contracts();
    let (router, _) = app(Break::Nothing);
    // The users app answers absolute-form requests too: it stands in for a
    // proxy in front of a provider whose name does not resolve here.
    let proxy = TestServer::serve(router);
    let run = |proxy: Option<&str>| {
        let mut env: Vec<(&str, Option<&str>)> = [
            "http_proxy",
            "HTTP_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "no_proxy",
            "NO_PROXY",
        ]
        .into_iter()
        .map(|name| (name, None))
        .collect();
        env.push(("HTTP_PROXY", proxy));
        let args = ["web.json", "--provider-url", "http://users.invalid:8080"];
        let filter = ["--filter-description", "check", "--timeout", "5s"];
        treaty_with_env(dir.path(), &[&args[..], &filter[..]].concat(), &env)
    };
    let proxied = run(Some(&proxy.url));
    assert_eq!(proxied.status.code(), Some(0), "{}", text(&proxied.stdout));
    let direct = run(None);
    assert_eq!(direct.status.code(), Some(2), "{}", text(&direct.stdout));
    let stdout = text(&direct.stdout);
    assert!(
        stdout.contains("http://users.invalid:8080/health could not be reached"),
        "{stdout}"
    );
}

#[test]
fn an_https_provider_is_verified_with_its_ca_and_refused_without() {
    let dir = contracts();
    let (router, _) = app(Break::Nothing);
    let plain = TestServer::serve(router);
    let https = TestServer::tls_in_front_of(plain.addr);
    let ca = treaty_tests::server::tls_ca_pem();
    let ca = ca.to_str().unwrap();
    // SSL_CERT_FILE is set only where a run says so: the machine's own
    // value must not decide.
    let run_with = |extra: &[&str], ssl_cert_file: Option<&str>| {
        let args = ["web.json", "--provider-url", &https.url];
        let filter = ["--filter-description", "check"];
        let env = [("SSL_CERT_FILE", ssl_cert_file)];
        treaty_with_env(dir.path(), &[&args[..], &filter[..], extra].concat(), &env)
    };
    let run = |extra: &[&str]| run_with(extra, None);
    let trusted = run(&["--ca-cert", ca]);
    assert_eq!(trusted.status.code(), Some(0), "{}", text(&trusted.stdout));
    let any = run(&["--disable-ssl-verification"]);
    assert_eq!(any.status.code(), Some(0), "{}", text(&any.stdout));
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2));
    let stdout = text(&refused.stdout);
    assert!(stdout.contains("invalid peer certificate"), "{stdout}");
    assert!(stdout.contains("--ca-cert"), "says what to do: {stdout}");
    // The bundle SSL_CERT_FILE names is trusted as OpenSSL and curl do.
    let by_env = run_with(&[], Some(ca));
    assert_eq!(by_env.status.code(), Some(0), "{}", text(&by_env.stdout));
    let broken_env = run_with(&[], Some("no-such-bundle.pem"));
    assert_eq!(broken_env.status.code(), Some(2));
    let stderr = text(&broken_env.stderr);
    assert!(stderr.contains("no-such-bundle.pem"), "{stderr}");
    assert!(stderr.contains("SSL_CERT_FILE"), "{stderr}");
    let missing = run(&["--ca-cert", "no-such-ca.pem"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = text(&missing.stderr);
    assert!(
        stderr.contains("cannot use the CA certificate no-such-ca.pem"),
        "{stderr}"
    );
}

#[test]
fn a_contract_url_behind_an_internal_ca_is_fetched_when_ssl_cert_file_trusts_it() {
    let dir = tempfile::tempdir().unwrap();
    let contract = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "users-api"},
        "interactions": [interaction("health check", "/health", 200)],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    let files = TestServer::serve_json("/pacts/web.json", contract);
    let https = TestServer::tls_in_front_of(files.addr);
    let (router, _) = app(Break::Nothing);
    let provider = TestServer::serve(router);
    let url = format!("{}/pacts/web.json", https.url);
    let ca = treaty_tests::server::tls_ca_pem();
    let run = |ssl_cert_file: Option<&str>| {
        let args = [url.as_str(), "--provider-url", &provider.url];
        treaty_with_env(dir.path(), &args, &[("SSL_CERT_FILE", ssl_cert_file)])
    };
    let trusted = run(ca.to_str());
    assert_eq!(trusted.status.code(), Some(0), "{}", text(&trusted.stderr));
    let refused = run(None);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains(&format!("cannot fetch {url}")), "{stderr}");
    assert!(
        stderr.contains("set SSL_CERT_FILE"),
        "says what to do: {stderr}"
    );
}

#[test]
fn a_failing_state_change_exits_2_saying_so() {
    let dir = contracts();
    let (router, _) = app(Break::StateChange);
    let server = TestServer::serve(router);
    let state = format!("{}/_state", server.url);
    let output = treaty(
        dir.path(),
        &[
            "web.json",
            "--provider-url",
            &server.url,
            "--state-change-url",
            &state,
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("a provider state change failed"));
}

#[test]
fn usage_errors_and_unreadable_contracts_exit_2() {
    let dir = contracts();
    let no_url = treaty(dir.path(), &["web.json"]);
    assert_eq!(no_url.status.code(), Some(2));
    let bad_duration = treaty(
        dir.path(),
        &[
            "web.json",
            "--provider-url",
            "http://x",
            "--timeout",
            "soon",
        ],
    );
    assert_eq!(bad_duration.status.code(), Some(2));
    let missing = treaty(
        dir.path(),
        &["nope.json", "--provider-url", "http://127.0.0.1:1"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("nope.json"));
}

#[test]
fn the_example_contract_verifies_against_the_example_provider() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let provider = TestServer::serve(order_service::app());
    let state_change = format!("{}/_treaty/state", provider.url);
    let output = treaty(
        &root,
        &[
            "examples/contracts",
            "--provider-url",
            &provider.url,
            "--state-change-url",
            &state_change,
        ],
    );
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("4 interactions, 4 passed, 0 failed"),
        "{stdout}"
    );
}
