//! `plain-server BODY.json`: the baseline for bench/stub.sh, a plain axum
//! server answering every request with the same JSON body. Prints its URL
//! (port 0) and serves until killed.

use std::io::Write;

use axum::body::Bytes;
use axum::http::header;
use axum::Router;

#[tokio::main]
async fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: plain-server BODY.json");
    let body = Bytes::from(std::fs::read(&path).expect("the body file"));
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    println!("http://{address}");
    std::io::stdout().flush().expect("stdout");
    axum::serve(listener, app).await.expect("serve");
}
