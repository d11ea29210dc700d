//! The result of a verification run, as data: callers render it (text,
//! JSON, JUnit) and decide the exit code.

use std::time::Duration;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::matching::Mismatch;

/// The whole run: one entry per contract, in the order given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationReport {
    /// The provider's base URL.
    pub provider_url: String,
    /// One report per contract.
    pub contracts: Vec<ContractReport>,
    /// Wall time of the run.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
    /// Interactions of the loaded contracts that the filters left out
    /// (serialised in the summary).
    #[serde(skip)]
    pub filtered_out: usize,
}

/// The interactions verified for one contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractReport {
    /// The consumer's name.
    pub consumer: String,
    /// The provider's name.
    pub provider: String,
    /// The file or URL the contract came from.
    pub origin: String,
    /// One report per selected interaction, in contract order.
    pub interactions: Vec<InteractionReport>,
}

/// The verification of one interaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InteractionReport {
    /// The interaction's description.
    pub description: String,
    /// `Synchronous/HTTP`, `Asynchronous/Messages` or `Synchronous/Messages`.
    pub kind: &'static str,
    /// The names of its provider states.
    pub provider_states: Vec<String>,
    /// V4 pending: a failure here does not fail the run.
    pub pending: bool,
    /// V4 `comments.text` entries.
    pub comments: Vec<String>,
    /// V4 `comments.testname`: the test that wrote the interaction.
    pub test_name: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Things worth knowing that did not fail the interaction (a provider
    /// state with no state-change URL to set it up).
    pub warnings: Vec<String>,
    /// Time spent on it, state changes included.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

/// How an interaction's verification ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// The provider answered as the contract expects.
    Passed,
    /// The provider answered, but not as expected.
    Failed {
        /// Every difference found.
        #[serde(serialize_with = "mismatch_list")]
        mismatches: Vec<Mismatch>,
        /// A line diff of expected and actual body, when both are text.
        body_diff: Option<String>,
    },
    /// The interaction could not be verified: no answer, or a step around
    /// the request failed.
    Error {
        /// What kind of problem.
        kind: ErrorKind,
        /// What happened, in a sentence.
        message: String,
    },
    /// Not run (after a failure with fail-fast).
    Skipped {
        /// Why.
        reason: String,
    },
}

/// Why an interaction could not be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The provider refused the connection or could not be reached.
    ProviderUnreachable,
    /// The provider did not answer within the request timeout.
    Timeout,
    /// The provider closed or reset the connection without an answer.
    ConnectionReset,
    /// A provider-state setup or teardown call failed.
    StateChangeFailed,
    /// The contract's generators could not produce the request.
    Generator,
    /// The request could not be built (bad method, URL or header).
    InvalidRequest,
    /// Any other transport problem.
    Transport,
}

impl ErrorKind {
    /// A short phrase for reports (`provider unreachable`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::ProviderUnreachable => "provider unreachable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::ConnectionReset => "connection reset",
            ErrorKind::StateChangeFailed => "state change failed",
            ErrorKind::Generator => "generator failed",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::Transport => "transport error",
        }
    }
}

/// Counts over a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Interactions in the report.
    pub total: usize,
    /// Passed.
    pub passed: usize,
    /// Failed with mismatches (pending ones included).
    pub failed: usize,
    /// Could not be verified (pending ones included).
    pub errors: usize,
    /// Not run.
    pub skipped: usize,
    /// Failures and errors of pending interactions (not fatal).
    pub pending_failures: usize,
    /// Interactions the filters left out (not in the report).
    pub filtered_out: usize,
}

/// The verdict of a run, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every non-pending interaction passed.
    Passed,
    /// A non-pending interaction failed with mismatches.
    Failed,
    /// A non-pending interaction could not be verified (the provider did
    /// not answer, a state change failed): the result says nothing about
    /// the contract.
    Infrastructure,
}

impl VerificationReport {
    /// Every interaction with its contract.
    pub fn interactions(&self) -> impl Iterator<Item = (&ContractReport, &InteractionReport)> {
        self.contracts
            .iter()
            .flat_map(|c| c.interactions.iter().map(move |i| (c, i)))
    }

    /// Counts of each outcome.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            filtered_out: self.filtered_out,
            ..Summary::default()
        };
        for (_, i) in self.interactions() {
            s.total += 1;
            match i.outcome {
                Outcome::Passed => s.passed += 1,
                Outcome::Failed { .. } => s.failed += 1,
                Outcome::Error { .. } => s.errors += 1,
                Outcome::Skipped { .. } => s.skipped += 1,
            }
            if i.pending && i.outcome.is_problem() {
                s.pending_failures += 1;
            }
        }
        s
    }

    /// Infrastructure when any non-pending interaction errored, else
    /// failed when any failed, else passed. Pending interactions never
    /// count, as in Pact.
    pub fn verdict(&self) -> Verdict {
        let fatal = || self.interactions().map(|(_, i)| i).filter(|i| !i.pending);
        if fatal().any(|i| matches!(i.outcome, Outcome::Error { .. })) {
            Verdict::Infrastructure
        } else if fatal().any(|i| matches!(i.outcome, Outcome::Failed { .. })) {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }
}

impl Outcome {
    /// True for a failure or an error.
    pub fn is_problem(&self) -> bool {
        matches!(self, Outcome::Failed { .. } | Outcome::Error { .. })
    }
}

fn millis<S: Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(duration.as_secs_f64() * 1000.0)
}

fn mismatch_list<S: Serializer>(list: &[Mismatch], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(MismatchJson))
}

/// A mismatch in JSON: part, path, location, expected, actual, message.
struct MismatchJson<'a>(&'a Mismatch);

impl Serialize for MismatchJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut st = s.serialize_struct("Mismatch", 6)?;
        st.serialize_field("part", m.part.as_str())?;
        st.serialize_field("path", &m.path)?;
        st.serialize_field("location", &m.location())?;
        st.serialize_field("expected", &m.expected)?;
        st.serialize_field("actual", &m.actual)?;
        st.serialize_field("message", &m.message)?;
        st.end()
    }
}
