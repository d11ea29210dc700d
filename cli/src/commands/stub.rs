//! `treaty stub PATH_OR_URL...`: serve contracts until Ctrl-C. Prints the
//! URL it listens on (first line of stdout); logs go to stderr.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use regex::Regex;
use tracing_subscriber::EnvFilter;
use treaty_core::stub::{Source, StubConfig, StubServer};

use crate::args::StubArgs;
use crate::exit::Exit;

pub(crate) fn run(args: StubArgs) -> anyhow::Result<Exit> {
    let from_broker = broker_sources(&args)?;
    let mut config = StubConfig::try_from(args)?;
    if let Some(sources) = from_broker {
        config.sources = sources;
    }
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(serve(config))
}

impl TryFrom<StubArgs> for StubConfig {
    type Error = anyhow::Error;

    fn try_from(args: StubArgs) -> anyhow::Result<StubConfig> {
        let provider_state = args
            .provider_state
            .as_deref()
            .map(Regex::new)
            .transpose()
            .context("--provider-state is not a valid regex")?;
        Ok(StubConfig {
            sources: args
                .sources
                .iter()
                .map(|s| Source::parse(s, None))
                .collect(),
            host: args.host,
            port: args.port,
            cors: args.cors,
            watch: args.watch,
            provider_state,
            state_header: args.state_header,
            miss_status: args.miss_status,
            ..StubConfig::default()
        })
    }
}

/// With `--broker-url` and no PATH_OR_URL: the latest pact of each
/// consumer and provider in the broker, filtered by `--consumer` and
/// `--provider`.
fn broker_sources(args: &StubArgs) -> anyhow::Result<Option<Vec<Source>>> {
    let b = &args.broker;
    let (true, Some(url)) = (args.sources.is_empty(), &b.broker_url) else {
        return Ok(None);
    };
    let client = super::connect::client(url, &b.auth)?;
    let pacts = super::connect::block_on(client.latest_pacts())?
        .map_err(super::connect::failed("list the latest pacts"))?;
    let wanted = |list: &[String], name: &str| list.is_empty() || list.iter().any(|n| n == name);
    let sources: Vec<Source> = pacts
        .into_iter()
        .filter(|p| wanted(&b.consumers, &p.consumer) && wanted(&b.providers, &p.provider))
        .map(|p| Source::Url {
            url: p.href,
            auth: super::connect::auth(&b.auth),
        })
        .collect();
    if sources.is_empty() {
        anyhow::bail!("the broker at {url} has no pact for the --consumer and --provider given");
    }
    Ok(Some(sources))
}

async fn serve(config: StubConfig) -> anyhow::Result<Exit> {
    let stub = StubServer::start(config)
        .await
        .context("cannot start the stub server")?;
    // Listen for signals before printing the URL: whoever reads it may
    // signal right away.
    let stop = StopSignal::install()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", stub.url())?;
    stdout.flush()?;
    drop(stdout);
    stop.wait().await?;
    stub.shutdown().await.context("the stub server failed")?;
    Ok(Exit::Ok)
}

/// Ctrl-C (SIGINT), or SIGTERM on Unix (containers and process managers
/// send it).
pub(crate) struct StopSignal {
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl StopSignal {
    #[cfg(unix)]
    pub(crate) fn install() -> anyhow::Result<StopSignal> {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?;
        let terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        Ok(StopSignal {
            signals: (interrupt, terminate),
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn install() -> anyhow::Result<StopSignal> {
        Ok(StopSignal {})
    }

    #[cfg(unix)]
    pub(crate) async fn wait(mut self) -> anyhow::Result<()> {
        let (interrupt, terminate) = &mut self.signals;
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        Ok(())
    }

    #[cfg(not(unix))]
    pub(crate) async fn wait(self) -> anyhow::Result<()> {
        tokio::signal::ctrl_c()
            .await
            .context("cannot listen for Ctrl-C")
    }
}

/// Request lines and reload errors to stderr, filtered by `RUST_LOG`
/// (default `info`).
pub(crate) fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
