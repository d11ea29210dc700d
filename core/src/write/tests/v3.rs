//! The V3 form: read back equal where V3 can say the same, a list of what
//! it leaves out, errors where it has no form at all.

use std::fs;

use serde_json::json;

use super::round_trip::{case_contract, case_files, VERSIONS};
use super::{normalised, shared_dir, write_read};
use crate::model::{Body, Contract, HttpRequest, InteractionKind, SpecVersion};
use crate::read::{parse_contract, parse_json, read_contract};
use crate::write::{
    dropped, to_json, write_contract, BodyPart, Dropped, DroppedFeature, InteractionRef, WriteError,
};

const RICH: &str = include_str!("data/rich.json");

fn at(index: usize, description: &str) -> InteractionRef {
    InteractionRef {
        index,
        description: description.to_owned(),
    }
}

/// The rich contract's interactions `range` only.
fn rich(range: std::ops::Range<usize>) -> Contract {
    let mut contract = parse_contract(RICH).expect("reads");
    contract.interactions = contract.interactions.drain(range).collect();
    contract
}

#[test]
fn specification_cases_read_back_equal_unless_a_loss_is_reported() {
    let shared = shared_dir();
    let mut failures = Vec::new();
    for (folder, version) in VERSIONS {
        let root = shared.join("pact-spec").join(folder);
        for file in case_files(&root) {
            let rel = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let kind = rel.split('/').next().unwrap_or_default().to_owned();
            let case = parse_json(&fs::read_to_string(&file).unwrap()).expect("case JSON");
            let first = read_contract(&case_contract(version, &kind, case["expected"].clone()))
                .expect("reads");
            let back = write_read(&first, SpecVersion::V3);
            let equal = normalised(back) == normalised(first.clone());
            if equal != dropped(&first, SpecVersion::V3).is_empty() {
                failures.push(format!("{folder}/{rel}: read back equal = {equal}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn http_interactions_read_back_equal_apart_from_what_is_reported_dropped() {
    let contract = rich(0..3);
    assert_eq!(
        dropped(&contract, SpecVersion::V3),
        [
            DroppedFeature::Key,
            DroppedFeature::Pending,
            DroppedFeature::Comments,
            DroppedFeature::PluginConfiguration,
        ]
        .map(|feature| Dropped {
            interaction: at(0, "a request for alligators"),
            feature,
        })
    );
    let back = write_read(&contract, SpecVersion::V3);
    let mut expected = contract.clone();
    let first = &mut expected.interactions[0];
    (first.key, first.pending) = (None, false);
    first.comments.clear();
    first.plugin_config.clear();
    let InteractionKind::Http { request, .. } = &mut first.kind else {
        panic!("not HTTP");
    };
    let accept = "application/json, application/hal+json".to_owned();
    request.headers.insert("Accept", vec![accept]);
    assert_eq!(normalised(back), normalised(expected));
}

#[test]
fn http_pacts_have_single_string_headers_and_message_pacts_have_messages() {
    let http = to_json(&rich(0..1), SpecVersion::V3).unwrap();
    let interaction = &http["interactions"][0];
    assert_eq!(
        interaction["request"]["headers"],
        json!({ "Accept": "application/json, application/hal+json", "X-Trace": "t-1" })
    );
    assert_eq!(
        interaction["request"]["query"],
        json!({ "limit": ["5"], "sort": ["name", "age"] })
    );
    assert_eq!(interaction["response"]["body"]["name"], json!("Mary"));
    assert_eq!(
        interaction["transport"],
        json!("http"),
        "unknown fields kept"
    );
    for v4_only in ["type", "key", "pending", "comments", "pluginConfiguration"] {
        assert!(interaction.get(v4_only).is_none(), "{v4_only} written");
    }

    let messages = rich(3..4);
    let value = to_json(&messages, SpecVersion::V3).unwrap();
    assert!(value.get("interactions").is_none());
    let message = &value["messages"][0];
    assert_eq!(message["contents"], json!({ "id": 11, "name": "Junior" }));
    assert_eq!(message["metadata"]["topic"], json!("births"));
    assert!(message["matchingRules"]["body"]["$.id"].is_object());
    assert!(message["generators"]["body"]["$.id"].is_object());
    let back = write_read(&messages, SpecVersion::V3);
    assert_eq!(normalised(back), normalised(messages));
}

#[test]
fn binary_bodies_are_base64_under_a_binary_content_type() {
    let upload = rich(1..2);
    let value = to_json(&upload, SpecVersion::V3).unwrap();
    assert_eq!(
        value["interactions"][0]["request"]["body"],
        json!("iVBORw0KGgo=")
    );
    let back = write_read(&upload, SpecVersion::V3);
    assert_eq!(normalised(back), normalised(upload.clone()));

    let mut untyped = upload;
    let InteractionKind::Http { request, .. } = &mut untyped.interactions[0].kind else {
        panic!("not HTTP");
    };
    request.headers = [("Content-Type", "text/plain")].into_iter().collect();
    assert_eq!(
        write_contract(&untyped, SpecVersion::V3),
        Err(WriteError::BinaryBodyInV3 {
            interaction: at(0, "a photo upload"),
            part: BodyPart::Request,
            content_type: "text/plain".into(),
        })
    );
}

#[test]
fn mixed_and_synchronous_message_contracts_have_no_v3_form() {
    let err = write_contract(&rich(0..5), SpecVersion::V3).unwrap_err();
    assert_eq!(
        err,
        WriteError::MixedInteractions {
            interaction: at(3, "an alligator was born"),
            found: "Asynchronous/Messages",
            first: at(0, "a request for alligators"),
            expected: "Synchronous/HTTP",
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("interaction 3 (\"an alligator was born\")"),
        "{text}"
    );
    assert!(text.contains("write V4"), "{text}");

    let err = write_contract(&rich(4..5), SpecVersion::V3).unwrap_err();
    assert_eq!(
        err,
        WriteError::SyncMessageInV3 {
            interaction: at(0, "a feeding request"),
        }
    );
}

#[test]
fn a_body_content_type_v3_cannot_carry_is_reported() {
    let mut contract = Contract::new("c", "p");
    let request = HttpRequest {
        method: "POST".into(),
        body: Body::text("<a/>", "text/xml"),
        ..HttpRequest::default()
    };
    let kind = InteractionKind::Http {
        request,
        response: Default::default(),
    };
    contract
        .interactions
        .push(crate::model::Interaction::new("xml", kind));
    assert_eq!(
        dropped(&contract, SpecVersion::V3),
        [Dropped {
            interaction: at(0, "xml"),
            feature: DroppedFeature::BodyContentType {
                part: BodyPart::Request,
                declared: "text/xml".into(),
                read_back: "application/xml".into(),
            },
        }]
    );
    assert!(dropped(&contract, SpecVersion::V4).is_empty());
}
