//! The matrix and can-i-deploy truth tables.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{pact, Broker};

mod truth_table;

async fn can_i_deploy(broker: &Broker, pacticipant: &str, version: &str) -> Value {
    let reply = broker
        .get(&format!(
            "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment=production"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// Foo 1 has a pact with Bar; production exists.
async fn setup() -> (Broker, String) {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    let env = broker.environment("production").await;
    (broker, env)
}

#[tokio::test]
async fn provider_not_in_the_environment_is_unknown_and_says_so() {
    let (broker, _) = setup().await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
    assert_eq!(answer["summary"]["unknown"], 1);
    let row = &answer["matrix"][0];
    assert_eq!(row["provider"]["version"], Value::Null);
    assert_eq!(row["verificationResult"], Value::Null);
    assert!(
        row["reason"]
            .as_str()
            .unwrap()
            .contains("no version of Bar is currently recorded as deployed/released"),
        "{row}"
    );
}

#[tokio::test]
async fn verified_deployed_provider_is_deployable_and_failure_is_not() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.deploy("Bar", "10", &env, None).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(
        answer["summary"]["reason"],
        "All required verification results are published and successful"
    );
    assert_eq!(answer["matrix"][0]["verificationResult"]["success"], true);

    broker.verify("Bar", "Foo", "1", "10", false).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], false);
    assert_eq!(answer["summary"]["failed"], 1);
    assert!(answer["summary"]["reason"]
        .as_str()
        .unwrap()
        .contains("failed"));
}

