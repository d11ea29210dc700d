//! Where contracts come from: files, directories of `.json` files, and
//! http(s) URLs.

use std::path::{Path, PathBuf};

use super::error::SourceError;
use crate::model::Contract;
use crate::read::parse_contract;

/// One place to load contracts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A contract file.
    File(PathBuf),
    /// A directory: every `*.json` file directly in it, in name order.
    Directory(PathBuf),
    /// An `http://` or `https://` URL answering with a contract.
    Url(String),
}

impl Source {
    /// Reads a command-line argument: a URL when it starts with `http://`
    /// or `https://`, a directory when the path is one, a file otherwise.
    pub fn parse(arg: &str) -> Source {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            Source::Url(arg.to_owned())
        } else if Path::new(arg).is_dir() {
            Source::Directory(PathBuf::from(arg))
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The file or directory to watch for changes (`None` for URLs).
    pub fn watch_path(&self) -> Option<&Path> {
        match self {
            Source::File(path) | Source::Directory(path) => Some(path),
            Source::Url(_) => None,
        }
    }
}

/// A contract and where it was loaded from.
#[derive(Debug, Clone)]
pub struct LoadedContract {
    /// The file path or URL.
    pub origin: String,
    /// The contract.
    pub contract: Contract,
}

/// Loads every source, in order; the first failure stops loading.
pub async fn load_sources(sources: &[Source]) -> Result<Vec<LoadedContract>, SourceError> {
    let mut out = Vec::new();
    let mut client = None;
    for source in sources {
        match source {
            Source::Url(url) => {
                let client = client.get_or_insert_with(reqwest::Client::new);
                out.push(fetch(client, url).await?);
            }
            Source::File(_) | Source::Directory(_) => {
                let source = source.clone();
                let loaded = tokio::task::spawn_blocking(move || load_local(&source))
                    .await
                    .expect("loading contracts panicked")?;
                out.extend(loaded);
            }
        }
    }
    Ok(out)
}

/// Loads a file or directory source (blocking).
fn load_local(source: &Source) -> Result<Vec<LoadedContract>, SourceError> {
    match source {
        Source::File(path) => Ok(vec![load_file(path)?]),
        Source::Directory(path) => {
            let files = json_files(path)?;
            if files.is_empty() {
                return Err(SourceError::EmptyDirectory { path: path.clone() });
            }
            files.iter().map(|file| load_file(file)).collect()
        }
        Source::Url(_) => Ok(Vec::new()),
    }
}

/// The `*.json` files directly in a directory, sorted by name.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let io = |source| SourceError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn load_file(path: &Path) -> Result<LoadedContract, SourceError> {
    let text = std::fs::read_to_string(path).map_err(|source| SourceError::Io {
        path: path.to_owned(),
        source,
    })?;
    let origin = path.display().to_string();
    parse(origin, &text)
}

fn parse(origin: String, text: &str) -> Result<LoadedContract, SourceError> {
    match parse_contract(text) {
        Ok(contract) => Ok(LoadedContract { origin, contract }),
        Err(source) => Err(SourceError::Contract { origin, source }),
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<LoadedContract, SourceError> {
    let fetch_error = |source| SourceError::Fetch {
        url: url.to_owned(),
        source,
    };
    let response = client.get(url).send().await.map_err(fetch_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    let text = response.text().await.map_err(fetch_error)?;
    parse(url.to_owned(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_urls_directories_or_files() {
        assert_eq!(
            Source::parse("https://example.com/pact.json"),
            Source::Url("https://example.com/pact.json".into())
        );
        let dir = std::env::temp_dir();
        let dir_arg = dir.to_str().unwrap();
        assert_eq!(Source::parse(dir_arg), Source::Directory(dir.clone()));
        assert_eq!(
            Source::parse("no/such/file.json"),
            Source::File("no/such/file.json".into())
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let err = load_local(&Source::File("no/such/file.json".into())).unwrap_err();
        assert!(matches!(err, SourceError::Io { ref path, .. } if path.ends_with("file.json")));
    }
}
