//! Verifying contracts kept as text ([`LazyLoaded`]): interactions are
//! taken a batch at a time, their response bodies copied out of the text
//! for the batch only, so memory stays flat however large the bodies. The
//! report is the one [`super::verify`] gives for the same contracts loaded
//! whole.

use std::time::{Duration, Instant};

use super::options::VerifyOptions;
use super::report::{ContractReport, Outcome, VerificationReport};
use super::run::{prepare, report, run, VerifyError};
use crate::source::{LazyLoaded, LoadedContract};

/// Interactions taken at once; with `--jobs N` a batch keeps N workers busy
/// but for its last few interactions.
const BATCH: usize = 256;

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
        for start in (0..lazy.len()).step_by(BATCH) {
            let interactions = lazy.read_to_verify(start..(start + BATCH).min(lazy.len()));
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
