//! What a mock server saw, and the report a failing consumer test prints.

use std::fmt;

use crate::matching::MatchResult;
use crate::model::HttpRequest;

/// What became of a request a mock server received.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An interaction matched and answered it.
    Matched {
        /// The interaction's description.
        interaction: String,
    },
    /// Interactions with its method and path exist, but none matched.
    Mismatched {
        /// The closest interaction's description.
        interaction: String,
        /// How the request differs from it.
        result: MatchResult,
    },
    /// No interaction has its method and path.
    Unexpected,
}

/// One request a mock server received.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The request.
    pub request: HttpRequest,
    /// What became of it.
    pub outcome: Outcome,
}

/// The state of a mock server's expectations.
#[derive(Debug, Clone, PartialEq)]
pub struct MockReport {
    /// The contract's consumer.
    pub consumer: String,
    /// The contract's provider.
    pub provider: String,
    /// Interactions never exercised: description, method, path.
    pub missed: Vec<(String, String, String)>,
    /// Requests that were unexpected or mismatched, in order.
    pub problems: Vec<Exchange>,
}

impl MockReport {
    /// True when every interaction was exercised and every request matched.
    pub fn is_ok(&self) -> bool {
        self.missed.is_empty() && self.problems.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.missed.len() + self.problems.len()
    }

    /// True when there is no problem.
    pub fn is_empty(&self) -> bool {
        self.is_ok()
    }
}

/// Lines of body diff shown per mismatched request.
const DIFF_LINES: usize = 12;

fn request_line(request: &HttpRequest) -> String {
    let mut line = format!("{} {}", request.method, request.path);
    let query = request.query.to_query_string();
    if !query.is_empty() {
        line.push('?');
        line.push_str(&query);
    }
    line
}

impl fmt::Display for MockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.len();
        let plural = if n == 1 { "problem" } else { "problems" };
        writeln!(
            f,
            "treaty mock server for {} -> {}: {n} {plural}",
            self.consumer, self.provider
        )?;
        let mut number = 0;
        for (description, method, path) in &self.missed {
            number += 1;
            writeln!(
                f,
                "\n{number}. missed: `{description}` ({method} {path}) was expected but never received"
            )?;
        }
        for exchange in &self.problems {
            number += 1;
            let request = request_line(&exchange.request);
            match &exchange.outcome {
                Outcome::Unexpected => {
                    writeln!(
                        f,
                        "\n{number}. unexpected: {request} matched no interaction"
                    )?;
                }
                Outcome::Mismatched {
                    interaction,
                    result,
                } => {
                    writeln!(
                        f,
                        "\n{number}. mismatched: {request} did not match `{interaction}`:"
                    )?;
                    write_mismatches(f, result)?;
                }
                Outcome::Matched { .. } => {}
            }
        }
        write!(f, "\nNo contract was written.")
    }
}

fn write_mismatches(f: &mut fmt::Formatter<'_>, result: &MatchResult) -> fmt::Result {
    for mismatch in &result.mismatches {
        writeln!(f, "   {}: {}", mismatch.location(), mismatch.message)?;
    }
    if let Some(diff) = &result.body_diff {
        writeln!(f, "   body diff (- expected, + received):")?;
        for line in diff.lines().take(DIFF_LINES) {
            writeln!(f, "     {line}")?;
        }
        if diff.lines().count() > DIFF_LINES {
            writeln!(f, "     ...")?;
        }
    }
    Ok(())
}
