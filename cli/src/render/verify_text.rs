//! The verification report for people: a tree per contract and
//! interaction, the mismatches and body diff of each failure, a summary.
//!
//! ```text
//! web → users-api (pacts/web.json)
//!   ✓ get user 42 [a user exists] 12ms
//!   ✗ create a user 5ms
//!       $.body.name: Expected 123 (Integer) to be the same type as 'Alice' (String)
//!       body diff:
//!         -  "name": "Alice"
//!         +  "name": 123
//!   ! health check: no answer (provider unreachable): http://... could not be reached
//! 3 interactions, 1 passed, 1 failed, 1 error
//! ```

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Color, Style};
use treaty_core::verify::{ErrorKind, InteractionReport, Outcome, VerificationReport};

use super::count;

const PASS: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Green)))
    .bold();
const FAIL: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Red)))
    .bold();
const WARN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const PATH: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Cyan)));
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// Prints the report to stdout; colour only on a terminal without
/// `NO_COLOR`.
pub(crate) fn report(report: &VerificationReport) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    write_report(&mut out, report)?;
    out.flush()
}

pub(crate) fn write_report(out: &mut impl Write, report: &VerificationReport) -> io::Result<()> {
    for contract in &report.contracts {
        writeln!(
            out,
            "{BOLD}{} → {}{BOLD:#} {DIM}({}){DIM:#}",
            contract.consumer, contract.provider, contract.origin
        )?;
        for interaction in &contract.interactions {
            write_interaction(out, interaction)?;
        }
    }
    let s = report.summary();
    let mut line = format!(
        "{}, {} passed, {} failed",
        count(s.total, "interaction"),
        s.passed,
        s.failed
    );
    if s.errors > 0 {
        line.push_str(&format!(", {}", count(s.errors, "error")));
    }
    if s.skipped > 0 {
        line.push_str(&format!(", {} skipped", s.skipped));
    }
    if s.pending_failures > 0 {
        line.push_str(&format!(" ({} pending, not fatal)", s.pending_failures));
    }
    if s.filtered_out > 0 {
        line.push_str(&format!("; {} left out by the filters", s.filtered_out));
    }
    writeln!(out, "{BOLD}{line}{BOLD:#}")
}

fn write_interaction(out: &mut impl Write, i: &InteractionReport) -> io::Result<()> {
    let (mark, style) = match i.outcome {
        Outcome::Passed => ("✓", PASS),
        Outcome::Failed { .. } => ("✗", FAIL),
        Outcome::Error { .. } => ("!", FAIL),
        Outcome::Skipped { .. } => ("-", DIM),
    };
    let states = if i.provider_states.is_empty() {
        String::new()
    } else {
        format!(" [{}]", i.provider_states.join(", "))
    };
    let pending = if i.pending { " (pending)" } else { "" };
    writeln!(
        out,
        "  {style}{mark}{style:#} {}{states}{pending} {DIM}{}{DIM:#}",
        i.description,
        millis(i.duration)
    )?;
    if let Some(name) = &i.test_name {
        writeln!(out, "      {DIM}Test Name: {name}{DIM:#}")?;
    }
    for comment in &i.comments {
        writeln!(out, "      {DIM}Comment: {comment}{DIM:#}")?;
    }
    for warning in &i.warnings {
        writeln!(out, "      {WARN}warning: {warning}{WARN:#}")?;
    }
    write_outcome(out, &i.outcome)
}

fn write_outcome(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    match outcome {
        Outcome::Passed => Ok(()),
        Outcome::Failed {
            mismatches,
            body_diff,
        } => {
            for m in mismatches {
                writeln!(out, "      {PATH}{}{PATH:#}: {}", m.location(), m.message)?;
            }
            if let Some(diff) = body_diff {
                writeln!(out, "      body diff:")?;
                for line in diff.lines() {
                    let style = match line.chars().next() {
                        Some('-') => FAIL,
                        Some('+') => PASS,
                        _ => DIM,
                    };
                    writeln!(out, "        {style}{line}{style:#}")?;
                }
            }
            Ok(())
        }
        Outcome::Error { kind, message } => {
            let what = match kind {
                ErrorKind::ProviderUnreachable
                | ErrorKind::Timeout
                | ErrorKind::ConnectionReset => "no answer",
                _ => "could not verify",
            };
            writeln!(
                out,
                "      {FAIL}{what} ({}){FAIL:#}: {message}",
                kind.as_str()
            )
        }
        Outcome::Skipped { reason } => writeln!(out, "      {DIM}{reason}{DIM:#}"),
    }
}

fn millis(duration: Duration) -> String {
    format!("{}ms", duration.as_millis())
}
