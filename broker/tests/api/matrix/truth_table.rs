//! The can-i-deploy truth table: scenarios built step by step on a fresh
//! broker each, asked through `/can-i-deploy` and both `/matrix` forms.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{pact, Broker};

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
