//! Loading contracts from files, directories and URLs with credentials.

use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use treaty_core::verify::{load, Auth, Source, SourceError};
use treaty_tests::server::TestServer;

use super::contracts::{contract_json, health};

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Runtime::new().unwrap().block_on(future)
}

#[test]
fn files_and_directories_load_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["b", "a"] {
        let text = contract_json(name, vec![health()]).to_string();
        std::fs::write(dir.path().join(format!("{name}.json")), text).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not a contract").unwrap();
    let loaded = block_on(load(&[Source::Directory(dir.path().to_owned())])).unwrap();
    let consumers: Vec<_> = loaded
        .iter()
        .map(|c| c.contract.consumer.name.as_str())
        .collect();
    assert_eq!(consumers, ["a", "b"]);
    let single = block_on(load(&[Source::File(dir.path().join("b.json"))])).unwrap();
    assert_eq!(single.len(), 1);
}

#[test]
fn an_invalid_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{ not json").unwrap();
    let error = block_on(load(&[Source::File(path)])).unwrap_err();
    assert!(matches!(error, SourceError::Contract { .. }));
    assert!(error.to_string().contains("broken.json"));
}

#[test]
fn urls_load_with_bearer_and_basic_auth() {
    let app = Router::new().route(
        "/pact",
        get(|headers: HeaderMap| async move {
            match headers.get("authorization").and_then(|v| v.to_str().ok()) {
                Some("Bearer s3cret") | Some("Basic dXNlcjpwYXNz") => {
                    Ok(Json(contract_json("web", vec![health()])))
                }
                _ => Err(StatusCode::UNAUTHORIZED),
            }
        }),
    );
    let server = TestServer::serve(app);
    let url = format!("{}/pact", server.url);
    let bearer = Source::parse(&url, Some(Auth::Bearer("s3cret".into())));
    let basic = Source::parse(
        &url,
        Some(Auth::Basic {
            username: "user".into(),
            password: Some("pass".into()),
        }),
    );
    let loaded = block_on(load(&[bearer, basic])).unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(loaded[0].origin, url);
    let error = block_on(load(&[Source::parse(&url, None)])).unwrap_err();
    assert!(matches!(error, SourceError::Status { status: 401, .. }));
}
