//! Orchestration: which interactions run, on how many workers, in what
//! order, and when to stop.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::http_client::HttpClient;
use super::interaction;
use super::options::VerifyOptions;
use super::report::{ContractReport, InteractionReport, Outcome, VerificationReport};
use crate::model::Interaction;
use crate::source::LoadedContract;

/// The run could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The provider URL cannot be used.
    #[error("`{url}` is not a usable provider URL: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client")]
    Client(#[source] reqwest::Error),
    /// A file of certificate authorities cannot be used.
    #[error(transparent)]
    CaCert(#[from] crate::tls::CaFileError),
    /// `wait_for_provider` ran out.
    #[error("the provider at {url} did not accept connections within {waited:?}")]
    ProviderNotReady {
        /// The provider URL.
        url: String,
        /// How long we waited.
        waited: Duration,
    },
}

/// What every interaction's verification shares.
pub(crate) struct Context {
    pub(crate) client: HttpClient,
    pub(crate) options: VerifyOptions,
}

/// One interaction to run: its place in the report and in the contracts.
#[derive(Clone, Copy)]
struct Job {
    contract: usize,
    interaction: usize,
}

/// Verifies the selected interactions of the contracts against the
/// provider and returns the report (the caller renders it).
pub async fn verify(
    contracts: Vec<LoadedContract>,
    options: VerifyOptions,
) -> Result<VerificationReport, VerifyError> {
    let client = prepare(&options).await?;
    Ok(run(client, contracts, options).await)
}

/// Checks the provider URL, waits for the provider when asked, and builds
/// the client every request of a run goes through.
pub(super) async fn prepare(options: &VerifyOptions) -> Result<HttpClient, VerifyError> {
    let url = reqwest::Url::parse(&options.provider_url).map_err(|e| VerifyError::InvalidUrl {
        url: options.provider_url.clone(),
        reason: e.to_string(),
    })?;
    let https = [
        Some(&options.provider_url),
        options.state_change.as_ref().map(|s| &s.url),
        options.message_url.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|url| url.starts_with("https:"));
    let roots = crate::tls::extra_roots(&options.tls.ca_certs, https)?;
    if let Some(limit) = options.wait_for_provider {
        wait_for(&url, limit)
            .await
            .map_err(|waited| VerifyError::ProviderNotReady {
                url: options.provider_url.clone(),
                waited,
            })?;
    }
    HttpClient::new(
        options.request_timeout,
        roots,
        options.tls.accept_invalid_certs,
    )
    .map_err(VerifyError::Client)
}

/// Verifies the contracts through a prepared client.
pub(super) async fn run(
    client: HttpClient,
    contracts: Vec<LoadedContract>,
    options: VerifyOptions,
) -> VerificationReport {
    let started = Instant::now();
    let loaded: usize = contracts
        .iter()
        .map(|c| c.contract.interactions.len())
        .sum();
    let (contracts, jobs) = select(contracts, &options);
    let filtered_out = loaded - jobs.len();
    let workers = options.jobs.max(1).min(jobs.len().max(1));
    let ctx = Arc::new(Context { client, options });
    let shared = Arc::new(Shared {
        contracts,
        jobs,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..workers {
        set.spawn(worker(ctx.clone(), shared.clone()));
    }
    let mut done: Vec<(usize, InteractionReport)> = Vec::new();
    while let Some(result) = set.join_next().await {
        done.extend(result.expect("a verification worker panicked"));
    }
    done.sort_by_key(|(i, _)| *i);
    let report = assemble(&shared, done, &ctx.options, started.elapsed(), filtered_out);
    // Freeing the contracts' JSON trees costs about as much as reading
    // them; it happens off the caller's path (a CLI exits meanwhile).
    std::thread::spawn(move || drop(shared));
    report
}

struct Shared {
    contracts: Vec<LoadedContract>,
    jobs: Vec<Job>,
    next: AtomicUsize,
    stop: AtomicBool,
}

/// Takes jobs in order until none are left.
async fn worker(ctx: Arc<Context>, shared: Arc<Shared>) -> Vec<(usize, InteractionReport)> {
    let mut out = Vec::new();
    loop {
        let index = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(job) = shared.jobs.get(index) else {
            return out;
        };
        let interaction = &shared.contracts[job.contract].contract.interactions[job.interaction];
        let started = Instant::now();
        let (outcome, warnings) = if shared.stop.load(Ordering::SeqCst) {
            let reason = "not run: an earlier interaction failed (fail-fast)".to_owned();
            (Outcome::Skipped { reason }, Vec::new())
        } else {
            interaction::verify(&ctx, interaction).await
        };
        if ctx.options.fail_fast && outcome.is_problem() && !interaction.pending {
            shared.stop.store(true, Ordering::SeqCst);
        }
        let report = report(interaction, outcome, warnings, started.elapsed());
        out.push((index, report));
    }
}

/// The contracts the filter keeps, and the interactions to run in order.
fn select(
    contracts: Vec<LoadedContract>,
    options: &VerifyOptions,
) -> (Vec<LoadedContract>, Vec<Job>) {
    let filter = &options.filter;
    let kept: Vec<LoadedContract> = contracts
        .into_iter()
        .filter(|c| filter.accepts_contract(&c.contract))
        .collect();
    let mut jobs = Vec::new();
    for (ci, loaded) in kept.iter().enumerate() {
        let consumer = &loaded.contract.consumer.name;
        for (ii, interaction) in loaded.contract.interactions.iter().enumerate() {
            if filter.accepts(consumer, interaction) {
                jobs.push(Job {
                    contract: ci,
                    interaction: ii,
                });
            }
        }
    }
    (kept, jobs)
}

fn assemble(
    shared: &Shared,
    done: Vec<(usize, InteractionReport)>,
    options: &VerifyOptions,
    duration: Duration,
    filtered_out: usize,
) -> VerificationReport {
    let mut contracts: Vec<ContractReport> = shared
        .contracts
        .iter()
        .map(|loaded| ContractReport {
            consumer: loaded.contract.consumer.name.clone(),
            provider: loaded.contract.provider.name.clone(),
            origin: loaded.origin.clone(),
            interactions: Vec::new(),
        })
        .collect();
    for (index, report) in done {
        contracts[shared.jobs[index].contract]
            .interactions
            .push(report);
    }
    VerificationReport {
        provider_url: options.provider_url.clone(),
        contracts,
        duration,
        filtered_out,
    }
}

pub(super) fn report(
    interaction: &Interaction,
    outcome: Outcome,
    warnings: Vec<String>,
    duration: Duration,
) -> InteractionReport {
    let comments = &interaction.comments;
    InteractionReport {
        description: interaction.description.clone(),
        kind: interaction.kind.type_name(),
        provider_states: interaction
            .provider_states
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        pending: interaction.pending,
        comments: match comments.get("text") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            Some(Value::String(text)) => vec![text.clone()],
            _ => Vec::new(),
        },
        test_name: comments
            .get("testname")
            .and_then(Value::as_str)
            .map(str::to_owned),
        outcome,
        warnings,
        duration,
    }
}

/// Polls until the provider's host accepts a TCP connection; `Err` with
/// the time waited when it never does.
async fn wait_for(url: &reqwest::Url, limit: Duration) -> Result<(), Duration> {
    let started = Instant::now();
    let host = url.host_str().unwrap_or("localhost").to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    loop {
        let left = limit.saturating_sub(started.elapsed());
        let attempt = tokio::net::TcpStream::connect((host.as_str(), port));
        if let Ok(Ok(_)) = tokio::time::timeout(left, attempt).await {
            return Ok(());
        }
        if started.elapsed() >= limit {
            return Err(started.elapsed());
        }
        // Poll interval between connection attempts (not a test sleep).
        tokio::time::sleep(Duration::from_millis(50).min(left)).await;
    }
}
