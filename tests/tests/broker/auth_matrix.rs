//! The auth matrix against the running binary: every write endpoint the
//! router serves (publish both ways, merge, verification results, tags,
//! branches, versions, pacticipants, labels, environments, record
//! deployment/release/undeployment/support-ended, webhooks and their
//! execution) for every role: none, wrong credentials, read-only token,
//! read-only basic, read-write token, read-write basic. 401 and 403 are
//! JSON with a message; 401 carries the challenge. Reads need any valid
//! credential, `/health` none.

use serde_json::{json, Value};
use treaty_tests::server::TestServer;

use crate::wire::{basic, enc, path_of, publication, Answer, Call};
use crate::{pact, BrokerProcess};

const RW_TOKEN: &str = "Bearer rw-token";
const RO_TOKEN: &str = "Bearer ro-token";

fn secured(dir: &std::path::Path) -> BrokerProcess {
    BrokerProcess::start_with(
        &dir.join("broker.db"),
        &[
            "--token",
            "rw-token",
            "--read-token",
            "ro-token",
            "--basic-auth",
            "ci:s3cret",
            "--read-basic-auth",
            "viewer:look",
            "--webhook-scheme-allow",
            "http",
        ],
    )
}

/// A write made with the read-write token during set-up; must succeed.
fn setup(base: &str, method: &str, path: &str, body: &Value) -> Answer {
    let answer = Call::new(method, path)
        .auth(Some(RW_TOKEN))
        .json(body)
        .expect(base);
    assert!(
        (200..300).contains(&answer.status),
        "set-up {method} {path}: {} {}",
        answer.status,
        answer.text
    );
    answer
}

fn webhook(target: &str) -> Value {
    json!({
        "description": "audit",
        "events": [{"name": "contract_published"}],
        "request": {"method": "POST", "url": target, "body": {"p": "${pactbroker.consumerName}"}},
    })
}

/// Creates what the endpoints act on; returns every write endpoint with
/// a body a read-write client could send.
fn write_endpoints(base: &str) -> Vec<(&'static str, String, Value)> {
    setup(
        base,
        "POST",
        "/contracts/publish",
        &publication(&pact("Foo", "Bar", "a"), "1", Some("main"), &["dev"]),
    );
    setup(base, "POST", "/pacticipants", &json!({"name": "Doomed"}));
    let env = setup(
        base,
        "POST",
        "/environments",
        &json!({"name": "prod", "production": true}),
    );
    let env = env.json["uuid"].as_str().unwrap().to_owned();
    let doomed_env = setup(
        base,
        "POST",
        "/environments",
        &json!({"name": "doomed", "production": false}),
    );
    let doomed_env = doomed_env.json["uuid"].as_str().unwrap().to_owned();
    let version = "/pacticipants/Foo/versions/1";
    let deployed = setup(
        base,
        "POST",
        &format!("{version}/deployed-versions/environment/{env}"),
        &json!({}),
    );
    let deployed = deployed.json["uuid"].as_str().unwrap().to_owned();
    let released = setup(
        base,
        "POST",
        &format!("{version}/released-versions/environment/{env}"),
        &json!({}),
    );
    let released = released.json["uuid"].as_str().unwrap().to_owned();
    // A target where nothing listens: executing it fails, harmlessly.
    let target = format!("{}/hook", TestServer::closed_port_url());
    let hook = setup(base, "POST", "/webhooks", &webhook(&target));
    let hook = hook.json["uuid"].as_str().unwrap().to_owned();
    let doomed_hook = setup(base, "POST", "/webhooks", &webhook(&target));
    let doomed_hook = doomed_hook.json["uuid"].as_str().unwrap().to_owned();
    let doc = Call::get("/pacts/provider/Bar/consumer/Foo/version/1")
        .auth(Some(RW_TOKEN))
        .expect(base);
    let results = path_of(&doc.json["_links"]["pb:publish-verification-results"]["href"]);
    let pact_version = results.trim_end_matches("/verification-results").to_owned();
    let result = json!({"providerApplicationVersion": "9", "success": true});
    vec![
        (
            "POST",
            "/contracts/publish".into(),
            publication(&pact("Foo", "Bar", "a"), "2", None, &[]),
        ),
        (
            "PUT",
            "/pacts/provider/Bar/consumer/Foo/version/3".into(),
            pact("Foo", "Bar", "a"),
        ),
        (
            "PATCH",
            "/pacts/provider/Bar/consumer/Foo/version/1".into(),
            pact("Foo", "Bar", "b"),
        ),
        ("POST", results, result.clone()),
        (
            "POST",
            format!(
                "{pact_version}/metadata/{}/verification-results",
                enc("e30")
            ),
            result,
        ),
        ("PUT", format!("{version}/tags/prod"), json!({})),
        (
            "PUT",
            "/pacticipants/Foo/branches/feat%2Fx/versions/1".into(),
            json!({}),
        ),
        (
            "DELETE",
            "/pacticipants/Foo/branches/main".into(),
            json!({}),
        ),
        ("PUT", "/pacticipants/Foo/versions/7".into(), json!({})),
        ("POST", "/pacticipants".into(), json!({"name": "Baz"})),
        ("PUT", "/pacticipants/Qux".into(), json!({"name": "Qux"})),
        (
            "PATCH",
            "/pacticipants/Foo".into(),
            json!({"mainBranch": "main"}),
        ),
        ("DELETE", "/pacticipants/Doomed".into(), json!({})),
        ("PUT", "/pacticipants/Foo/labels/team-a".into(), json!({})),
        (
            "DELETE",
            "/pacticipants/Foo/labels/team-a".into(),
            json!({}),
        ),
        (
            "POST",
            "/environments".into(),
            json!({"name": "test", "production": false}),
        ),
        (
            "PUT",
            format!("/environments/{env}"),
            json!({"name": "prod", "production": true}),
        ),
        ("DELETE", format!("/environments/{doomed_env}"), json!({})),
        (
            "POST",
            format!("{version}/deployed-versions/environment/{env}"),
            json!({"applicationInstance": "blue"}),
        ),
        (
            "POST",
            format!("{version}/released-versions/environment/{env}"),
            json!({}),
        ),
        (
            "PATCH",
            format!("/deployed-versions/{deployed}"),
            json!({"currentlyDeployed": false}),
        ),
        (
            "PATCH",
            format!("/released-versions/{released}"),
            json!({"currentlySupported": false}),
        ),
        ("POST", "/webhooks".into(), webhook(&target)),
        (
            "POST",
            "/webhooks/provider/Bar/consumer/Foo".into(),
            webhook(&target),
        ),
        // A consumer whose name ends the path like the read-only
        // pacts-for-verification POST: still a write.
        (
            "POST",
            "/webhooks/provider/Bar/consumer/for-verification".into(),
            webhook(&target),
        ),
        ("PUT", format!("/webhooks/{hook}"), webhook(&target)),
        ("PUT", "/webhooks/audit-hook".into(), webhook(&target)),
        ("POST", format!("/webhooks/{hook}/execute"), json!({})),
        ("POST", "/webhooks/execute".into(), webhook(&target)),
        ("DELETE", format!("/webhooks/{doomed_hook}"), json!({})),
    ]
}

