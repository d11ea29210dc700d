//! Consumer version selectors, pending and WIP against the running binary:
//! every selector the issue lists (mainBranch, branch, fallbackBranch,
//! matchingBranch, latest, tag, fallbackTag, deployed, released,
//! deployedOrReleased, environment, consumer) and the defaults of an empty
//! list pick exactly the expected consumer versions; pending ends when the
//! provider's branch verifies successfully; a feature branch's pact comes
//! back as WIP with the notices clients print.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::wire::{path_of, publication, Call};
use crate::{pact, BrokerProcess};

fn ok(base: &str, call: Call, what: &str) -> Value {
    let answer = call.expect(base);
    assert!(
        (200..300).contains(&answer.status),
        "{what}: {} {}",
        answer.status,
        answer.text
    );
    answer.json
}

fn publish(base: &str, consumer: &str, version: &str, branch: &str, tags: &[&str]) {
    ok(
        base,
        Call::new("POST", "/contracts/publish").json(&publication(
            &pact(consumer, "Bar", &format!("{consumer}{version}")),
            version,
            Some(branch),
            tags,
        )),
        "publish",
    );
}

fn for_verification(base: &str, body: &Value) -> Vec<Value> {
    let answer = ok(
        base,
        Call::new("POST", "/pacts/provider/Bar/for-verification").json(body),
        &body.to_string(),
    );
    answer["_embedded"]["pacts"].as_array().unwrap().clone()
}

