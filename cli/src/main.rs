//! `treaty`: the command-line tool. Flags, glue and rendering only; the work
//! happens in `treaty-core`.

mod args;
mod broker_args;
mod commands;
mod exit;
mod render;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use args::Cli;
use exit::Exit;

/// glibc's allocator spends much of a multi-threaded verification or stub
/// run growing per-thread heaps (measured with perf: a third of the time);
/// mimalloc does not. Without transparent huge pages (the `no_thp`
/// feature): with them a verification's peak memory doubled (each first
/// touch of a region commits 2 MiB) for no gain in time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version are printed to stdout and are not failures.
            let failed = error.use_stderr();
            let _ = error.print();
            return if failed { Exit::Error } else { Exit::Ok }.into();
        }
    };
    match commands::run(cli) {
        Ok(exit) => exit.into(),
        Err(error) if is_broken_pipe(&error) => Exit::Ok.into(),
        Err(error) => {
            eprintln!("treaty: {error:#}");
            Exit::Error.into()
        }
    }
}

/// Output piped into `head` that stops reading is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