#[test]
fn each_role_on_each_write_endpoint_of_the_running_broker() {
    let dir = tempfile::tempdir().unwrap();
    let broker = secured(dir.path());
    let base = broker.url.as_str();
    let endpoints = write_endpoints(base);
    let wrong_basic = basic("ci", "wrong");
    let ro_basic = basic("viewer", "look");
    let rw_basic = basic("ci", "s3cret");
    for (method, path, body) in &endpoints {
        for (auth, status) in [
            (None, 401),
            (Some("Bearer nope"), 401),
            (Some(wrong_basic.as_str()), 401),
            (Some("Token rw-token"), 401),
            (Some(RO_TOKEN), 403),
            (Some(ro_basic.as_str()), 403),
        ] {
            let answer = Call::new(method, path).auth(auth).json(body).expect(base);
            assert_eq!(
                answer.status, status,
                "{method} {path} with {auth:?}: {}",
                answer.text
            );
            assert!(answer.is_json_error(), "{method} {path}: {answer:?}");
            if status == 401 {
                let challenge = answer.header("www-authenticate").unwrap_or_default();
                assert!(challenge.contains("Basic"), "{method} {path}: {challenge}");
            } else {
                assert!(
                    answer.json["message"]
                        .as_str()
                        .unwrap()
                        .contains("read-only"),
                    "{method} {path}: {}",
                    answer.text
                );
            }
        }
        for auth in [RW_TOKEN, rw_basic.as_str()] {
            let answer = Call::new(method, path)
                .auth(Some(auth))
                .json(body)
                .expect(base);
            assert!(
                ![401, 403].contains(&answer.status) && answer.status < 500,
                "{method} {path} with {auth}: {} {}",
                answer.status,
                answer.text
            );
        }
    }
    // The read-write calls really wrote: the label, the tag, the webhooks.
    let foo = Call::get("/pacticipants/Foo/versions/1/tags/prod")
        .auth(Some(RO_TOKEN))
        .expect(base);
    assert_eq!(foo.status, 200, "{}", foo.text);
    let hooks = Call::get("/webhooks").auth(Some(RO_TOKEN)).expect(base);
    let count = hooks.json["_embedded"]["webhooks"]
        .as_array()
        .unwrap()
        .len();
    // Set-up made two; then two each by POST, POST for an integration and
    // POST for "for-verification", one by PUT of a new uuid (twice), and
    // one deleted.
    assert_eq!(count, 2 + 2 + 2 + 2 + 1 - 1, "{}", hooks.text);
}

#[test]
fn reads_need_any_valid_credential_and_health_none() {
    let dir = tempfile::tempdir().unwrap();
    let broker = secured(dir.path());
    let base = broker.url.as_str();
    setup(
        base,
        "POST",
        "/contracts/publish",
        &publication(&pact("Foo", "Bar", "a"), "1", Some("main"), &[]),
    );
    let ro_basic = basic("viewer", "look");
    for path in [
        "/",
        "/pacticipants",
        "/pacticipants/Foo/versions/1",
        "/pacts/provider/Bar/latest",
        "/pacts/provider/Bar/for-verification",
        "/matrix?q[][pacticipant]=Foo&latestby=cvpv",
        "/environments",
        "/webhooks",
        "/metrics",
        "/openapi.json",
    ] {
        let answer = Call::get(path).expect(base);
        assert_eq!(answer.status, 401, "{path}: {}", answer.text);
        assert!(answer.is_json_error(), "{path}: {answer:?}");
        for auth in [RO_TOKEN, RW_TOKEN, ro_basic.as_str()] {
            let answer = Call::get(path).auth(Some(auth)).expect(base);
            assert_eq!(answer.status, 200, "{path} with {auth}: {}", answer.text);
        }
    }
    // A verifier only reads, though it POSTs for its pacts.
    let answer = Call::new("POST", "/pacts/provider/Bar/for-verification")
        .auth(Some(RO_TOKEN))
        .json(&json!({"consumerVersionSelectors": [{"mainBranch": true}]}))
        .expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json["_embedded"]["pacts"].as_array().map(Vec::len),
        Some(1),
        "{}",
        answer.text
    );
    let answer = Call::get("/health").expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
}
