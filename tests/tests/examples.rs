//! The contracts bundled under `examples/contracts` read without problems
//! and are in treaty's canonical form: writing them gives the same bytes.

use std::path::Path;

use treaty_core::model::SpecVersion;
use treaty_core::read::parse_contract;
use treaty_core::write::write_contract;

#[test]
fn bundled_contracts_are_valid_and_canonical() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/contracts");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/contracts exists") {
        let path = entry.expect("entry").path();
        // Beside the contracts: the DSL's lock file (git-ignored).
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("reads");
        let contract = parse_contract(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = write_contract(&contract, SpecVersion::V4).expect("writes");
        assert_eq!(written, text, "{} is not in canonical form", path.display());
        seen += 1;
    }
    assert!(seen > 0, "no example contracts found");
}
