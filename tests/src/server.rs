//! Test servers on `127.0.0.1:0`, each on its own runtime thread so that
//! sync tests and subprocess tests can use them; stopped on drop.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::thread::JoinHandle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    /// Answers each request `200 ok` (text), then closes the connection
    /// without saying so (no `Connection: close`).
    AnswerThenClose,
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

    /// Serves one JSON document at `path` (a contract behind a URL).
    pub fn serve_json(path: &str, body: serde_json::Value) -> TestServer {
        let app = axum::Router::new().route(
            path,
            axum::routing::get(move || async move { axum::Json(body) }),
        );
        TestServer::serve(app)
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
                        Misbehaviour::AnswerThenClose => {
                            let answer = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\
                                          content-length: 2\r\n\r\nok";
                            let _ = stream.write_all(answer.as_bytes()).await;
                        }
                    }
                }
            };
            tokio::select! {
                _ = accept => {}
                _ = stop => {}
            }
        })
    }

    /// An HTTPS front for the plain HTTP server at `backend`: TLS with the
    /// certificate for 127.0.0.1 in `tests/data/tls` (signed by the test
    /// CA, `tls_ca_pem`), each connection relayed to `backend`. `url` is
    /// `https://127.0.0.1:PORT`.
    pub fn tls_in_front_of(backend: SocketAddr) -> TestServer {
        let acceptor = tls_acceptor();
        let mut server = TestServer::spawn(move |listener, stop| async move {
            let accept = async {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        // A client that refuses the certificate ends here.
                        let Ok(mut tls) = acceptor.accept(stream).await else {
                            return;
                        };
                        let Ok(mut inner) = tokio::net::TcpStream::connect(backend).await else {
                            return;
                        };
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut inner).await;
                    });
                }
            };
            tokio::select! {
                _ = accept => {}
                _ = stop => {}
            }
        });
        server.url = format!("https://{}", server.addr);
        server
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

/// The directory of the test TLS files (see its `make.sh`).
fn tls_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tls")
}

/// The test CA's certificate (PEM), which signed the HTTPS front's.
pub fn tls_ca_pem() -> std::path::PathBuf {
    tls_dir().join("ca.pem")
}

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::{crypto, ServerConfig};
    let certs = CertificateDer::pem_file_iter(tls_dir().join("server.pem"))
        .expect("tests/data/tls/server.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("a PEM certificate");
    let key = PrivateKeyDer::from_pem_file(tls_dir().join("server.key")).expect("a PEM key");
    let config = ServerConfig::builder_with_provider(crypto::ring::default_provider().into())
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the test certificate and key");
    tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
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
