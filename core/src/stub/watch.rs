//! `--watch`: reload the contracts when their files change. The new set is
//! swapped in atomically; requests in flight keep the set they started
//! with. When a changed file is invalid, the error is logged, reported in
//! [`ReloadStatus`](super::ReloadStatus), and the last good set stays.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::error::StubError;
use super::index::StubSet;
use super::server::Shared;
use crate::source::{load as load_sources, Source};

/// Changes arriving within this window of each other are one reload
/// (an editor's save is often several events).
const SETTLE: Duration = Duration::from_millis(50);

/// A running watch; dropping it stops watching.
pub(crate) struct Watcher {
    _watcher: notify::RecommendedWatcher,
    task: JoinHandle<()>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What to watch: directories (a file's parent, since editors replace
/// files) and which of their entries matter.
struct Target {
    dir: PathBuf,
    file: Option<PathBuf>,
}

impl Target {
    fn of(source: &Source) -> Option<Target> {
        let path = source.watch_path()?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        Some(match source {
            Source::File(_) => Target {
                dir: absolute.parent().map_or_else(|| ".".into(), Path::to_owned),
                file: Some(absolute),
            },
            _ => Target {
                dir: absolute,
                file: None,
            },
        })
    }

    fn concerns(&self, path: &Path) -> bool {
        match &self.file {
            Some(file) => path == file,
            // Directories are loaded recursively, so anything below counts.
            None => path.starts_with(&self.dir) && path.extension().is_some_and(|e| e == "json"),
        }
    }
}

pub(crate) fn start(sources: Vec<Source>, shared: Arc<Shared>) -> Result<Watcher, StubError> {
    let targets: Vec<Target> = sources.iter().filter_map(Target::of).collect();
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        if let Ok(event) = event {
            let _ = tx.send(event);
        }
    })
    .map_err(|source| StubError::Watch {
        path: PathBuf::new(),
        source,
    })?;
    for target in &targets {
        let mode = match target.file {
            Some(_) => RecursiveMode::NonRecursive,
            None => RecursiveMode::Recursive,
        };
        watcher
            .watch(&target.dir, mode)
            .map_err(|source| StubError::Watch {
                path: target.dir.clone(),
                source,
            })?;
    }
    let task = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            if !relevant(&event, &targets) {
                continue;
            }
            loop {
                match tokio::time::timeout(SETTLE, rx.recv()).await {
                    Ok(Some(_)) => continue,
                    Ok(None) => return,
                    Err(_) => break,
                }
            }
            reload(&sources, &shared).await;
        }
    });
    Ok(Watcher {
        _watcher: watcher,
        task,
    })
}

fn relevant(event: &Event, targets: &[Target]) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event
            .paths
            .iter()
            .any(|p| targets.iter().any(|t| t.concerns(p)))
}

async fn reload(sources: &[Source], shared: &Shared) {
    match load_sources(sources).await {
        Ok(contracts) => {
            let set = StubSet::new(contracts);
            let count = set.len();
            shared.set.store(Arc::new(set));
            tracing::info!(interactions = count, "contracts reloaded");
            shared.status.send_modify(|s| {
                s.generation += 1;
                s.interactions = count;
                s.error = None;
            });
        }
        Err(err) => {
            tracing::error!(error = %err, "reload failed; still serving the previous contracts");
            shared.status.send_modify(|s| {
                s.generation += 1;
                s.error = Some(Arc::new(err));
            });
        }
    }
}
