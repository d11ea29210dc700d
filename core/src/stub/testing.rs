//! Helpers for the stub's unit tests.

use serde_json::{json, Value};

use super::index::StubSet;
use crate::read::read_contract;
use crate::source::LoadedContract;

/// A set of one V3 contract with these interactions.
pub(crate) fn set_of(interactions: Value) -> StubSet {
    let contract = read_contract(&json!({
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    }))
    .expect("a valid test contract");
    StubSet::new(vec![LoadedContract {
        origin: "test.json".into(),
        contract,
    }])
}
