//! Verifying contracts kept as text ([`LazyLoaded`]): interactions are read
//! a batch at a time, verified, and dropped, so memory stays flat however
//! large the contracts. The report is the one [`super::verify`] gives for the same
//! contracts loaded whole.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use super::options::VerifyOptions;
use super::report::{ContractReport, Outcome, VerificationReport};
use super::run::{prepare, report, run, VerifyError};
use crate::model::Interaction;
use crate::read::ReadError;
use crate::source::{LazyLoaded, LoadedContract};

/// Interactions read at once; with `--jobs N` a batch keeps N workers busy
/// but for its last few interactions.
const BATCH: usize = 128;

/// [`super::verify`] over contracts kept as text.
pub async fn verify_lazy(
    contracts: Vec<LazyLoaded>,
    options: VerifyOptions,
) -> Result<VerificationReport, VerifyError> {
    let started = Instant::now();
    // One client (and its pool of connections) for every batch.
    let client = prepare(&options).await?;
    let mut out = VerificationReport {
        provider_url: options.provider_url.clone(),
        contracts: Vec::new(),
        duration: Duration::ZERO,
        filtered_out: 0,
    };
    let mut stopped = false;
    for loaded in contracts {
        let loaded = Arc::new(loaded);
        let lazy = &loaded.contract;
        if !options.filter.accepts_contract(&lazy.header) {
            out.filtered_out += lazy.len();
            continue;
        }
        let mut contract = ContractReport {
            consumer: lazy.header.consumer.name.clone(),
            provider: lazy.header.provider.name.clone(),
            origin: loaded.origin.clone(),
            interactions: Vec::new(),
        };
        // The next batch is read on a blocking thread while this one is
        // verified.
        let mut next = prefetch(&loaded, 0);
        while let Some(reading) = next.take() {
            let (end, read) = reading
                .await
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
            let interactions = read.map_err(|source| VerifyError::Contract {
                origin: loaded.origin.clone(),
                source,
            })?;
            next = prefetch(&loaded, end);
            if stopped {
                for interaction in interactions {
                    if options.filter.accepts(&contract.consumer, &interaction) {
                        let reason = "not run: an earlier interaction failed (fail-fast)";
                        let skipped = Outcome::Skipped {
                            reason: reason.to_owned(),
                        };
                        let r = report(&interaction, skipped, Vec::new(), Duration::ZERO);
                        contract.interactions.push(r);
                    } else {
                        out.filtered_out += 1;
                    }
                }
                continue;
            }
            let mut header = lazy.header.clone();
            header.interactions = interactions;
            let batch = vec![LoadedContract {
                origin: loaded.origin.clone(),
                contract: header,
            }];
            let part = run(client.clone(), batch, options.clone()).await;
            out.filtered_out += part.filtered_out;
            for c in part.contracts {
                contract.interactions.extend(c.interactions);
            }
            stopped = options.fail_fast
                && contract
                    .interactions
                    .iter()
                    .any(|i| !i.pending && i.outcome.is_problem());
        }
        out.contracts.push(contract);
    }
    out.duration = started.elapsed();
    Ok(out)
}

/// What reading a batch gives: where it ends, and its interactions.
type Batch = (usize, Result<Vec<Interaction>, ReadError>);

/// Starts reading the batch from `start`; `None` past the end.
fn prefetch(loaded: &Arc<LazyLoaded>, start: usize) -> Option<JoinHandle<Batch>> {
    let len = loaded.contract.len();
    (start < len).then(|| {
        let loaded = loaded.clone();
        let end = (start + BATCH).min(len);
        tokio::task::spawn_blocking(move || (end, loaded.contract.read_to_verify(start..end)))
    })
}
