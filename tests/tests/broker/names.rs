//! Names with slashes, spaces, unicode, literal percent signs, `+`, `#`
//! and `?` in pacticipant names, versions, branches and tags round-trip
//! through the running broker: publish, fetch by the links it answers and
//! by hand-encoded paths, verify, tag, matrix (literal and encoded Rack
//! brackets), pacts for verification and can-i-deploy.

use serde_json::{json, Value};

use crate::wire::{enc, path_of, publication, Call};
use crate::{pact, BrokerProcess};

const CONSUMER: &str = "team/web ü";
const PROVIDER: &str = "api%20v2 ✓";
const VERSION: &str = "release/1.0+build 7";
const BRANCH: &str = "feature/ä b";
const TAG: &str = "rel/1.0 #x?y&z=1";
const PROVIDER_VERSION: &str = "prov/2 ö%2F";
const PROVIDER_BRANCH: &str = "main/x";

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

#[test]
fn awkward_names_round_trip_through_publish_fetch_matrix_and_can_i_deploy() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    let (c, p, v, pv) = (
        enc(CONSUMER),
        enc(PROVIDER),
        enc(VERSION),
        enc(PROVIDER_VERSION),
    );

    let published = ok(
        base,
        Call::new("POST", "/contracts/publish").json(&publication(
            &pact(CONSUMER, PROVIDER, "a"),
            VERSION,
            Some(BRANCH),
            &[TAG],
        )),
        "publish",
    );
    // The links the broker answers with lead back to the same names.
    let version_link = path_of(&published["_links"]["pb:pacticipant-version"]["href"]);
    assert_eq!(version_link, format!("/pacticipants/{c}/versions/{v}"));
    let version = ok(base, Call::get(&version_link), "version link");
    assert_eq!(version["number"], VERSION);
    let contract_link = path_of(&published["_links"]["pb:contracts"][0]["href"]);
    let doc = ok(base, Call::get(&contract_link), "contract link");
    assert_eq!(doc["consumer"]["name"], CONSUMER);
    assert_eq!(doc["provider"]["name"], PROVIDER);

    // Hand-encoded paths reach the same resources.
    let found = ok(base, Call::get(format!("/pacticipants/{c}")), "pacticipant");
    assert_eq!(found["name"], CONSUMER);
    let branch = ok(
        base,
        Call::get(format!("/pacticipants/{c}/branches/{}", enc(BRANCH))),
        "branch",
    );
    assert_eq!(branch["name"], BRANCH);
    let tag = ok(
        base,
        Call::get(format!("/pacticipants/{c}/versions/{v}/tags/{}", enc(TAG))),
        "tag",
    );
    assert_eq!(tag["name"], TAG);
    let latest = ok(
        base,
        Call::get(format!("/pacticipants/{c}/latest-version/{}", enc(TAG))),
        "latest with tag",
    );
    assert_eq!(latest["number"], VERSION);
    let doc = ok(
        base,
        Call::get(format!("/pacts/provider/{p}/consumer/{c}/version/{v}")),
        "pact by version",
    );
    assert_eq!(doc["consumer"]["name"], CONSUMER);

    // The provider verifies on a branch with a slash, as the verifier does.
    ok(
        base,
        Call::new(
            "PUT",
            format!(
                "/pacticipants/{p}/branches/{}/versions/{pv}",
                enc(PROVIDER_BRANCH)
            ),
        )
        .json(&json!({})),
        "provider branch version",
    );
    let results = path_of(&doc["_links"]["pb:publish-verification-results"]["href"]);
    let result = ok(
        base,
        Call::new("POST", &results)
            .json(&json!({"providerApplicationVersion": PROVIDER_VERSION, "success": true})),
        "verification result",
    );
    assert_eq!(result["success"], true, "{result}");
    let provider_version = ok(
        base,
        Call::get(format!("/pacticipants/{p}/versions/{pv}")),
        "provider version",
    );
    assert_eq!(provider_version["number"], PROVIDER_VERSION);

    // The matrix, with literal brackets and with encoded ones.
    for (open, close) in [("[", "]"), ("%5B", "%5D")] {
        let q = |field: &str, value: &str| format!("q{open}{close}{open}{field}{close}={value}");
        let query = [
            q("pacticipant", &c),
            q("version", &v),
            q("pacticipant", &p),
            q("version", &pv),
        ]
        .join("&");
        let matrix = ok(
            base,
            Call::get(format!("/matrix?{query}&latestby=cvpv")),
            "matrix",
        );
        let rows = matrix["matrix"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{matrix}");
        assert_eq!(rows[0]["consumer"]["name"], CONSUMER, "{matrix}");
        assert_eq!(
            rows[0]["consumer"]["version"]["number"], VERSION,
            "{matrix}"
        );
        assert_eq!(rows[0]["provider"]["name"], PROVIDER, "{matrix}");
        assert_eq!(
            rows[0]["provider"]["version"]["number"], PROVIDER_VERSION,
            "{matrix}"
        );
        assert_eq!(rows[0]["verificationResult"]["success"], true, "{matrix}");
    }

    // Pacts for verification by the consumer's branch name.
    let for_verification = ok(
        base,
        Call::new("POST", format!("/pacts/provider/{p}/for-verification"))
            .json(&json!({"consumerVersionSelectors": [{"branch": BRANCH}]})),
        "pacts for verification",
    );
    let pacts = for_verification["_embedded"]["pacts"].as_array().unwrap();
    assert_eq!(pacts.len(), 1, "{for_verification}");
    let doc = ok(
        base,
        Call::get(path_of(&pacts[0]["_links"]["self"]["href"])),
        "selected pact",
    );
    assert_eq!(doc["consumer"]["name"], CONSUMER);

    // Deployed under its awkward version, the provider makes the consumer
    // deployable.
    let env = ok(
        base,
        Call::new("POST", "/environments").json(&json!({"name": "production", "production": true})),
        "environment",
    );
    let env = env["uuid"].as_str().unwrap();
    ok(
        base,
        Call::new(
            "POST",
            format!("/pacticipants/{p}/versions/{pv}/deployed-versions/environment/{env}"),
        )
        .json(&json!({})),
        "record deployment",
    );
    let answer = ok(
        base,
        Call::get(format!(
            "/can-i-deploy?pacticipant={c}&version={v}&environment=production"
        )),
        "can-i-deploy",
    );
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(
        answer["matrix"][0]["consumer"]["version"]["number"],
        VERSION
    );
}
