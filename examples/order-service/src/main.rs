//! Runs the example order service: `order-service [PORT]` (default 8080).

use std::net::SocketAddr;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let port: u16 = match std::env::args().nth(1).map(|p| p.parse()) {
        None => 8080,
        Some(Ok(port)) => port,
        Some(Err(e)) => {
            eprintln!("order-service: the port must be a number: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("order-service: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Ok(addr) = listener.local_addr() {
        println!("order-service listening on http://{addr}");
    }
    match axum::serve(listener, order_service::app()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("order-service: {e}");
            ExitCode::FAILURE
        }
    }
}