/// "Consumer (version)" of each selected pact.
fn picked(base: &str, selectors: Value) -> BTreeSet<String> {
    for_verification(base, &json!({"consumerVersionSelectors": selectors}))
        .iter()
        .map(|p| {
            let name = p["_links"]["self"]["name"].as_str().unwrap();
            assert!(p["shortDescription"].is_string(), "{p}");
            name.trim_start_matches("Pact between ")
                .trim_end_matches(" and Bar")
                .to_owned()
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Foo: 0.9.0 (main, prod, deployed to staging), 1.0.0 (main, prod,
/// released to production), 1.1.0 (main, dev), 1.2.0 (feat/x).
/// Baz: 3.0.0 (main, prod).
fn history(base: &str) {
    publish(base, "Foo", "0.9.0", "main", &["prod"]);
    publish(base, "Foo", "1.0.0", "main", &["prod"]);
    publish(base, "Foo", "1.1.0", "main", &["dev"]);
    publish(base, "Foo", "1.2.0", "feat/x", &[]);
    publish(base, "Baz", "3.0.0", "main", &["prod"]);
    for consumer in ["Foo", "Baz"] {
        ok(
            base,
            Call::new("PATCH", format!("/pacticipants/{consumer}"))
                .json(&json!({"mainBranch": "main"})),
            "main branch",
        );
    }
    for (env, version, kind) in [
        ("production", "1.0.0", "released"),
        ("staging", "0.9.0", "deployed"),
    ] {
        let created = ok(
            base,
            Call::new("POST", "/environments")
                .json(&json!({"name": env, "production": env == "production"})),
            "environment",
        );
        let uuid = created["uuid"].as_str().unwrap();
        ok(
            base,
            Call::new(
                "POST",
                format!("/pacticipants/Foo/versions/{version}/{kind}-versions/environment/{uuid}"),
            )
            .json(&json!({})),
            kind,
        );
    }
}

#[test]
fn every_selector_picks_exactly_its_consumer_versions() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    history(base);
    let cases = [
        (
            json!([{"mainBranch": true}]),
            set(&["Foo (1.1.0)", "Baz (3.0.0)"]),
        ),
        (json!([{"branch": "feat/x"}]), set(&["Foo (1.2.0)"])),
        (
            json!([{"branch": "gone", "fallbackBranch": "main"}]),
            set(&["Foo (1.1.0)", "Baz (3.0.0)"]),
        ),
        (
            json!([{"latest": true}]),
            set(&["Foo (1.2.0)", "Baz (3.0.0)"]),
        ),
        (
            json!([{"tag": "prod"}]),
            set(&["Foo (0.9.0)", "Foo (1.0.0)", "Baz (3.0.0)"]),
        ),
        (
            json!([{"tag": "prod", "latest": true}]),
            set(&["Foo (1.0.0)", "Baz (3.0.0)"]),
        ),
        (
            json!([{"tag": "nope", "fallbackTag": "dev", "latest": true}]),
            set(&["Foo (1.1.0)"]),
        ),
        (json!([{"deployed": true}]), set(&["Foo (0.9.0)"])),
        (json!([{"released": true}]), set(&["Foo (1.0.0)"])),
        (
            json!([{"deployedOrReleased": true}]),
            set(&["Foo (0.9.0)", "Foo (1.0.0)"]),
        ),
        (json!([{"environment": "staging"}]), set(&["Foo (0.9.0)"])),
        (
            json!([{"deployed": true, "environment": "production"}]),
            set(&[]),
        ),
        (
            json!([{"released": true, "environment": "production"}]),
            set(&["Foo (1.0.0)"]),
        ),
        (
            json!([{"mainBranch": true, "consumer": "Baz"}]),
            set(&["Baz (3.0.0)"]),
        ),
        // The defaults of an empty list: main-branch heads, deployed and
        // released versions.
        (
            json!([]),
            set(&["Foo (0.9.0)", "Foo (1.0.0)", "Foo (1.1.0)", "Baz (3.0.0)"]),
        ),
    ];
    for (selectors, expected) in cases {
        assert_eq!(picked(base, selectors.clone()), expected, "{selectors}");
    }
    let matching = for_verification(
        base,
        &json!({"consumerVersionSelectors": [{"matchingBranch": true}], "providerVersionBranch": "feat/x"}),
    );
    assert_eq!(matching.len(), 1);
    assert_eq!(
        matching[0]["_links"]["self"]["name"],
        "Pact between Foo (1.2.0) and Bar"
    );
    // A contradictory selector is a 400 naming the field.
    let answer = Call::new("POST", "/pacts/provider/Bar/for-verification")
        .json(&json!({"consumerVersionSelectors": [{"deployed": true, "latest": true}]}))
        .expect(base);
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert!(
        answer.json["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("consumerVersionSelectors")),
        "{}",
        answer.text
    );
}

#[test]
fn pending_ends_with_a_successful_result_and_feature_pacts_come_as_wip() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    history(base);
    let body = json!({
        "consumerVersionSelectors": [{"mainBranch": true}],
        "providerVersionBranch": "main",
        "includePendingStatus": true,
        "includeWipPactsSince": "2000-01-01",
    });
    let pacts = for_verification(base, &body);
    let by_name = |pacts: &[Value], name: &str| -> Value {
        pacts
            .iter()
            .find(|p| p["_links"]["self"]["name"] == name)
            .unwrap_or_else(|| panic!("{name} not selected: {pacts:?}"))
            .clone()
    };
    let foo = by_name(&pacts, "Pact between Foo (1.1.0) and Bar");
    assert_eq!(foo["verificationProperties"]["pending"], true, "{foo}");
    let notices = foo["verificationProperties"]["notices"].as_array().unwrap();
    assert!(
        notices
            .iter()
            .all(|n| n["when"].is_string() && n["text"].is_string()),
        "{notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n["text"].as_str().unwrap().contains("pending state")),
        "{notices:?}"
    );
    // The feature branch's pact is work in progress, and pending.
    let wip = by_name(&pacts, "Pact between Foo (1.2.0) and Bar");
    assert_eq!(wip["verificationProperties"]["wip"], true, "{wip}");
    assert_eq!(wip["verificationProperties"]["pending"], true, "{wip}");
    assert!(
        wip["verificationProperties"]["notices"]
            .to_string()
            .contains("work in progress"),
        "{wip}"
    );

    // Bar 10.0.0 on main verifies Foo 1.1.0's pact successfully.
    ok(
        base,
        Call::new("PUT", "/pacticipants/Bar/branches/main/versions/10.0.0").json(&json!({})),
        "provider branch",
    );
    let results = path_of(&foo["_links"]["self"]["href"]) + "/verification-results";
    ok(
        base,
        Call::new("POST", results)
            .json(&json!({"providerApplicationVersion": "10.0.0", "success": true})),
        "verification",
    );
    let pacts = for_verification(base, &body);
    let foo = by_name(&pacts, "Pact between Foo (1.1.0) and Bar");
    assert_eq!(foo["verificationProperties"]["pending"], false, "{foo}");
    let baz = by_name(&pacts, "Pact between Baz (3.0.0) and Bar");
    assert_eq!(baz["verificationProperties"]["pending"], true, "{baz}");
}
