//! Writing a test's interactions into the contract file of its
//! consumer/provider pair, merged with what other tests wrote.
//!
//! # Where
//!
//! `<dir>/<consumer>-<provider>.json`, where `<dir>` is the builder's
//! [`output_dir`](super::ContractBuilder::output_dir), else the
//! `TREATY_CONTRACT_DIR` environment variable, else `target/contracts`
//! (relative to the current directory: the package's under `cargo test`).
//!
//! # Merging
//!
//! Tests run in parallel threads (`cargo test`) and processes (`cargo
//! nextest`), so a write takes an exclusive lock on `<file>.lock`, reads
//! the file, merges, writes a temporary file beside it and renames it over
//! the old one: readers never see half a file, and no write is lost.
//!
//! An interaction is identified by its type, description and provider
//! states. One already in the file with the same definition is kept once;
//! a different definition is a [`PactFileError::Conflict`] naming both
//! when it was written in the same test run, and replaces the old one when
//! it comes from an earlier run (the test changed). A run is the set of
//! processes with the same parent (`cargo test` or `cargo nextest`), or
//! those sharing `TREATY_RUN_ID` when it is set; the lock file records the
//! run and the interactions it wrote. Interactions are sorted
//! (by description, then provider states), and the output is canonical
//! (see [`crate::write`]), so the file is byte-stable between runs.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

pub use super::error::PactFileError;
use crate::model::{Contract, Interaction, SpecVersion};
use crate::read::parse_contract;
use crate::write::{to_json, write_contract};

/// The environment variable naming the directory contracts are written to.
pub const CONTRACT_DIR_ENV: &str = "TREATY_CONTRACT_DIR";
/// The environment variable naming the test run (see the module docs).
pub const RUN_ID_ENV: &str = "TREATY_RUN_ID";

/// The directory contracts go to: `explicit`, else `$TREATY_CONTRACT_DIR`,
/// else `target/contracts`.
pub fn contract_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_owned();
    }
    match std::env::var_os(CONTRACT_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("target").join("contracts"),
    }
}

/// The file name of a contract: `<consumer>-<provider>.json`, with
/// characters unsafe in file names replaced by `_`.
pub fn file_name(contract: &Contract) -> String {
    let safe = |name: &str| -> String {
        name.chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect()
    };
    format!(
        "{}-{}.json",
        safe(&contract.consumer.name),
        safe(&contract.provider.name)
    )
}

/// Merges `contract`'s interactions into its file under `dir` (see
/// [`contract_dir`]) and returns the file's path.
pub fn merge_into_file(contract: &Contract, dir: Option<&Path>) -> Result<PathBuf, PactFileError> {
    let dir = contract_dir(dir);
    let path = dir.join(file_name(contract));
    let io = |action, path: &Path| {
        let path = path.to_owned();
        move |source| PactFileError::Io {
            action,
            path,
            source,
        }
    };
    fs::create_dir_all(&dir).map_err(io("create", &dir))?;
    let lock_path = path.with_extension("json.lock");
    let mut lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(io("open", &lock_path))?;
    fs4::FileExt::lock(&lock).map_err(io("lock", &lock_path))?;
    let mut this_run = written_this_run(&mut lock).map_err(io("read", &lock_path))?;
    let merged = match read_existing(&path)? {
        Some(existing) => merge(existing, contract, &this_run, &path)?,
        None => sorted(contract.clone()),
    };
    let text =
        write_contract(&merged, version_of(&merged)).map_err(|source| PactFileError::Write {
            path: path.clone(),
            source,
        })?;
    replace(&path, text.as_bytes())?;
    this_run.extend(contract.interactions.iter().map(identity));
    record_run(&mut lock, &this_run).map_err(io("write", &lock_path))?;
    fs4::FileExt::unlock(&lock).map_err(io("unlock", &lock_path))?;
    Ok(path)
}

/// The identities of the interactions this run already wrote, as the lock
/// file records them (its first line names the run; each further line is
/// one identity as a JSON string). Empty when the file names another run.
fn written_this_run(lock: &mut File) -> std::io::Result<BTreeSet<String>> {
    let mut text = String::new();
    lock.read_to_string(&mut text)?;
    let mut lines = text.lines();
    if lines.next().map(str::trim) != Some(run_id().as_str()) {
        return Ok(BTreeSet::new());
    }
    Ok(lines
        .filter_map(|line| serde_json::from_str::<String>(line).ok())
        .collect())
}

