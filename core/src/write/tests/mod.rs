//! Tests of the writer: canonical output, round trips through the reader
//! (the Pact specification's cases and the compatibility suite's pacts), a
//! golden V4 file, and the V3 form.

mod golden;
mod round_trip;
mod v3;

use std::path::PathBuf;

use crate::model::{Contract, InteractionKind, SpecVersion};
use crate::read::parse_contract;

use super::write_contract;

/// The vendored Pact specification cases and compatibility-suite fixtures
/// (`tests/data` at the workspace root).
fn shared_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data")
}

/// Writes, reads back, and checks that writing again gives the same bytes.
fn write_read(contract: &Contract, version: SpecVersion) -> Contract {
    let text = write_contract(contract, version).expect("writes");
    let back = parse_contract(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let again = write_contract(&back, version).expect("writes again");
    assert_eq!(text, again, "writing what was read back changed the file");
    back
}

/// The contract as the writer cannot help changing it: the version it was
/// read from, treaty's metadata entry, a V1 raw query string (only its
/// parameters are written) and the order of query parameter names (written
/// as a JSON object).
fn normalised(mut contract: Contract) -> Contract {
    contract.spec_version = SpecVersion::V4;
    contract.metadata.remove("treaty");
    for interaction in &mut contract.interactions {
        if let InteractionKind::Http { request, .. } = &mut interaction.kind {
            request.query.raw = None;
            request.query.params.sort_by(|(a, _), (b, _)| a.cmp(b));
        }
    }
    contract
}
