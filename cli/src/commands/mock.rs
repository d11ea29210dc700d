//! `treaty mock`: the control server that creates consumer mock servers
//! on demand (`treaty_core::consumer::control`). Prints its URL (first
//! line of stdout) and serves until Ctrl-C or SIGTERM.

use std::io::Write;

use anyhow::Context;
use treaty_core::consumer::control::{self, ControlConfig};

use super::stub::{init_logging, StopSignal};
use crate::args::MockArgs;
use crate::exit::Exit;

pub(crate) fn run(args: &MockArgs) -> anyhow::Result<Exit> {
    let config = ControlConfig {
        host: args.host.clone(),
        contract_dir: args.contract_dir.clone(),
    };
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(config, &args.host, args.port))
}

async fn serve(config: ControlConfig, host: &str, port: u16) -> anyhow::Result<Exit> {
    let address = format!("{host}:{port}");
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let local = listener.local_addr().context("no local address")?;
    // Listen for signals before printing the URL: whoever reads it may
    // signal right away.
    let stop = StopSignal::install()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "http://{local}")?;
    stdout.flush()?;
    drop(stdout);
    let shutdown = async {
        if let Err(e) = stop.wait().await {
            eprintln!("treaty mock: {e:#}");
        }
    };
    control::serve(listener, config, shutdown)
        .await
        .context("the control server failed")?;
    Ok(Exit::Ok)
}