/// Records the run and the interactions it wrote in the lock file.
fn record_run(lock: &mut File, written: &BTreeSet<String>) -> std::io::Result<()> {
    let mut text = run_id();
    for id in written {
        text.push('\n');
        text.push_str(&Value::String(id.clone()).to_string());
    }
    text.push('\n');
    lock.set_len(0)?;
    lock.seek(SeekFrom::Start(0))?;
    lock.write_all(text.as_bytes())
}

fn run_id() -> String {
    match std::env::var(RUN_ID_ENV) {
        Ok(id) if !id.is_empty() => format!("run {id}"),
        _ => format!("parent {}", parent_id()),
    }
}

#[cfg(unix)]
fn parent_id() -> u32 {
    std::os::unix::process::parent_id()
}

#[cfg(not(unix))]
fn parent_id() -> u32 {
    std::process::id()
}

fn read_existing(path: &Path) -> Result<Option<Contract>, PactFileError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(PactFileError::Io {
                action: "read",
                path: path.to_owned(),
                source,
            })
        }
    };
    parse_contract(&text)
        .map(Some)
        .map_err(|source| PactFileError::Read {
            path: path.to_owned(),
            source,
        })
}

fn merge(
    mut existing: Contract,
    new: &Contract,
    this_run: &BTreeSet<String>,
    path: &Path,
) -> Result<Contract, PactFileError> {
    existing.spec_version = new.spec_version;
    existing.consumer = new.consumer.clone();
    existing.provider = new.provider.clone();
    for interaction in &new.interactions {
        let id = identity(interaction);
        let Some(old) = existing.interactions.iter_mut().find(|i| identity(i) == id) else {
            existing.interactions.push(interaction.clone());
            continue;
        };
        let (old_json, new_json) = (canonical(old, new), canonical(interaction, new));
        if old_json == new_json {
            continue;
        }
        if this_run.contains(&id) {
            let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
            return Err(PactFileError::Conflict {
                path: path.to_owned(),
                description: id,
                existing: pretty(&old_json),
                new: pretty(&new_json),
            });
        }
        *old = interaction.clone();
    }
    Ok(sorted(existing))
}

/// The type, description and provider states of an interaction.
fn identity(interaction: &Interaction) -> String {
    let mut id = interaction.description.clone();
    for state in &interaction.provider_states {
        id.push_str(&format!(" given `{}`", state.name));
        if !state.params.is_empty() {
            id.push_str(&format!(" {}", Value::Object(state.params.clone())));
        }
    }
    if !matches!(interaction.kind, crate::model::InteractionKind::Http { .. }) {
        id.push_str(&format!(" ({})", interaction.kind.type_name()));
    }
    id
}

/// An interaction as the file would hold it, for comparing definitions.
fn canonical(interaction: &Interaction, like: &Contract) -> Value {
    let mut one = Contract::new(&like.consumer.name, &like.provider.name);
    one.interactions.push(interaction.clone());
    let value = to_json(&one, version_of(like))
        .or_else(|_| to_json(&one, SpecVersion::V4))
        .unwrap_or(Value::Null);
    let list = value
        .get("interactions")
        .or_else(|| value.get("messages"))
        .and_then(|v| v.get(0));
    list.cloned().unwrap_or(value)
}

fn version_of(contract: &Contract) -> SpecVersion {
    match contract.spec_version {
        SpecVersion::V4 => SpecVersion::V4,
        _ => SpecVersion::V3,
    }
}

fn sorted(mut contract: Contract) -> Contract {
    contract.interactions.sort_by_cached_key(identity);
    contract
}

/// Writes `bytes` to a temporary file beside `path` and renames it over.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), PactFileError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("json.{}.{n}.tmp", std::process::id()));
    let io = |action, p: &Path| {
        let p = p.to_owned();
        move |source| PactFileError::Io {
            action,
            path: p,
            source,
        }
    };
    let write = || -> std::io::Result<()> {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(io("write", &tmp)(e));
    }
    fs::rename(&tmp, path).map_err(io("rename", path))
}
