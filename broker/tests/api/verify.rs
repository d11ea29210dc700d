//! Pacts for verification (selectors, pending, WIP) and verification results.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{pact, Broker};

async fn for_verification(broker: &Broker, body: Value) -> Vec<Value> {
    let reply = broker
        .post("/pacts/provider/Bar/for-verification", body)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["_embedded"]["pacts"].as_array().unwrap().clone()
}

fn versions(pacts: &[Value]) -> Vec<String> {
    pacts
        .iter()
        .map(|p| p["_links"]["self"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_get_answers_with_its_self_link() {
    let reply = Broker::new()
        .get("/pacts/provider/Bar/for-verification")
        .await;
    assert_eq!(
        reply.body["_links"]["self"]["href"],
        "http://broker.test/pacts/provider/Bar/for-verification"
    );
}

#[tokio::test]
async fn selectors_pick_branch_heads_tags_and_deployed_versions() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", Some("main"), &["prod"])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "1.1.0", Some("main"), &[])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "c"), "1.2.0", Some("feat/x"), &[])
        .await;
    let env = broker.environment("production").await;
    broker.deploy("Foo", "1.0.0", &env, None).await;

    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"mainBranch": true}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.1.0) and Bar"]);
    assert!(picked[0]["shortDescription"]
        .as_str()
        .unwrap()
        .contains("main branch"));
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"branch": "feat/x"}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.2.0) and Bar"]);
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"branch": "gone", "fallbackBranch": "main"}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.1.0) and Bar"]);
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"tag": "prod", "latest": true}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.0.0) and Bar"]);
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"deployed": true}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.0.0) and Bar"]);
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"latest": true}]}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.2.0) and Bar"]);
    let picked = for_verification(&broker, json!({"consumerVersionSelectors": [{"matchingBranch": true}], "providerVersionBranch": "feat/x"})).await;
    assert_eq!(versions(&picked), ["Pact between Foo (1.2.0) and Bar"]);
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"consumer": "Other", "latest": true}]}),
    )
    .await;
    assert!(picked.is_empty());
    // Defaults: main branch head plus deployed versions.
    let picked = for_verification(&broker, json!({"consumerVersionSelectors": []})).await;
    assert_eq!(
        versions(&picked),
        [
            "Pact between Foo (1.0.0) and Bar",
            "Pact between Foo (1.1.0) and Bar"
        ]
    );
    for p in &picked {
        assert!(p["shortDescription"].is_string());
        for notice in p["verificationProperties"]["notices"].as_array().unwrap() {
            assert!(
                notice.as_object().unwrap().values().all(Value::is_string),
                "notices hold strings only"
            );
        }
    }
}

#[tokio::test]
async fn the_same_content_selected_twice_is_one_entry() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &["prod"])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "2", Some("main"), &[])
        .await;
    let picked = for_verification(&broker, json!({"consumerVersionSelectors": [{"mainBranch": true}, {"tag": "prod", "latest": true}]})).await;
    assert_eq!(picked.len(), 1);
    let text = picked[0]["verificationProperties"]["notices"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("main branch (2)") && text.contains("tagged 'prod' (1)"),
        "{text}"
    );
}

#[tokio::test]
async fn invalid_selectors_are_refused() {
    let broker = Broker::new();
    for selector in [
        json!({"tag": "a", "branch": "b"}),
        json!({"mainBranch": false}),
        json!({"consumer": "Foo"}),
        json!({"deployed": true, "latest": true}),
        json!({"fallbackTag": "x", "tag": "y"}),
    ] {
        let reply = broker
            .post(
                "/pacts/provider/Bar/for-verification",
                json!({"consumerVersionSelectors": [selector]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{selector}");
        assert_eq!(reply.body["field"], "consumerVersionSelectors[0]");
    }
}

#[tokio::test]
async fn pending_until_the_provider_branch_verifies_successfully() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    let body = json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": "main", "includePendingStatus": true});
    let picked = for_verification(&broker, body.clone()).await;
    assert_eq!(picked[0]["verificationProperties"]["pending"], true);
    // A failure keeps it pending; a success on the branch ends it.
    broker
        .put("/pacticipants/Bar/branches/main/versions/10", json!({}))
        .await;
    assert_eq!(
        broker.verify("Bar", "Foo", "1", "10", false).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        for_verification(&broker, body.clone()).await[0]["verificationProperties"]["pending"],
        true
    );
    broker.verify("Bar", "Foo", "1", "10", true).await;
    assert_eq!(
        for_verification(&broker, body.clone()).await[0]["verificationProperties"]["pending"],
        false
    );
    // Not asked, or not mentioned: no pending key.
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"mainBranch": true}], "includePendingStatus": false}),
    )
    .await;
    assert!(picked[0]["verificationProperties"].get("pending").is_none());
    broker
        .publish(&pact("Foo", "Bar", "new"), "2", Some("main"), &[])
        .await;
    let picked = for_verification(
        &broker,
        json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": "main"}),
    )
    .await;
    assert_eq!(versions(&picked), ["Pact between Foo (2) and Bar"]);
    assert!(
        picked[0]["verificationProperties"].get("pending").is_none(),
        "{}",
        picked[0]["verificationProperties"]
    );
}