#[tokio::test]
async fn every_co_resident_provider_version_must_be_verified() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.put("/pacticipants/Bar/versions/9", json!({})).await;
    broker.deploy("Bar", "10", &env, Some("new")).await;
    broker.deploy("Bar", "9", &env, Some("old")).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null, "{answer}");
    assert_eq!(
        (
            answer["summary"]["success"].as_u64(),
            answer["summary"]["unknown"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let unknown = answer["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "unknown")
        .unwrap();
    assert!(
        unknown["reason"]
            .as_str()
            .unwrap()
            .contains("verified only by other versions of Bar (10)"),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_provider_version_created_by_tagging_is_not_evidence() {
    let (broker, env) = setup().await;
    broker
        .put("/pacticipants/Bar/versions/11/tags/prod", json!({}))
        .await;
    broker.deploy("Bar", "11", &env, None).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
    assert!(answer["matrix"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Bar has never verified this pact"));
}

#[tokio::test]
async fn a_provider_is_checked_against_consumers_in_the_environment_only() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", false).await;
    // Foo is not in production: Bar 10 may go.
    assert_eq!(
        can_i_deploy(&broker, "Bar", "10").await["summary"]["deployable"],
        true
    );
    broker.deploy("Foo", "1", &env, None).await;
    assert_eq!(
        can_i_deploy(&broker, "Bar", "10").await["summary"]["deployable"],
        false
    );
    let ignored = broker
        .get("/can-i-deploy?pacticipant=Bar&version=10&environment=production&ignore[]=Foo")
        .await
        .body;
    assert_eq!(ignored["summary"]["deployable"], true);
    assert_eq!(ignored["summary"]["ignored"], 1);
}

#[tokio::test]
async fn a_missing_version_is_not_deployable() {
    let (broker, _) = setup().await;
    let answer = can_i_deploy(&broker, "Foo", "404").await;
    assert_eq!(answer["summary"]["deployable"], false);
    assert_eq!(
        answer["summary"]["reason"],
        "No version with number 404 exists for Foo"
    );
}

#[tokio::test]
async fn the_matrix_parses_rack_queries_and_never_truncates() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    for i in 0..120 {
        let consumer = format!("C{i:03}");
        broker
            .publish(&pact(&consumer, "Bar", "a"), "1", None, &[])
            .await;
        broker.deploy(&consumer, "1", &env, None).await;
        broker.verify("Bar", &consumer, "1", "10", true).await;
    }
    let reply = broker.get("/matrix?q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv&environment=production&limit=100").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["matrix"].as_array().unwrap().len(), 120);
    assert_eq!(reply.body["summary"]["deployable"], true);
    assert_eq!(reply.body["summary"]["success"], 120);
    // Encoded brackets and two explicit selectors.
    let reply = broker.get("/matrix?q%5B%5D%5Bpacticipant%5D=C000&q%5B%5D%5Bversion%5D=1&q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv").await;
    assert_eq!(
        reply.body["matrix"].as_array().unwrap().len(),
        1,
        "{}",
        reply.body
    );
    assert_eq!(reply.body["summary"]["deployable"], true);
    let reply = broker.get("/matrix?latestby=cvp").await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("q"))
    );
}

/// Counts of (success, failed, unknown) in an answer's summary.
fn counts(answer: &Value) -> (u64, u64, u64) {
    let s = &answer["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("{k}: {s}"));
    (n("success"), n("failed"), n("unknown"))
}

/// 150 released versions of a mobile consumer, each with a pact (three
/// contents): more rows than the Pact Broker's default limit of 100.
#[tokio::test]
async fn a_hundred_and_fifty_released_consumer_versions_are_all_checked() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    for i in 1..=150 {
        let variant = match i {
            3 => "old",
            _ if i <= 75 => "a",
            _ => "b",
        };
        let version = i.to_string();
        let reply = broker
            .publish(&pact("App", "Bar", variant), &version, None, &["mobile"])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let reply = broker
            .post(
                &format!("/pacticipants/App/versions/{i}/released-versions/environment/{env}"),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    // Bar 10 verifies two of the three contents (versions 1 and 150 carry them).
    broker.verify("Bar", "App", "1", "10", true).await;
    broker.verify("Bar", "App", "150", "10", true).await;
    let ask = "/can-i-deploy?pacticipant=Bar&version=10&environment=production";
    let answer = broker.get(ask).await.body;
    assert_eq!(answer["matrix"].as_array().unwrap().len(), 150);
    assert_eq!(
        answer["summary"]["deployable"],
        Value::Null,
        "{}",
        answer["summary"]
    );
    assert_eq!(counts(&answer), (149, 0, 1));
    let unknown: Vec<&Value> = answer["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "unknown")
        .collect();
    assert_eq!(unknown[0]["consumer"]["version"]["number"], "3");

    broker.verify("Bar", "App", "3", "10", true).await;
    let answer = broker.get(ask).await.body;
    assert_eq!(answer["summary"]["deployable"], true);
    assert_eq!(counts(&answer), (150, 0, 0));
    // The matrix forms do not truncate either, whatever limit is asked.
    for uri in [
        "/matrix?q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv&environment=production&limit=100",
        "/matrix?q[][pacticipant]=Bar&q[][version]=10&latestby=cvp&environment=production",
        "/matrix?q[][pacticipant]=App&q[][tag]=mobile&q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv&limit=10",
    ] {
        let reply = broker.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        assert_eq!(reply.body["matrix"].as_array().unwrap().len(), 150, "{uri}");
        assert_eq!(reply.body["summary"]["deployable"], true, "{uri}");
    }

    // Bar 11 breaks the newer half: 75 failures among 150 rows.
    for v in ["1", "3"] {
        broker.verify("Bar", "App", v, "11", true).await;
    }
    broker.verify("Bar", "App", "150", "11", false).await;
    let answer = broker
        .get("/can-i-deploy?pacticipant=Bar&version=11&environment=production")
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], false);
    assert_eq!(counts(&answer), (75, 75, 0));
    // Every App version asks as a consumer: Bar is not in production yet.
    let answer = broker
        .get("/can-i-deploy?pacticipant=App&version=150&environment=production")
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
}

#[tokio::test]
async fn to_a_tag_the_latest_tagged_counterpart_decides() {
    let (broker, _) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker
        .put("/pacticipants/Bar/versions/10/tags/prod", json!({}))
        .await;
    let ask = "/can-i-deploy?pacticipant=Foo&version=1&to=prod";
    assert_eq!(broker.get(ask).await.body["summary"]["deployable"], true);
    let matrix = "/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true&tag=prod";
    assert_eq!(broker.get(matrix).await.body["summary"]["deployable"], true);
    // A newer prod version of Bar that never verified the pact.
    broker
        .put("/pacticipants/Bar/versions/11/tags/prod", json!({}))
        .await;
    for uri in [ask, matrix] {
        let answer = broker.get(uri).await.body;
        assert_eq!(answer["summary"]["deployable"], Value::Null, "{uri}");
        assert_eq!(answer["matrix"][0]["provider"]["version"]["number"], "11");
    }
    let answer = broker
        .get("/can-i-deploy?pacticipant=Foo&version=1&to=nothing")
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
    assert!(answer["matrix"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("a version of Bar with tag nothing"));
}

#[tokio::test]
async fn without_a_version_the_latest_is_asked_and_without_a_target_a_warning() {
    let (broker, env) = setup().await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", Some("main"), &[])
        .await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.deploy("Bar", "10", &env, None).await;
    let answer = broker
        .get("/can-i-deploy?pacticipant=Foo&environment=production")
        .await
        .body;
    assert_eq!(answer["matrix"][0]["consumer"]["version"]["number"], "2");
    assert_eq!(answer["summary"]["deployable"], Value::Null);

    // No target: the newest verifier of the pact is shown, with a warning.
    broker.verify("Bar", "Foo", "1", "11", false).await;
    let reply = broker
        .get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let rows = reply.body["matrix"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["provider"]["version"]["number"], "11");
    assert_eq!(reply.body["summary"]["deployable"], false);
    assert!(reply.body["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["type"] == "warning"
            && n["text"]
                .as_str()
                .unwrap()
                .contains("specify the environment")));
    // Two explicit versions: exactly that pair.
    let answer = broker
        .get("/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv")
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(answer["matrix"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_matrix_and_can_i_deploy_queries_name_the_field() {
    let (broker, _) = setup().await;
    for (uri, status, field) in [
        (
            "/can-i-deploy?version=1&environment=production",
            StatusCode::BAD_REQUEST,
            "pacticipant",
        ),
        (
            "/can-i-deploy?pacticipant=Foo&version=1",
            StatusCode::BAD_REQUEST,
            "environment",
        ),
        (
            "/can-i-deploy?pacticipant=Foo&version=1&environment=production&to=prod",
            StatusCode::BAD_REQUEST,
            "environment",
        ),
        (
            "/matrix?q[][version]=1&latestby=cvp",
            StatusCode::BAD_REQUEST,
            "q[0][pacticipant]",
        ),
        ("/matrix", StatusCode::BAD_REQUEST, "q"),
    ] {
        let reply = broker.get(uri).await;
        assert_eq!(
            (reply.status, reply.body["field"].as_str()),
            (status, Some(field)),
            "{uri}: {}",
            reply.body
        );
        assert!(
            reply.body["errors"][field][0].is_string(),
            "{uri}: {}",
            reply.body
        );
    }
    let reply = broker
        .get("/can-i-deploy?pacticipant=Foo&version=1&environment=nowhere")
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("environment 'nowhere' was not found")
        )
    );
    let reply = broker
        .get("/can-i-deploy?pacticipant=Nobody&version=1&environment=production")
        .await;
    assert_eq!(reply.body["summary"]["deployable"], false);
    assert_eq!(
        reply.body["summary"]["reason"],
        "No version with number 1 exists for Nobody"
    );
}

#[tokio::test]
async fn path_forms_ask_for_a_branch_head_or_a_tagged_version() {
    let (broker, env) = setup().await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", Some("feat/x"), &["dev"])
        .await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.deploy("Bar", "10", &env, None).await;
    broker
        .put("/pacticipants/Bar/versions/10/tags/prod", json!({}))
        .await;
    let main = broker
        .get(
            "/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/production",
        )
        .await;
    assert_eq!(main.status, StatusCode::OK, "{}", main.body);
    assert_eq!(main.body["summary"]["deployable"], true, "{}", main.body);
    assert_eq!(main.body["matrix"][0]["consumer"]["version"]["number"], "1");
    // The feature branch head has new content nobody verified.
    let feature = broker
        .get("/pacticipants/Foo/branches/feat%2Fx/latest-version/can-i-deploy/to-environment/production")
        .await
        .body;
    assert_eq!(feature["summary"]["deployable"], Value::Null);
    assert_eq!(feature["matrix"][0]["consumer"]["version"]["number"], "2");
    let reply = broker
        .get(
            "/pacticipants/Foo/branches/gone/latest-version/can-i-deploy/to-environment/production",
        )
        .await;
    assert_eq!(reply.body["summary"]["deployable"], false);
    assert_eq!(
        reply.body["summary"]["reason"],
        "No version of Foo from branch gone exists"
    );
    let reply = broker
        .get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/nowhere")
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let tagged = broker
        .get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod")
        .await;
    assert_eq!(tagged.status, StatusCode::OK, "{}", tagged.body);
    assert_eq!(tagged.body["summary"]["deployable"], Value::Null);
    assert_eq!(
        tagged.body["matrix"][0]["provider"]["version"]["number"],
        "10"
    );
    broker
        .put("/pacticipants/Foo/versions/1/tags/stable", json!({}))
        .await;
    let stable = broker
        .get("/pacticipants/Foo/latest-version/stable/can-i-deploy/to/prod")
        .await
        .body;
    assert_eq!(stable["summary"]["deployable"], true, "{stable}");
}

/// Only the latest content of a consumer version counts: a result for
/// content it no longer has is not evidence.
#[tokio::test]
async fn a_result_for_overwritten_content_does_not_count() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.deploy("Bar", "10", &env, None).await;
    assert_eq!(
        can_i_deploy(&broker, "Foo", "1").await["summary"]["deployable"],
        true
    );
    let content = pact("Foo", "Bar", "changed");
    let body = json!({
        "pacticipantName": "Foo",
        "pacticipantVersionNumber": "1",
        "contracts": [{
            "consumerName": "Foo", "providerName": "Bar", "specification": "pact",
            "contentType": "application/json", "onConflict": "overwrite",
            "content": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, content.to_string()),
        }],
    });
    let reply = broker.post("/contracts/publish", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null, "{answer}");
    assert!(answer["matrix"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("never verified"));
}

/// `ignore[][pacticipant]=Bar&ignore[][version]=9` sets aside only Bar 9.
#[tokio::test]
async fn ignoring_one_version_of_a_counterpart() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.put("/pacticipants/Bar/versions/9", json!({})).await;
    broker.deploy("Bar", "10", &env, Some("a")).await;
    broker.deploy("Bar", "9", &env, Some("b")).await;
    let base = "/can-i-deploy?pacticipant=Foo&version=1&environment=production";
    let answer = broker
        .get(&format!(
            "{base}&ignore[][pacticipant]=Bar&ignore[][version]=9"
        ))
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(answer["summary"]["ignored"], 1);
    let ignored: Vec<&Value> = answer["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ignored"] == true)
        .collect();
    assert_eq!(ignored.len(), 1);
    assert_eq!(ignored[0]["provider"]["version"]["number"], "9");
    let answer = broker
        .get(&format!(
            "{base}&ignore[][pacticipant]=Bar&ignore[][version]=10"
        ))
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], Value::Null, "{answer}");
    let answer = broker
        .get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&environment=production&ignore[][pacticipant]=Bar")
        .await
        .body;
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(answer["summary"]["ignored"], 2);
}

#[tokio::test]
async fn a_pacticipant_alone_selects_all_its_versions_and_latest_the_newest() {
    let broker = Broker::new();
    for (version, variant) in [("1", "a"), ("2", "b")] {
        broker
            .publish(&pact("Foo", "Bar", variant), version, Some("main"), &[])
            .await;
        broker.verify("Bar", "Foo", version, "10", true).await;
    }
    let consumer_versions = |body: &Value| -> Vec<String> {
        body["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                row["consumer"]["version"]["number"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let all = broker
        .get("/matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv")
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let mut versions = consumer_versions(&all.body);
    versions.sort();
    assert_eq!(versions, ["1", "2"]);
    let latest = broker
        .get("/matrix?q[][pacticipant]=Foo&q[][latest]=true&q[][pacticipant]=Bar&latestby=cvpv")
        .await;
    assert_eq!(consumer_versions(&latest.body), ["2"]);
}
