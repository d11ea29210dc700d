//! Retention: a periodic cleanup so the database does not grow without
//! bound (the most frequent Pact Broker complaint).
//!
//! Kept: every version younger than [`Retention::keep`] (so recent
//! branches stay whole), the head of each pacticipant's main branch, each
//! pacticipant's newest version, and every version currently deployed or
//! released. Everything else is deleted with its tags, publications and
//! verifications, then contents no version publishes, branches without
//! versions and delivered webhook requests older than the window.
//! See [`crate::store::Store::apply_retention`].

use std::time::Duration;

use crate::state::AppState;
use crate::store::RetentionReport;

/// When and what to clean up.
#[derive(Debug, Clone)]
pub struct Retention {
    /// Versions younger than this are always kept.
    pub keep: Duration,
    /// Time between cleanups (the first runs at start).
    pub every: Duration,
}

/// The cutoff for a window: now minus `keep`, as stored (RFC 3339).
pub fn cutoff(keep: Duration) -> String {
    let keep = chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX);
    let at = chrono::Utc::now()
        .checked_sub_signed(keep)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Runs one cleanup now.
pub async fn run_once(
    state: &AppState,
    keep: Duration,
) -> Result<RetentionReport, crate::BrokerError> {
    let cutoff = cutoff(keep);
    state.query(move |s| s.apply_retention(&cutoff)).await
}

/// Starts the periodic cleanup on the current tokio runtime.
pub fn spawn(state: AppState, retention: Retention) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(retention.every.max(Duration::from_secs(1)));
        loop {
            ticks.tick().await;
            match run_once(&state, retention.keep).await {
                Ok(report) => tracing::info!(?report, "retention cleanup"),
                Err(error) => tracing::error!(%error, "retention cleanup failed"),
            }
        }
    })
}
