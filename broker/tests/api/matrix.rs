//! The matrix and can-i-deploy truth tables.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{pact, Broker};

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

/// One thing that happens before the question is asked.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// `consumer` version publishes a pact with `provider`; `variant`
    /// picks the content (same variant, same content).
    Publish(&'static str, &'static str, &'static str, &'static str),
    /// `provider` version verifies the pact `consumer` version published.
    Verify(&'static str, &'static str, &'static str, &'static str, bool),
    /// Version created without a pact or a verification.
    Create(&'static str, &'static str),
    /// Version created by tagging it.
    Tag(&'static str, &'static str, &'static str),
    /// Version created by adding it to a branch.
    Branch(&'static str, &'static str, &'static str),
    /// Deployed to an environment, as an optional application instance.
    Deploy(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    ),
    /// Marked as no longer deployed (record-undeployment).
    Undeploy(&'static str, &'static str, &'static str),
    /// Released to an environment.
    Release(&'static str, &'static str, &'static str),
    /// Support ended for a release (record-support-ended).
    EndSupport(&'static str, &'static str, &'static str),
}

use Step::{Branch, Create, Deploy, EndSupport, Publish, Release, Tag, Undeploy, Verify};

const PROD: &str = "production";

/// A can-i-deploy scenario: the steps, the question (pacticipant, version,
/// to production) and the expected decision and row kinds (sorted).
struct Case {
    name: &'static str,
    steps: Vec<Step>,
    ask: (&'static str, &'static str),
    deployable: Option<bool>,
    kinds: Vec<&'static str>,
}

fn case(
    name: &'static str,
    steps: Vec<Step>,
    ask: (&'static str, &'static str),
    deployable: Option<bool>,
    kinds: &[&'static str],
) -> Case {
    Case {
        name,
        steps,
        ask,
        deployable,
        kinds: kinds.to_vec(),
    }
}

/// What a matrix row's reason says, in one word.
fn kind(reason: &str) -> &'static str {
    [
        ("was verified successfully", "verified"),
        ("failed", "failed"),
        ("has never verified this pact", "never-verified"),
        ("verified only by other versions", "other-versions"),
        (
            "is currently recorded as deployed/released",
            "not-in-target",
        ),
    ]
    .iter()
    .find(|(words, _)| reason.contains(words))
    .map_or("unexplained", |(_, kind)| kind)
}

/// The scenarios. Foo 1 has a pact with Bar unless a row says otherwise;
/// the question is always "to production".
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let pact = Publish("Foo", "1", "Bar", "a");
    let ok = Verify("Bar", "10", "Foo", "1", true);
    let failed = Verify("Bar", "10", "Foo", "1", false);
    let deployed = |p, v| Deploy(p, v, PROD, None);
    let on = |p, v, instance| Deploy(p, v, PROD, Some(instance));
    let released = |p, v| Release(p, v, PROD);
    let mid = [Publish("Foo", "1", "Mid", "a"), Publish("Mid", "5", "Bar", "a")];
    vec![
        // Foo asks; Bar is the counterpart in production.
        case("verified and deployed provider", vec![pact, ok, deployed("Bar", "10")], ("Foo", "1"), Some(true), &["verified"]),
        case("failed verification", vec![pact, failed, deployed("Bar", "10")], ("Foo", "1"), Some(false), &["failed"]),
        case("the latest result for the same versions wins", vec![pact, failed, ok, deployed("Bar", "10")], ("Foo", "1"), Some(true), &["verified"]),
        case("provider not in the environment", vec![pact, ok], ("Foo", "1"), None, &["not-in-target"]),
        case("provider only in another environment", vec![pact, ok, Deploy("Bar", "10", "test", None)], ("Foo", "1"), None, &["not-in-target"]),
        case("provider version created by tagging, nothing verified", vec![pact, Tag("Bar", "11", "prod"), deployed("Bar", "11")], ("Foo", "1"), None, &["never-verified"]),
        case("provider version created by branching, others verified", vec![pact, ok, Branch("Bar", "12", "main"), deployed("Bar", "12")], ("Foo", "1"), None, &["other-versions"]),
        case("two instances, only one verified", vec![pact, ok, Create("Bar", "9"), on("Bar", "10", "a"), on("Bar", "9", "b")], ("Foo", "1"), None, &["other-versions", "verified"]),
        case("two instances, both verified", vec![pact, ok, Verify("Bar", "9", "Foo", "1", true), on("Bar", "10", "a"), on("Bar", "9", "b")], ("Foo", "1"), Some(true), &["verified", "verified"]),
        case("two instances, the older one failed", vec![pact, ok, Verify("Bar", "9", "Foo", "1", false), on("Bar", "9", "b"), on("Bar", "10", "a")], ("Foo", "1"), Some(false), &["failed", "verified"]),
        case("one version on two instances is one row", vec![pact, ok, on("Bar", "10", "a"), on("Bar", "10", "b")], ("Foo", "1"), Some(true), &["verified"]),
        case("released, not deployed, verified", vec![pact, ok, released("Bar", "10")], ("Foo", "1"), Some(true), &["verified"]),
        case("two releases supported, one tagged only", vec![pact, ok, Tag("Bar", "9", "v9"), released("Bar", "9"), released("Bar", "10")], ("Foo", "1"), None, &["other-versions", "verified"]),
        case("release with support ended is not counted", vec![pact, ok, Create("Bar", "9"), released("Bar", "9"), released("Bar", "10"), EndSupport("Bar", "9", PROD)], ("Foo", "1"), Some(true), &["verified"]),
        case("undeployed instance is not counted", vec![pact, ok, Create("Bar", "9"), on("Bar", "9", "old"), on("Bar", "10", "new"), Undeploy("Bar", "9", PROD)], ("Foo", "1"), Some(true), &["verified"]),
        case("replaced deployment of the same instance is not counted", vec![pact, ok, Create("Bar", "9"), deployed("Bar", "9"), deployed("Bar", "10")], ("Foo", "1"), Some(true), &["verified"]),
        case("deployed and released: the release failed", vec![pact, ok, Verify("Bar", "9", "Foo", "1", false), released("Bar", "9"), deployed("Bar", "10")], ("Foo", "1"), Some(false), &["failed", "verified"]),
        case("same content verified under an earlier consumer version", vec![pact, ok, Publish("Foo", "2", "Bar", "a"), deployed("Bar", "10")], ("Foo", "2"), Some(true), &["verified"]),
        case("new content is not covered by the old verification", vec![pact, ok, Publish("Foo", "2", "Bar", "b"), deployed("Bar", "10")], ("Foo", "2"), None, &["never-verified"]),
        case("two providers, one missing from the environment", vec![pact, ok, Publish("Foo", "1", "Baz", "a"), deployed("Bar", "10")], ("Foo", "1"), None, &["not-in-target", "verified"]),
        case("unknown version", vec![pact], ("Foo", "404"), Some(false), &[]),
        case("no integrations at all", vec![Create("Foo", "1")], ("Foo", "1"), Some(true), &[]),
        // Bar asks; Foo is the counterpart in production.
        case("provider: consumer not in the environment", vec![pact, failed], ("Bar", "10"), Some(true), &[]),
        case("provider: deployed consumer verified", vec![pact, ok, deployed("Foo", "1")], ("Bar", "10"), Some(true), &["verified"]),
        case("provider: deployed consumer failed", vec![pact, failed, deployed("Foo", "1")], ("Bar", "10"), Some(false), &["failed"]),
        case("provider: deployed consumer verified by another version only", vec![pact, ok, Create("Bar", "11"), deployed("Foo", "1")], ("Bar", "11"), None, &["other-versions"]),
        case("provider: deployed consumer version has no pact with it", vec![Create("Foo", "0"), pact, ok, deployed("Foo", "0")], ("Bar", "10"), Some(true), &[]),
        case("provider: every released consumer version counts", vec![pact, ok, Publish("Foo", "2", "Bar", "b"), released("Foo", "1"), released("Foo", "2")], ("Bar", "10"), None, &["never-verified", "verified"]),
        case("provider: consumer release with support ended is not counted", vec![pact, ok, Publish("Foo", "2", "Bar", "b"), released("Foo", "1"), released("Foo", "2"), EndSupport("Foo", "2", PROD)], ("Bar", "10"), Some(true), &["verified"]),
        // Mid is the consumer of Bar and the provider of Foo.
        case("both directions verified", [mid.as_slice(), &[Verify("Mid", "5", "Foo", "1", true), Verify("Bar", "10", "Mid", "5", true), deployed("Foo", "1"), deployed("Bar", "10")]].concat(), ("Mid", "5"), Some(true), &["verified", "verified"]),
        case("both directions, its own verification failed", [mid.as_slice(), &[Verify("Mid", "5", "Foo", "1", false), Verify("Bar", "10", "Mid", "5", true), deployed("Foo", "1"), deployed("Bar", "10")]].concat(), ("Mid", "5"), Some(false), &["failed", "verified"]),
        case("both directions, its provider not deployed", [mid.as_slice(), &[Verify("Mid", "5", "Foo", "1", true), deployed("Foo", "1")]].concat(), ("Mid", "5"), None, &["not-in-target", "verified"]),
    ]
}

/// A fresh broker and the environments created so far (by name).
struct World {
    broker: Broker,
    envs: std::collections::HashMap<&'static str, String>,
}

impl World {
    async fn env(&mut self, name: &'static str) -> String {
        if !self.envs.contains_key(name) {
            let uuid = self.broker.environment(name).await;
            self.envs.insert(name, uuid);
        }
        self.envs[name].clone()
    }

    async fn run(&mut self, step: Step) {
        let b = &self.broker;
        let reply = match step {
            Publish(c, v, p, variant) => b.publish(&pact(c, p, variant), v, None, &[]).await,
            Verify(p, pv, c, cv, success) => b.verify(p, c, cv, pv, success).await,
            Create(p, v) => {
                b.put(&format!("/pacticipants/{p}/versions/{v}"), json!({}))
                    .await
            }
            Tag(p, v, t) => {
                b.put(
                    &format!("/pacticipants/{p}/versions/{v}/tags/{t}"),
                    json!({}),
                )
                .await
            }
            Branch(p, v, br) => {
                b.put(
                    &format!("/pacticipants/{p}/branches/{br}/versions/{v}"),
                    json!({}),
                )
                .await
            }
            Deploy(p, v, env, instance) => {
                let env = self.env(env).await;
                self.broker.deploy(p, v, &env, instance).await
            }
            Release(p, v, env) => {
                let env = self.env(env).await;
                let path =
                    format!("/pacticipants/{p}/versions/{v}/released-versions/environment/{env}");
                self.broker.post(&path, json!({})).await
            }
            Undeploy(p, v, env) => self.end(p, v, env, "deployed").await,
            EndSupport(p, v, env) => self.end(p, v, env, "released").await,
        };
        assert!(reply.status.is_success(), "{step:?}: {}", reply.body);
    }

    /// Ends a deployment or release the way the clients do: find it in the
    /// environment's current list, PATCH its `self`.
    async fn end(&mut self, p: &str, v: &str, env: &'static str, kind: &str) -> crate::Reply {
        let env = self.env(env).await;
        let (list, key, flag) = match kind {
            "deployed" => (
                "deployed-versions/currently-deployed",
                "deployedVersions",
                "currentlyDeployed",
            ),
            _ => (
                "released-versions/currently-supported",
                "releasedVersions",
                "currentlySupported",
            ),
        };
        let current = self
            .broker
            .get(&format!("/environments/{env}/{list}?pacticipant={p}"))
            .await
            .body;
        let found = current["_embedded"][key]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["_embedded"]["version"]["number"] == v)
            .unwrap_or_else(|| panic!("{p} {v} is not current in {env}: {current}"));
        let href = found["_links"]["self"]["href"].as_str().unwrap();
        let path = href.strip_prefix("http://broker.test").unwrap();
        self.broker
            .call(
                axum::http::Method::PATCH,
                path,
                Some(json!({ flag: false })),
            )
            .await
    }
}

/// The decision and sorted row kinds of an answer.
fn outcome(answer: &Value) -> (Value, Vec<&'static str>) {
    let mut kinds: Vec<&'static str> = answer["matrix"]
        .as_array()
        .unwrap_or_else(|| panic!("no matrix: {answer}"))
        .iter()
        .map(|r| kind(r["reason"].as_str().unwrap_or("")))
        .collect();
    kinds.sort_unstable();
    (answer["summary"]["deployable"].clone(), kinds)
}

#[tokio::test]
async fn can_i_deploy_truth_table() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut world = World {
            broker: Broker::new(),
            envs: std::collections::HashMap::new(),
        };
        world.env(PROD).await;
        for step in &case.steps {
            world.run(*step).await;
        }
        let (p, v) = case.ask;
        let expected = (json!(case.deployable), case.kinds.clone());
        // The endpoint, and the matrix query both CLIs send.
        for uri in [
            format!("/can-i-deploy?pacticipant={p}&version={v}&environment={PROD}"),
            format!(
                "/matrix?q[][pacticipant]={p}&q[][version]={v}&latestby=cvpv&environment={PROD}"
            ),
            format!(
                "/matrix?q[][pacticipant]={p}&q[][version]={v}&latestby=cvp&environment={PROD}"
            ),
        ] {
            let reply = world.broker.get(&uri).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{}: {}",
                case.name,
                reply.body
            );
            let got = outcome(&reply.body);
            if got != expected {
                failures.push(format!(
                    "{}: {uri}\n  expected {expected:?}\n  got      {got:?}\n  {}",
                    case.name, reply.body["summary"]
                ));
            }
            let summary = &reply.body["summary"];
            let counted = ["success", "failed", "unknown"]
                .iter()
                .map(|k| summary[k].as_u64().unwrap())
                .sum::<u64>();
            assert_eq!(
                counted as usize,
                case.kinds.len(),
                "{}: {summary}",
                case.name
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
