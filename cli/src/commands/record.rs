//! `treaty record`: the recording proxy (`treaty_core::consumer::record`).
//! Prints its URL (first line of stdout), forwards requests until Ctrl-C
//! or SIGTERM, then writes the contract and prints its path.

use std::io::Write;

use anyhow::Context;
use treaty_core::consumer::record::{RecordConfig, Recorder};

use super::stub::{init_logging, StopSignal};
use crate::args::RecordArgs;
use crate::exit::Exit;

pub(crate) fn run(args: &RecordArgs) -> anyhow::Result<Exit> {
    let recorder = Recorder::new(RecordConfig {
        upstream: args.upstream.clone(),
        consumer: args.consumer.clone(),
        provider: args.provider.clone(),
        out: args.out.clone(),
    });
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(&recorder, &args.host, args.port))?;
    let path = recorder
        .write()
        .context("the recorded contract was not written")?;
    // Whoever started the proxy may have stopped reading its output.
    let _ = writeln!(std::io::stdout(), "wrote {}", path.display());
    Ok(Exit::Ok)
}

async fn serve(recorder: &Recorder, host: &str, port: u16) -> anyhow::Result<()> {
    let address = format!("{host}:{port}");
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let local = listener.local_addr().context("no local address")?;
    let stop = StopSignal::install()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "http://{local}")?;
    stdout.flush()?;
    drop(stdout);
    let shutdown = async {
        if let Err(e) = stop.wait().await {
            eprintln!("treaty record: {e:#}");
        }
    };
    recorder
        .serve(listener, shutdown)
        .await
        .context("the recording proxy failed")
}
