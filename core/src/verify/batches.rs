//! Verifying contracts kept as text ([`LazyLoaded`]): interactions are
//! taken a batch at a time, the bodies left in the text copied out for the
//! batch only, so memory stays flat however large the bodies. The report
//! is the one [`super::verify`] gives for the same contracts loaded whole.

use std::time::{Duration, Instant};

use super::options::VerifyOptions;
use super::report::{ContractReport, Outcome, VerificationReport};
use super::run::{prepare, report, run, VerifyError};
use crate::model::Contract;
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
    for LazyLoaded { origin, contract } in contracts {
        if !options.filter.accepts_contract(&contract.header) {
            out.filtered_out += contract.len();
            continue;
        }
        let header = contract.header.clone();
        let mut verified = ContractReport {
            consumer: header.consumer.name.clone(),
            provider: header.provider.name.clone(),
            origin: origin.clone(),
            interactions: Vec::new(),
        };
        for interactions in contract.into_batches(BATCH) {
            if stopped {
                for interaction in interactions {
                    if options.filter.accepts(&verified.consumer, &interaction) {
                        let reason = "not run: an earlier interaction failed (fail-fast)";
                        let skipped = Outcome::Skipped {
                            reason: reason.to_owned(),
                        };
                        let r = report(&interaction, skipped, Vec::new(), Duration::ZERO);
                        verified.interactions.push(r);
                    } else {
                        out.filtered_out += 1;
                    }
                }
                continue;
            }
            let batch = vec![LoadedContract {
                origin: origin.clone(),
                contract: Contract {
                    interactions,
                    ..header.clone()
                },
            }];
            let part = run(client.clone(), batch, options.clone()).await;
            out.filtered_out += part.filtered_out;
            for c in part.contracts {
                verified.interactions.extend(c.interactions);
            }
            stopped = options.fail_fast
                && verified
                    .interactions
                    .iter()
                    .any(|i| !i.pending && i.outcome.is_problem());
        }
        out.contracts.push(verified);
    }
    out.duration = started.elapsed();
    Ok(out)
}
