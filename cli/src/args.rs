//! Command-line arguments (clap derive). Only `cli` sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit;

/// Consumer-driven contract testing, compatible with Pact files.
#[derive(Debug, Parser)]
#[command(name = "treaty", version, after_help = exit::HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check contract files (Pact V1 to V4) and report every problem.
    #[command(after_help = exit::HELP)]
    Validate(ValidateArgs),
}

/// `treaty validate FILE... [--output text|json]`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Contract files; directories are searched for `*.json` files.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub(crate) output: Output,
}

/// How reports are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// One line per file and per problem, coloured on a terminal.
    Text,
    /// A JSON array with one object per file.
    Json,
}
