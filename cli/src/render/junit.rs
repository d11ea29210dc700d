//! JUnit XML (`--junit FILE`), in the shape CI systems render: a
//! `testsuite` per contract, a `testcase` per interaction; a mismatch is a
//! `failure` listing the mismatches and body diff, no answer is an
//! `error`, and a failing pending interaction is `skipped` (not fatal).

use std::fmt::Write as _;
use std::time::Duration;

use treaty_core::verify::{ContractReport, InteractionReport, Outcome, VerificationReport};

/// The whole document.
pub(crate) fn to_string(report: &VerificationReport) -> String {
    let s = report.summary();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"treaty verify\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
        s.total,
        s.failed,
        s.errors,
        s.skipped,
        secs(report.duration)
    );
    for contract in &report.contracts {
        suite(&mut out, contract);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, contract: &ContractReport) {
    let count =
        |f: fn(&InteractionReport) -> bool| contract.interactions.iter().filter(|i| f(i)).count();
    let failures = count(|i| !i.pending && matches!(i.outcome, Outcome::Failed { .. }));
    let errors = count(|i| !i.pending && matches!(i.outcome, Outcome::Error { .. }));
    let skipped = count(|i| {
        matches!(i.outcome, Outcome::Skipped { .. }) || i.pending && i.outcome.is_problem()
    });
    let time: Duration = contract.interactions.iter().map(|i| i.duration).sum();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{}\">",
        escape(&format!("{} → {}", contract.consumer, contract.provider)),
        contract.interactions.len(),
        secs(time)
    );
    let class = escape(&format!("{}.{}", contract.consumer, contract.provider));
    for interaction in &contract.interactions {
        case(out, &class, interaction);
    }
    out.push_str("  </testsuite>\n");
}

fn case(out: &mut String, class: &str, i: &InteractionReport) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{class}\" time=\"{}\"",
        escape(&i.description),
        secs(i.duration)
    );
    let body = match &i.outcome {
        Outcome::Passed => None,
        _ if i.pending => Some(format!(
            "<skipped message=\"pending interaction failed (not fatal)\">{}</skipped>",
            escape(&details(&i.outcome))
        )),
        Outcome::Failed { mismatches, .. } => Some(format!(
            "<failure type=\"mismatch\" message=\"{}\">{}</failure>",
            escape(&format!("{} mismatches", mismatches.len())),
            escape(&details(&i.outcome))
        )),
        Outcome::Error { kind, message } => Some(format!(
            "<error type=\"{}\" message=\"{}\">{}</error>",
            escape(kind.as_str()),
            escape(message),
            escape(message)
        )),
        Outcome::Skipped { reason } => Some(format!("<skipped message=\"{}\"/>", escape(reason))),
    };
    match body {
        None => out.push_str("/>\n"),
        Some(body) => {
            let _ = writeln!(out, ">\n      {body}\n    </testcase>");
        }
    }
}

/// The failure text: one line per mismatch, then the body diff.
fn details(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed {
            mismatches,
            body_diff,
        } => {
            let mut text: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
            if let Some(diff) = body_diff {
                text.push(format!("body diff:\n{diff}"));
            }
            text.join("\n")
        }
        Outcome::Error { kind, message } => format!("{}: {message}", kind.as_str()),
        Outcome::Skipped { reason } => reason.clone(),
        Outcome::Passed => String::new(),
    }
}

fn secs(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