#[tokio::test]
async fn wip_pacts_come_with_a_branch_and_a_date() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", Some("feat"), &[])
        .await;
    let body = json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": "main", "includePendingStatus": true, "includeWipPactsSince": "2000-01-01"});
    let picked = for_verification(&broker, body.clone()).await;
    assert_eq!(picked.len(), 2);
    let wip = picked
        .iter()
        .find(|p| p["verificationProperties"]["wip"] == true)
        .expect("a WIP pact");
    assert_eq!(wip["shortDescription"], "WIP");
    assert_eq!(wip["verificationProperties"]["pending"], true);
    // A WIP verification does not end WIP status.
    let href = wip["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .strip_prefix("http://broker.test")
        .unwrap()
        .to_owned();
    broker
        .put("/pacticipants/Bar/branches/main/versions/10", json!({}))
        .await;
    let reply = broker
        .post(
            &format!("{href}/verification-results"),
            json!({"providerApplicationVersion": "10", "success": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(for_verification(&broker, body.clone()).await.len(), 2);
    // Without a provider branch: no WIP pacts.
    let picked = for_verification(&broker, json!({"consumerVersionSelectors": [{"mainBranch": true}], "includeWipPactsSince": "2000-01-01"})).await;
    assert_eq!(picked.len(), 1);
}

#[tokio::test]
async fn verification_results_are_recorded_and_readable() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", None, &[])
        .await;
    let reply = broker.verify("Bar", "Foo", "1", "2.0.0", true).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(reply.content_type.contains("json"));
    assert_eq!(reply.body["providerApplicationVersion"], "2.0.0");
    let location = reply.location.unwrap();
    let read = broker
        .get(location.strip_prefix("http://broker.test").unwrap())
        .await;
    assert_eq!(
        (read.status, read.body["success"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    let pact = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1")
        .await
        .body;
    let href = pact["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .strip_prefix("http://broker.test")
        .unwrap()
        .to_owned();
    let reply = broker
        .post(&href, json!({"providerApplicationVersion": "2.0.0"}))
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("success"))
    );
    let reply = broker
        .post(
            "/pacts/provider/Bar/consumer/Foo/pact-version/nope/verification-results",
            json!({"providerApplicationVersion": "1", "success": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn latest_provider_pacts_keep_the_deprecated_pacts_link() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", None, &["prod"])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", None, &[])
        .await;
    broker
        .publish(&pact("Baz", "Bar", "a"), "7", None, &[])
        .await;
    let reply = broker.get("/pacts/provider/Bar/latest").await.body;
    let names: Vec<&str> = reply["_links"]["pacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Pact between Baz (7) and Bar",
            "Pact between Foo (2) and Bar"
        ]
    );
    assert_eq!(reply["_links"]["pb:pacts"], reply["_links"]["pacts"]);
    let tagged = broker.get("/pacts/provider/Bar/latest/prod").await.body;
    assert_eq!(tagged["_links"]["pacts"].as_array().unwrap().len(), 1);
    assert_eq!(
        broker.get("/pacts/provider/Nobody/latest").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A provider branch inherits what other branches verified before it
/// existed, including a branch whose first build is asking right now.
#[tokio::test]
async fn a_new_provider_branch_inherits_earlier_successful_verifications() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    // feat/early exists before main verifies the pact.
    broker
        .put(
            "/pacticipants/Bar/branches/feat%2Fearly/versions/9",
            json!({}),
        )
        .await;
    broker
        .put("/pacticipants/Bar/branches/main/versions/10", json!({}))
        .await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker
        .put(
            "/pacticipants/Bar/branches/feat%2Flate/versions/11",
            json!({}),
        )
        .await;
    let pending = |branch: &str| {
        json!({"consumerVersionSelectors": [{"mainBranch": true}],
               "providerVersionBranch": branch, "includePendingStatus": true})
    };
    for (branch, expected) in [
        ("main", false),
        ("feat/late", false),
        ("feat/new", false),
        ("feat/early", true),
    ] {
        let picked = for_verification(&broker, pending(branch)).await;
        assert_eq!(
            picked[0]["verificationProperties"]["pending"], expected,
            "branch {branch}: {}",
            picked[0]["verificationProperties"]
        );
    }
}

/// Every selector of the notes (5.5) against one history: which consumer
/// versions' pacts each one picks.
#[tokio::test]
async fn selector_truth_table() {
    let broker = Broker::new();
    let prod = broker.environment("production").await;
    let test = broker.environment("test").await;
    // (consumer, version, branch, tags, content)
    for (consumer, version, branch, tags, variant) in [
        ("Foo", "0.9.0", "main", &[][..], "z"),
        ("Foo", "1.0.0", "main", &["prod"][..], "a"),
        ("Foo", "1.1.0", "main", &[][..], "b"),
        ("Foo", "1.2.0", "main", &["prod"][..], "c"),
        ("Foo", "1.3.0", "feat/x", &[][..], "d"),
        ("Foo", "2.0.0", "main", &["dev"][..], "e"),
        ("Baz", "6", "main", &[][..], "f"),
        ("Baz", "7", "main", &[][..], "g"),
    ] {
        let reply = broker
            .publish(&pact(consumer, "Bar", variant), version, Some(branch), tags)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let release =
        |v: &str| format!("/pacticipants/Foo/versions/{v}/released-versions/environment/{prod}");
    broker.deploy("Foo", "1.0.0", &prod, None).await;
    broker.post(&release("0.9.0"), json!({})).await;
    broker.post(&release("1.1.0"), json!({})).await;
    broker.deploy("Baz", "6", &test, None).await;
    broker.deploy("Baz", "7", &test, None).await;
    // Support for 0.9.0 ends: it is no longer selected as released.
    let supported = broker
        .get(&format!(
            "/environments/{prod}/released-versions/currently-supported"
        ))
        .await
        .body;
    let old = supported["_embedded"]["releasedVersions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["_embedded"]["version"]["number"] == "0.9.0")
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let ended = broker
        .call(
            axum::http::Method::PATCH,
            &format!("/released-versions/{old}"),
            Some(json!({"currentlySupported": false})),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);

    for (selector, expected) in [
        (json!({"mainBranch": true}), &["Baz 7", "Foo 2.0.0"][..]),
        (json!({"branch": "feat/x"}), &["Foo 1.3.0"]),
        (
            json!({"branch": "feat/y", "fallbackBranch": "feat/x"}),
            &["Foo 1.3.0"],
        ),
        (json!({"branch": "feat/y"}), &[]),
        (json!({"tag": "prod"}), &["Foo 1.0.0", "Foo 1.2.0"]),
        (json!({"tag": "prod", "latest": true}), &["Foo 1.2.0"]),
        (
            json!({"tag": "none", "fallbackTag": "dev", "latest": true}),
            &["Foo 2.0.0"],
        ),
        (json!({"latest": true}), &["Baz 7", "Foo 2.0.0"]),
        (json!({"latest": true, "consumer": "Baz"}), &["Baz 7"]),
        (json!({"deployed": true}), &["Baz 7", "Foo 1.0.0"]),
        (
            json!({"deployed": true, "environment": "production"}),
            &["Foo 1.0.0"],
        ),
        (json!({"released": true}), &["Foo 1.1.0"]),
        (
            json!({"deployedOrReleased": true}),
            &["Baz 7", "Foo 1.0.0", "Foo 1.1.0"],
        ),
        (
            json!({"environment": "production"}),
            &["Foo 1.0.0", "Foo 1.1.0"],
        ),
        (json!({"environment": "test"}), &["Baz 7"]),
        (json!({"matchingBranch": true}), &["Foo 1.3.0"]),
    ] {
        let picked = for_verification(
            &broker,
            json!({"consumerVersionSelectors": [selector], "providerVersionBranch": "feat/x"}),
        )
        .await;
        let mut got: Vec<String> = picked
            .iter()
            .map(|p| {
                let name = p["_links"]["self"]["name"].as_str().unwrap();
                // "Pact between Foo (1.0.0) and Bar" -> "Foo 1.0.0"
                let inner = name
                    .trim_start_matches("Pact between ")
                    .trim_end_matches(" and Bar");
                inner.replace(" (", " ").replace(')', "")
            })
            .collect();
        got.sort();
        assert_eq!(got, expected, "{selector}");
    }
}

/// WIP pacts (notes 5.7): branch heads and latest tagged versions published
/// since the date, minus what the selectors chose and what this provider
/// branch already verified.
#[tokio::test]
async fn wip_candidates_and_what_removes_them() {
    let broker = Broker::new();
    for (version, branch, tags, variant) in [
        ("1", Some("main"), &[][..], "a"),
        ("2", Some("feat/a"), &[][..], "b"),
        ("3", Some("feat/same"), &[][..], "a"),
        ("4", None, &["exp"][..], "c"),
        ("5", Some("feat/done"), &[][..], "d"),
    ] {
        broker
            .publish(&pact("Foo", "Bar", variant), version, branch, tags)
            .await;
    }
    broker
        .put("/pacticipants/Bar/branches/early/versions/9", json!({}))
        .await;
    broker
        .put("/pacticipants/Bar/branches/main/versions/10", json!({}))
        .await;
    broker.verify("Bar", "Foo", "5", "10", true).await;
    broker
        .put("/pacticipants/Bar/branches/late/versions/11", json!({}))
        .await;
    let ask = |since: &str, branch: Option<&str>, tags: &[&str]| {
        let mut body = json!({"consumerVersionSelectors": [{"mainBranch": true}],
                              "includePendingStatus": true, "includeWipPactsSince": since,
                              "providerVersionTags": tags});
        if let Some(b) = branch {
            body["providerVersionBranch"] = json!(b);
        }
        body
    };
    let wip = |picked: &[Value]| -> Vec<String> {
        let mut v: Vec<String> = picked
            .iter()
            .filter(|p| p["verificationProperties"]["wip"] == true)
            .map(|p| p["_links"]["self"]["name"].as_str().unwrap().to_owned())
            .collect();
        v.sort();
        v
    };
    let picked = for_verification(&broker, ask("2000-01-01", Some("main"), &[])).await;
    assert_eq!(
        wip(&picked),
        [
            "Pact between Foo (2) and Bar",
            "Pact between Foo (4) and Bar"
        ],
        "feat/same has main's content; feat/done was verified by main"
    );
    for p in picked
        .iter()
        .filter(|p| p["verificationProperties"]["wip"] == true)
    {
        assert_eq!(p["verificationProperties"]["pending"], true);
        assert!(p["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .contains("/metadata/"));
    }
    // A provider branch created after main verified inherits that; one
    // created before does not.
    let picked = for_verification(&broker, ask("2000-01-01", Some("late"), &[])).await;
    assert_eq!(wip(&picked).len(), 2, "{:?}", wip(&picked));
    let picked = for_verification(&broker, ask("2000-01-01", Some("early"), &[])).await;
    assert_eq!(
        wip(&picked),
        [
            "Pact between Foo (2) and Bar",
            "Pact between Foo (4) and Bar",
            "Pact between Foo (5) and Bar"
        ]
    );
    // Legacy provider tags also turn WIP on; without branch or tags, none.
    let picked = for_verification(&broker, ask("2000-01-01", None, &["master"])).await;
    assert!(!wip(&picked).is_empty());
    let picked = for_verification(&broker, ask("2000-01-01", None, &[])).await;
    assert!(wip(&picked).is_empty());
    // Nothing was published after this date.
    let picked = for_verification(&broker, ask("2999-01-01", Some("main"), &[])).await;
    assert!(wip(&picked).is_empty());
}

/// Pending (notes 5.6) by provider tags (each tag like a branch: it
/// inherits results from before it existed), with neither branch nor tags,
/// and after a later failure on a branch that once succeeded.
#[tokio::test]
async fn pending_by_tags_without_branch_and_after_a_later_failure() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    let pending = |extra: Value| {
        let mut body = json!({"consumerVersionSelectors": [{"mainBranch": true}],
                              "includePendingStatus": true});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let ask = |body: Value| {
        let broker = &broker;
        async move {
            for_verification(broker, body).await[0]["verificationProperties"]["pending"].clone()
        }
    };
    assert_eq!(ask(pending(json!({}))).await, true, "never verified");
    // Tag "early" exists before Bar 10, tagged "master", verifies.
    broker
        .put("/pacticipants/Bar/versions/9/tags/early", json!({}))
        .await;
    broker
        .put("/pacticipants/Bar/versions/10/tags/master", json!({}))
        .await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    assert_eq!(
        ask(pending(json!({}))).await,
        false,
        "verified by any version"
    );
    let tags = |t: &[&str]| pending(json!({"providerVersionTags": t}));
    assert_eq!(ask(tags(&["master"])).await, false);
    assert_eq!(ask(tags(&["early"])).await, true, "created before");
    assert_eq!(ask(tags(&["feat"])).await, false, "a new tag inherits");
    assert_eq!(ask(tags(&["master", "early"])).await, true, "any pending");
    // Branch main succeeds, then fails: no longer pending, so the failure
    // fails the build.
    broker
        .put("/pacticipants/Bar/branches/main/versions/11", json!({}))
        .await;
    broker.verify("Bar", "Foo", "1", "11", true).await;
    broker
        .put("/pacticipants/Bar/branches/main/versions/12", json!({}))
        .await;
    broker.verify("Bar", "Foo", "1", "12", false).await;
    let main = pending(json!({"providerVersionBranch": "main"}));
    assert_eq!(ask(main).await, false);
}
