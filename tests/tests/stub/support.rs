//! Shared helpers: contracts written to a temp dir, a stub on port 0, and
//! an HTTP client.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tempfile::TempDir;
use treaty_core::stub::{RunningStub, Source, StubConfig, StubServer};

/// A V3 contract between `web` and `api` with these interactions.
pub(crate) fn contract(interactions: Value) -> Value {
    contract_between("web", "api", interactions)
}

/// A V3 contract between two named applications.
pub(crate) fn contract_between(consumer: &str, provider: &str, interactions: Value) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

/// Writes a contract into `dir` and returns its path.
pub(crate) fn write(dir: &Path, name: &str, contract: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(contract).unwrap()).unwrap();
    path
}

/// A running stub over contracts in its own temp dir.
pub(crate) struct Stub {
    pub(crate) server: RunningStub,
    pub(crate) dir: TempDir,
    pub(crate) client: reqwest::Client,
}

impl Stub {
    /// Starts a stub serving one contract file with these interactions.
    pub(crate) async fn serving(interactions: Value) -> Stub {
        Stub::with(interactions, StubConfig::default()).await
    }

    /// Starts a stub serving one contract file, with a configuration.
    pub(crate) async fn with(interactions: Value, config: StubConfig) -> Stub {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "contract.json", &contract(interactions));
        Stub::over(dir, vec![Source::File(file)], config).await
    }

    /// Starts a stub over given sources (kept alive with `dir`).
    pub(crate) async fn over(dir: TempDir, sources: Vec<Source>, config: StubConfig) -> Stub {
        let server = StubServer::start(StubConfig { sources, ..config })
            .await
            .expect("the stub starts");
        Stub {
            server,
            dir,
            client: reqwest::Client::new(),
        }
    }

    /// A URL on the stub.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// GET a path.
    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET a path and read the JSON answer with its status.
    pub(crate) async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
        (status, body)
    }
}

/// A JSON response interaction: `GET path` answering `body`.
pub(crate) fn get_returning(description: &str, path: &str, body: Value) -> Value {
    json!({
        "description": description,
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body}
    })
}
