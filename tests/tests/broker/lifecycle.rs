//! The real Pact CLI recording releases, support ended and undeployment
//! against `treaty broker`, checked through the environment listings.

use crate::auth::pact;
use crate::http::call;
use crate::{root, BrokerProcess};

const CONSUMER: &str = "pact-python-v3-consumer";

fn listed(url: &str, what: &str) -> Vec<String> {
    let (status, body) = call("GET", url, None).expect("broker answers");
    assert_eq!(status, 200, "{body}");
    body["_embedded"][what]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|d| {
            d["_embedded"]["version"]["number"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_pact_cli_records_releases_support_ended_and_undeployment() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let b = broker.url.as_str();
    let file = root()
        .join("tests/data/pact-python/pact-python-v3-consumer-treaty-interop-provider.json")
        .display()
        .to_string();
    for version in ["1.0.0", "1.0.1"] {
        let (code, out) = pact(&[
            "broker",
            "publish",
            &file,
            "--consumer-app-version",
            version,
            "-b",
            b,
        ]);
        assert_eq!(code, 0, "{out}");
    }
    let (code, out) = pact(&[
        "broker",
        "create-environment",
        "--name",
        "production",
        "--production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, envs) = call("GET", &format!("{b}/environments"), None).unwrap();
    let uuid = envs["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let env = format!("{b}/environments/{uuid}");
    let supported = format!("{env}/released-versions/currently-supported");
    let deployed = format!("{env}/deployed-versions/currently-deployed");

    for version in ["1.0.0", "1.0.1"] {
        let (code, out) = pact(&[
            "broker",
            "record-release",
            "-a",
            CONSUMER,
            "-e",
            version,
            "--environment",
            "production",
            "-b",
            b,
        ]);
        assert_eq!(code, 0, "{out}");
    }
    let mut releases = listed(&supported, "releasedVersions");
    releases.sort();
    assert_eq!(releases, ["1.0.0", "1.0.1"]);
    let (code, out) = pact(&[
        "broker",
        "record-support-ended",
        "-a",
        CONSUMER,
        "-e",
        "1.0.0",
        "--environment",
        "production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(listed(&supported, "releasedVersions"), ["1.0.1"]);

    let (code, out) = pact(&[
        "broker",
        "record-deployment",
        "-a",
        CONSUMER,
        "-e",
        "1.0.1",
        "--environment",
        "production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(listed(&deployed, "deployedVersions"), ["1.0.1"]);
    let (code, out) = pact(&[
        "broker",
        "record-undeployment",
        "-a",
        CONSUMER,
        "--environment",
        "production",
        "-b",
        b,
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(listed(&deployed, "deployedVersions"), Vec::<String>::new());
}
