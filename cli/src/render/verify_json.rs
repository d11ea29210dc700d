//! The verification report as JSON (`--json FILE`, `--output json`): the
//! core report plus `verdict` and `summary`:
//! `{verdict: "passed"|"failed"|"error", summary: {total, passed, failed,
//! errors, skipped, pending_failures, filtered_out}, provider_url, duration (ms),
//! contracts: [{consumer, provider, origin, interactions: [{description,
//! kind, provider_states, pending, comments, test_name, warnings, duration,
//! outcome: {status: "passed"|"failed"|"error"|"skipped", mismatches:
//! [{part, path, location, expected, actual, message}], body_diff, kind,
//! message, reason}}]}]}`.

use serde::Serialize;
use treaty_core::verify::{Summary, Verdict, VerificationReport};

#[derive(Serialize)]
struct ReportJson<'a> {
    verdict: &'static str,
    summary: Summary,
    #[serde(flatten)]
    report: &'a VerificationReport,
}

/// Pretty-printed JSON.
pub(crate) fn to_string(report: &VerificationReport) -> serde_json::Result<String> {
    let verdict = match report.verdict() {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Infrastructure => "error",
    };
    serde_json::to_string_pretty(&ReportJson {
        verdict,
        summary: report.summary(),
        report,
    })
}
