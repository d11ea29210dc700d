//! Retention through the binary (`--retention-days`): a database whose
//! versions are backdated by hand is cleaned at start. Kept: the head of
//! the main branch, deployed and released versions, each pacticipant's
//! newest version, every version of a recent branch. Deleted: everything
//! else, with contents no kept version publishes and branches left empty.
//! Evidence kept versions rely on (pacts, verifications) stays.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rusqlite::Connection;
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

fn publish(base: &str, version: &str, branch: &str) {
    ok(
        base,
        Call::new("POST", "/contracts/publish").json(&publication(
            &pact("Foo", "Bar", &format!("v{version}")),
            version,
            Some(branch),
            &[],
        )),
        &format!("publish {version}"),
    );
}

fn verify(base: &str, consumer_version: &str, provider_version: &str) {
    let doc = ok(
        base,
        Call::get(format!(
            "/pacts/provider/Bar/consumer/Foo/version/{consumer_version}"
        )),
        "pact",
    );
    let results = path_of(&doc["_links"]["pb:publish-verification-results"]["href"]);
    ok(
        base,
        Call::new("POST", results)
            .json(&json!({"providerApplicationVersion": provider_version, "success": true})),
        "verification",
    );
}

fn versions(base: &str, pacticipant: &str) -> BTreeSet<String> {
    let list = ok(
        base,
        Call::get(format!("/pacticipants/{pacticipant}/versions")),
        "versions",
    );
    list["_embedded"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap().to_owned())
        .collect()
}

/// Builds the history with a broker, returning the pact-version path of
/// the content only Foo 1.0.0 published.
fn history(base: &str) -> String {
    ok(
        base,
        Call::new("PATCH", "/pacticipants/Foo").json(&json!({"mainBranch": "main"})),
        "main branch",
    );
    let env = ok(
        base,
        Call::new("POST", "/environments").json(&json!({"name": "production", "production": true})),
        "environment",
    );
    let env = env["uuid"].as_str().unwrap().to_owned();
    for version in ["1.0.0", "1.0.1", "1.0.2"] {
        publish(base, version, "main");
    }
    for version in ["0.7.0", "0.8.0", "0.9.0"] {
        publish(base, version, "release");
    }
    publish(base, "1.1.0-feat.1", "feat/old");
    publish(base, "2.0.0-feat.1", "feat/new");
    publish(base, "2.0.0-feat.2", "feat/new");
    let record = |version: &str, kind: &str| {
        ok(
            base,
            Call::new(
                "POST",
                format!("/pacticipants/Foo/versions/{version}/{kind}-versions/environment/{env}"),
            )
            .json(&json!({})),
            kind,
        )
    };
    record("0.9.0", "deployed");
    record("0.8.0", "released");
    let ended = record("0.7.0", "released");
    ok(
        base,
        Call::new(
            "PATCH",
            format!("/released-versions/{}", ended["uuid"].as_str().unwrap()),
        )
        .json(&json!({"currentlySupported": false})),
        "support ended",
    );
    verify(base, "1.0.0", "5.0.0");
    verify(base, "1.0.2", "5.0.1");
    let doc = ok(
        base,
        Call::get("/pacts/provider/Bar/consumer/Foo/version/1.0.0"),
        "pact",
    );
    path_of(&doc["_links"]["pb:publish-verification-results"]["href"])
        .trim_end_matches("/verification-results")
        .to_owned()
}

#[test]
fn retention_keeps_main_heads_deployed_released_newest_and_recent_branches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broker.db");
    let broker = BrokerProcess::start(&db);
    let old_content = history(&broker.url);
    assert_eq!(versions(&broker.url, "Foo").len(), 9);
    broker.kill();

    // Everything but the feat/new branch becomes a year old.
    let conn = Connection::open(&db).unwrap();
    let backdated = conn
        .execute(
            "UPDATE versions SET created_at = '2025-01-01T00:00:00.000000Z'
             WHERE number NOT LIKE '2.0.0-feat.%'",
            [],
        )
        .unwrap();
    assert_eq!(backdated, 9);
    drop(conn);

    let broker = BrokerProcess::start_with(&db, &["--retention-days", "7"]);
    let base = broker.url.as_str();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Call::get("/pacticipants/Foo/versions/1.0.0")
        .expect(base)
        .status
        != 404
    {
        assert!(Instant::now() < deadline, "retention did not run at start");
        std::thread::sleep(Duration::from_millis(100));
    }

    let kept: BTreeSet<String> = [
        "1.0.2",        // head of main
        "0.9.0",        // deployed
        "0.8.0",        // released, still supported
        "2.0.0-feat.1", // recent branch
        "2.0.0-feat.2", // recent branch (and newest)
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(versions(base, "Foo"), kept);
    // Bar's newest version is kept though it is on no branch.
    assert_eq!(versions(base, "Bar"), BTreeSet::from(["5.0.1".to_owned()]));
    for (branch, status) in [("main", 200), ("feat%2Fnew", 200), ("feat%2Fold", 404)] {
        let answer = Call::get(format!("/pacticipants/Foo/branches/{branch}")).expect(base);
        assert_eq!(answer.status, status, "branch {branch}: {}", answer.text);
    }
    // The content only deleted versions published is gone; the kept
    // versions' pacts and verifications are intact.
    assert_eq!(Call::get(&old_content).expect(base).status, 404);
    for version in kept {
        ok(
            base,
            Call::get(format!(
                "/pacts/provider/Bar/consumer/Foo/version/{version}"
            )),
            &format!("pact of kept version {version}"),
        );
    }
    let matrix = ok(
        base,
        Call::get("/matrix?q[][pacticipant]=Foo&q[][version]=1.0.2&q[][pacticipant]=Bar&q[][version]=5.0.1"),
        "matrix",
    );
    assert_eq!(
        matrix["matrix"][0]["verificationResult"]["success"], true,
        "{matrix}"
    );
    // The deployment and the release records are intact.
    let environments = ok(base, Call::get("/environments"), "environments");
    let env = environments["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    for (listing, embedded, number) in [
        (
            "deployed-versions/currently-deployed",
            "deployedVersions",
            "0.9.0",
        ),
        (
            "released-versions/currently-supported",
            "releasedVersions",
            "0.8.0",
        ),
    ] {
        let current = ok(
            base,
            Call::get(format!("/environments/{env}/{listing}")),
            listing,
        );
        let numbers: Vec<&str> = current["_embedded"][embedded]
            .as_array()
            .unwrap_or_else(|| panic!("{current}"))
            .iter()
            .map(|d| d["_embedded"]["version"]["number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, [number], "{current}");
    }
}
