//! Consumer mock servers: how long starting one takes beyond binding its
//! port, and how fast it answers compared with the stub server (both use
//! the stub's index, matching and response code).
//!
//! Run with `cargo bench -p treaty-core --features consumer --bench mock`;
//! prints the figures recorded in `bench/RESULTS.md`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use treaty_core::consumer::{contract, get, integer, like, ok, ContractBuilder, MockServer};
use treaty_core::stub::{Source, StubConfig, StubServer};
use treaty_core::term;
use treaty_core::write::write_contract;

const STARTS: usize = 2_000;
const REQUESTS: usize = 20_000;

/// A contract of `n` interactions `GET /orders/{i}` with a small JSON body.
fn orders(n: usize) -> ContractBuilder {
    (0..n).fold(contract("web", "orders"), |c, i| {
        c.interaction(&format!("order {i}"), |it| {
            it.request(get(format!("/orders/{i}").as_str()))
                .response(ok().json(term!({"id": integer(i as i64), "status": like("open")})))
        })
    })
}

fn per_op(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n as f64
}

/// Mean microseconds to bind a loopback port, and to start a mock server
/// (building the contract excluded; binding included).
fn startup(interactions: usize) -> (f64, f64) {
    let start = Instant::now();
    for _ in 0..STARTS {
        drop(std::net::TcpListener::bind("127.0.0.1:0").expect("binds"));
    }
    let bind = per_op(start.elapsed(), STARTS);
    let builders: Vec<ContractBuilder> = (0..STARTS).map(|_| orders(interactions)).collect();
    let mut total = Duration::ZERO;
    for builder in builders {
        let start = Instant::now();
        let mock = builder.start_mock_server();
        total += start.elapsed();
        // Nothing was exercised: finish reports that and writes nothing.
        assert!(mock.finish().is_err());
    }
    (bind, per_op(total, STARTS))
}

/// Sequential keep-alive GETs of `path`; microseconds per request and the
/// 99th percentile.
fn latency(url: &str, path: &str) -> (f64, f64) {
    let address = url.trim_start_matches("http://");
    let stream = TcpStream::connect(address).expect("connects");
    stream.set_nodelay(true).expect("nodelay");
    let mut writer = stream.try_clone().expect("clones");
    let mut reader = BufReader::new(stream);
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let mut times = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let start = Instant::now();
        writer.write_all(request.as_bytes()).expect("sends");
        read_response(&mut reader);
        times.push(start.elapsed());
    }
    let total: Duration = times.iter().sum();
    times.sort();
    let p99 = times[REQUESTS * 99 / 100].as_secs_f64() * 1e6;
    (per_op(total, REQUESTS), p99)
}

fn read_response(reader: &mut BufReader<TcpStream>) {
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("reads a header");
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().expect("a length");
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("reads the body");
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let builder = orders(100).output_dir(dir.path());
    let file = dir.path().join("orders.json");
    let text = write_contract(builder.contract(), treaty_core::model::SpecVersion::V4);
    std::fs::write(&file, text.expect("writes")).expect("writes the file");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let stub = runtime
        .block_on(StubServer::start(StubConfig {
            sources: vec![Source::parse(file.to_str().expect("utf-8"), None)],
            ..StubConfig::default()
        }))
        .expect("the stub starts");
    let mock: MockServer = builder.start_mock_server();
    let urls = [
        ("mock", mock.base_url().to_owned()),
        ("stub", stub.url().to_owned()),
        ("mock", mock.base_url().to_owned()),
        ("stub", stub.url().to_owned()),
    ];
    for (name, url) in urls {
        let (mean, p99) = latency(&url, "/orders/42");
        println!("{name}, 100 interactions: {REQUESTS} sequential keep-alive GETs, mean {mean:.1} µs, p99 {p99:.1} µs");
    }
    drop(mock.finish());
    runtime.block_on(stub.shutdown()).expect("the stub stops");
    for n in [1, 10, 100] {
        let (bind, start) = startup(n);
        println!(
            "mock start, {n} interactions: {start:.1} µs (binding a port alone: {bind:.1} µs; setup beyond binding: {:.1} µs)",
            start - bind
        );
    }
}
