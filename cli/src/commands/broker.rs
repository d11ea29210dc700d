//! `treaty broker`: run the contract broker until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use treaty_broker::Config;

use crate::args::BrokerArgs;
use crate::exit::Exit;

pub(crate) fn run(args: &BrokerArgs) -> anyhow::Result<Exit> {
    if let Some(url) = &args.public_url {
        anyhow::ensure!(
            url.starts_with("http://") || url.starts_with("https://"),
            "--public-url must start with http:// or https:// (got {url})"
        );
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config {
        db: args.db.clone(),
        listen: SocketAddr::new(args.host, args.port),
        public_url: args.public_url.clone(),
        max_body_bytes: args.max_body_bytes,
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let db = config.db.display().to_string();
    runtime.block_on(treaty_broker::serve(config, |addr| {
        // The one line on stdout: scripts and tests wait for it.
        println!("treaty broker listening on http://{addr} (database {db})");
    }))?;
    Ok(Exit::Ok)
}
