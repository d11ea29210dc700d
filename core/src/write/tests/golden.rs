//! One rich contract's exact V4 output, and the small things every file
//! shares: sorted keys, a trailing newline, stable bytes.

use serde_json::{json, Value};

use crate::model::{
    Body, BodyContent, Contract, HttpRequest, HttpResponse, Interaction, InteractionKind,
    SpecVersion,
};
use crate::read::parse_contract;
use crate::write::{to_json, write_contract, WriteError};

const RICH: &str = include_str!("data/rich.json");
const RICH_V4: &str = include_str!("data/rich.v4.json");

/// The expected file with this crate's version in treaty's metadata entry.
fn expected(text: &str) -> String {
    text.replace("TREATY_VERSION", env!("CARGO_PKG_VERSION"))
}

#[test]
fn a_rich_contract_is_written_as_pact_reference_writes_v4() {
    let contract = parse_contract(RICH).expect("reads");
    let written = write_contract(&contract, SpecVersion::V4).expect("writes");
    if std::env::var_os("TREATY_WRITE_GOLDEN").is_some() {
        std::fs::write(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/write/tests/data/rich.v4.json"
            ),
            written.replace(env!("CARGO_PKG_VERSION"), "TREATY_VERSION"),
        )
        .expect("golden file written");
    }
    assert_eq!(written, expected(RICH_V4));
}

#[test]
fn output_is_canonical_and_stable() {
    let contract = parse_contract(RICH).expect("reads");
    let first = write_contract(&contract, SpecVersion::V4).expect("writes");
    let second = write_contract(&contract.clone(), SpecVersion::V4).expect("writes");
    assert_eq!(first, second, "same contract, same bytes");
    assert!(first.ends_with("}\n") && !first.ends_with("\n\n"));
    assert!(
        first.starts_with("{\n  \"consumer\": {"),
        "two-space indent"
    );
    let value: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_keys_sorted(&value);
    let again = write_contract(&parse_contract(&first).unwrap(), SpecVersion::V4).unwrap();
    assert_eq!(first, again, "read, write, read, write is a fixed point");
}

fn assert_keys_sorted(value: &serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted);
            map.values().for_each(assert_keys_sorted);
        }
        serde_json::Value::Array(items) => items.iter().for_each(assert_keys_sorted),
        _ => {}
    }
}

#[test]
fn an_empty_contract_has_just_the_four_top_level_entries() {
    let contract = Contract::new("consumer", "provider");
    let written = write_contract(&contract, SpecVersion::V4).unwrap();
    let golden = r#"{
  "consumer": {
    "name": "consumer"
  },
  "interactions": [],
  "metadata": {
    "pactSpecification": {
      "version": "4.0"
    },
    "treaty": {
      "version": "TREATY_VERSION"
    }
  },
  "provider": {
    "name": "provider"
  }
}
"#;
    assert_eq!(written, expected(golden));
}

#[test]
fn metadata_keeps_other_tools_and_replaces_treaty_and_the_version() {
    let mut contract = Contract::new("c", "p");
    contract.metadata = json!({
        "pactJs": { "version": "12.0.0" },
        "treaty": { "version": "0.0.1", "extra": true },
    })
    .as_object()
    .cloned()
    .unwrap();
    let value = to_json(&contract, SpecVersion::V4).unwrap();
    assert_eq!(
        value["metadata"],
        json!({
            "pactJs": { "version": "12.0.0" },
            "pactSpecification": { "version": "4.0" },
            "treaty": { "version": env!("CARGO_PKG_VERSION") },
        })
    );
    let v3 = to_json(&contract, SpecVersion::V3).unwrap();
    assert_eq!(
        v3["metadata"]["pactSpecification"],
        json!({ "version": "3.0.0" })
    );
}

#[test]
fn only_v3_and_v4_are_written() {
    let contract = Contract::new("c", "p");
    for version in [SpecVersion::V1, SpecVersion::V1_1, SpecVersion::V2] {
        assert_eq!(
            write_contract(&contract, version),
            Err(WriteError::UnsupportedVersion { version })
        );
    }
}

#[test]
fn json_documents_that_are_strings_or_null_keep_their_type() {
    for document in [
        json!("just a string"),
        json!("{\"looks\": \"like an object\"}"),
        Value::Null,
    ] {
        let mut contract = Contract::new("c", "p");
        let response = HttpResponse {
            body: Body::json(document.clone()),
            headers: [("Content-Type", "application/json")].into_iter().collect(),
            ..HttpResponse::default()
        };
        let kind = InteractionKind::Http {
            request: HttpRequest::default(),
            response,
        };
        contract.interactions.push(Interaction::new("i", kind));
        for version in [SpecVersion::V4, SpecVersion::V3] {
            let back = super::write_read(&contract, version);
            let InteractionKind::Http { response, .. } = &back.interactions[0].kind else {
                panic!("not HTTP");
            };
            assert_eq!(
                response.body.content(),
                Some(&BodyContent::Json(document.clone())),
                "{version}"
            );
        }
    }
}

#[test]
fn a_rich_contract_reads_back_equal_from_v4() {
    let contract = parse_contract(RICH).expect("reads");
    let back = super::write_read(&contract, SpecVersion::V4);
    let mut expected = contract;
    // Empty comment entries are left out, as pact-reference does.
    expected.interactions[0].comments.remove("empty");
    assert_eq!(super::normalised(back), super::normalised(expected));
}
