//! Text reports:
//!
//! ```text
//! ✓ pacts/web-api.json (V4, 3 interactions)
//! ✗ pacts/broken.json
//!   /interactions/0/type (interaction "get user"): unknown interaction type `HTTP` — hint: use one of: …
//! 2 files, 1 valid, 1 invalid
//! ```

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use treaty_core::read::Problem;
use treaty_core::validate::FileReport;

use super::{count, version_label};

const VALID: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Green)))
    .bold();
const INVALID: Style = Style::new()
    .fg_color(Some(Color::Ansi(AnsiColor::Red)))
    .bold();
const POINTER: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Cyan)));
const HINT: Style = Style::new().dimmed();
const SUMMARY: Style = Style::new().bold();

/// Prints the reports and a summary line to stdout. Colour is dropped when
/// stdout is not a terminal or `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
pub(crate) fn reports(reports: &[FileReport]) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    write_reports(&mut out, reports)?;
    out.flush()
}

fn write_reports(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        write_report(out, report)?;
    }
    if reports.is_empty() {
        return Ok(());
    }
    let valid = reports.iter().filter(|r| r.is_valid()).count();
    writeln!(
        out,
        "{SUMMARY}{}, {valid} valid, {} invalid{SUMMARY:#}",
        count(reports.len(), "file"),
        reports.len() - valid
    )
}

fn write_report(out: &mut impl Write, report: &FileReport) -> io::Result<()> {
    let file = report.file.display();
    if report.is_valid() {
        let version = report.version.map_or("?", version_label);
        let interactions = count(report.interactions, "interaction");
        return writeln!(out, "{VALID}✓{VALID:#} {file} ({version}, {interactions})");
    }
    writeln!(out, "{INVALID}✗{INVALID:#} {file}")?;
    for problem in &report.problems {
        write_problem(out, problem)?;
    }
    Ok(())
}

fn write_problem(out: &mut impl Write, problem: &Problem) -> io::Result<()> {
    let pointer = if problem.pointer.is_empty() {
        "/"
    } else {
        &problem.pointer
    };
    write!(out, "  {POINTER}{pointer}{POINTER:#}")?;
    if let Some(interaction) = &problem.interaction {
        write!(out, " (interaction \"{interaction}\")")?;
    }
    writeln!(
        out,
        ": {} {HINT}— hint: {}{HINT:#}",
        problem.message, problem.hint
    )
}
