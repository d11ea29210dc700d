//! Test servers on `127.0.0.1:0`, each on its own runtime thread so that
//! sync tests and subprocess tests can use them; stopped on drop.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::thread::JoinHandle;

use tokio::io::AsyncReadExt;
use tokio::sync::oneshot;

/// A running server; `url` is `http://127.0.0.1:PORT`.
pub struct TestServer {
    /// The base URL.
    pub url: String,
    /// The bound address.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// How a raw server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misbehaviour {
    /// Accepts connections, reads, never answers.
    Hang,
    /// Reads the request, then closes the connection without an answer.
    Reset,
}

impl TestServer {
    /// Serves an axum app.
    pub fn serve(app: axum::Router) -> TestServer {
        TestServer::spawn(|listener, stop| async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop.await;
                })
                .await
                .expect("test server runs");
        })
    }

    /// A server that misbehaves at the TCP level.
    pub fn misbehaving(how: Misbehaviour) -> TestServer {
        TestServer::spawn(move |listener, stop| async move {
            let accept = async {
                let mut held = Vec::new();
                loop {
                    let Ok((mut stream, _)) = listener.accept().await else {
                        return;
                    };
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    match how {
                        Misbehaviour::Hang => held.push(stream),
                        Misbehaviour::Reset => drop(stream),
                    }
                }
            };
            tokio::select! {
                _ = accept => {}
                _ = stop => {}
            }
        })
    }

    /// An address where nothing listens: bound, then closed.
    pub fn closed_port_url() -> String {
        let listener = StdListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        drop(listener);
        format!("http://{addr}")
    }

    fn spawn<F, Fut>(run: F) -> TestServer
    where
        F: FnOnce(tokio::net::TcpListener, oneshot::Receiver<()>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()>,
    {
        let listener = StdListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                run(listener, rx).await;
            });
        });
        TestServer {
            url: format!("http://{addr}"),
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
