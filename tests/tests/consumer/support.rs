//! Helpers: a blocking HTTP client and reading written contracts.

use std::path::Path;

use serde_json::Value;

pub(crate) fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client")
}

/// The written contract file as JSON.
pub(crate) fn written(dir: &Path, consumer: &str, provider: &str) -> Value {
    let path = dir.join(format!("{consumer}-{provider}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the contract is JSON")
}
