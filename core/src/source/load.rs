//! Loading contracts from their sources.

use std::path::{Path, PathBuf};

use super::json_files;
use crate::model::Contract;
use crate::read::{parse_contract, LazyContract, ReadError};

/// One place to load contracts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A contract file.
    File(PathBuf),
    /// A directory: every `*.json` file under it (see [`json_files`]).
    Directory(PathBuf),
    /// A contract served over HTTP(S).
    Url {
        /// The URL.
        url: String,
        /// Credentials to send, if any.
        auth: Option<Auth>,
    },
}

impl Source {
    /// Reads a command-line argument: a URL when it starts with `http://`
    /// or `https://` (any case), a directory when the path is one, a file
    /// otherwise.
    pub fn parse(text: &str, auth: Option<Auth>) -> Source {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Source::Url {
                url: text.to_owned(),
                auth,
            }
        } else if Path::new(text).is_dir() {
            Source::Directory(PathBuf::from(text))
        } else {
            Source::File(PathBuf::from(text))
        }
    }

    /// The file or directory to watch for changes (`None` for URLs).
    pub fn watch_path(&self) -> Option<&Path> {
        match self {
            Source::File(path) | Source::Directory(path) => Some(path),
            Source::Url { .. } => None,
        }
    }
}

/// Credentials for a contract URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password, if any.
        password: Option<String>,
    },
    /// A bearer token (`Authorization: Bearer TOKEN`).
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

/// A contract and where it was loaded from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedContract {
    /// The file path or URL.
    pub origin: String,
    /// The contract.
    pub contract: Contract,
}

/// A contract source could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file of certificate authorities (`SSL_CERT_FILE`) cannot be used.
    #[error(transparent)]
    CaCert(#[from] crate::tls::CaFileError),
    /// The HTTP client for contract URLs could not be set up.
    #[error("cannot set up the HTTP client for contract URLs")]
    Client(#[source] reqwest::Error),
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A contract was fetched or read but is not a valid contract. The
    /// message lists every problem (they are not repeated as a source).
    #[error("{origin} is not a valid contract: {problems}")]
    Contract {
        /// The file path or URL it came from.
        origin: String,
        /// Every problem found.
        problems: ReadError,
    },
    /// A URL could not be fetched.
    #[error("cannot fetch {url}: {source}{}", fetch_hint(.source))]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A URL answered with an error status.
    #[error("fetching {url} returned HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status it returned.
        status: u16,
    },
    /// A directory holds no contract files.
    #[error("{} holds no .json contract files", path.display())]
    EmptyDirectory {
        /// The directory.
        path: PathBuf,
    },
}

/// What to do when a contract URL's certificate was not trusted.
fn fetch_hint(error: &reqwest::Error) -> String {
    if crate::tls::untrusted_certificate(error) {
        format!(
            " (its certificate is not trusted: {})",
            crate::tls::TRUST_HINT
        )
    } else {
        String::new()
    }
}

/// Loads every source, in order; the first failure stops loading.
pub async fn load(sources: &[Source]) -> Result<Vec<LoadedContract>, SourceError> {
    load_with(sources, |origin, text| {
        parse_contract(&text).map(|contract| LoadedContract { origin, contract })
    })
    .await
}

/// A checked contract whose interactions are read when needed (see
/// [`LazyContract`]), and where it was loaded from.
#[derive(Debug)]
pub struct LazyLoaded {
    /// The file path or URL.
    pub origin: String,
    /// The contract.
    pub contract: LazyContract,
}

/// [`load`], keeping each contract as checked text.
pub async fn load_lazy(sources: &[Source]) -> Result<Vec<LazyLoaded>, SourceError> {
    load_with(sources, |origin, text| {
        LazyContract::parse(text).map(|contract| LazyLoaded { origin, contract })
    })
    .await
}

/// Reads a contract's text (origin, text) into what the caller keeps.
type Parse<T> = fn(String, String) -> Result<T, ReadError>;

async fn load_with<T: Send + 'static>(
    sources: &[Source],
    parse: Parse<T>,
) -> Result<Vec<T>, SourceError> {
    let mut out = Vec::new();
    let mut client = None;
    for source in sources {
        match source {
            Source::Url { url, auth } => {
                let client = match &mut client {
                    Some(client) => client,
                    None => client.insert(url_client(sources)?),
                };
                let text = fetch(client, url, auth.as_ref()).await?;
                out.push(checked(parse, url.clone(), text)?);
            }
            Source::File(_) | Source::Directory(_) => {
                let source = source.clone();
                let loaded = tokio::task::spawn_blocking(move || load_local(&source, parse))
                    .await
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?;
                out.extend(loaded);
            }
        }
    }
    Ok(out)
}

/// The client for contract URLs, trusting `SSL_CERT_FILE`'s authorities
/// when one of them is HTTPS.
fn url_client(sources: &[Source]) -> Result<reqwest::Client, SourceError> {
    let https = sources
        .iter()
        .any(|s| matches!(s, Source::Url { url, .. } if url.starts_with("https:")));
    let roots = crate::tls::extra_roots(&[], https)?;
    crate::tls::builder(roots)
        .build()
        .map_err(SourceError::Client)
}

/// Loads a file or directory source (blocking).
fn load_local<T>(source: &Source, parse: Parse<T>) -> Result<Vec<T>, SourceError> {
    let files = match source {
        Source::File(path) => vec![path.clone()],
        Source::Directory(path) => {
            let files = json_files(path).map_err(|source| SourceError::Io {
                path: path.clone(),
                source,
            })?;
            if files.is_empty() {
                return Err(SourceError::EmptyDirectory { path: path.clone() });
            }
            files
        }
        Source::Url { .. } => Vec::new(),
    };
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|source| SourceError::Io {
                path: path.to_owned(),
                source,
            })?;
            checked(parse, path.display().to_string(), text)
        })
        .collect()
}

fn checked<T>(parse: Parse<T>, origin: String, text: String) -> Result<T, SourceError> {
    parse(origin.clone(), text).map_err(|problems| SourceError::Contract { origin, problems })
}

async fn fetch(
    client: &reqwest::Client,
    url: &str,
    auth: Option<&Auth>,
) -> Result<String, SourceError> {
    let fetch_error = |source| SourceError::Fetch {
        url: url.to_owned(),
        source,
    };
    let mut request = client.get(url).header("Accept", "application/json");
    request = match auth {
        Some(Auth::Basic { username, password }) => request.basic_auth(username, password.clone()),
        Some(Auth::Bearer(token)) => request.bearer_auth(token),
        None => request,
    };
    let response = request.send().await.map_err(fetch_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    response.text().await.map_err(fetch_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_urls_directories_or_files() {
        assert!(matches!(
            Source::parse("HTTPS://broker/pact", None),
            Source::Url { .. }
        ));
        let dir = std::env::temp_dir();
        assert_eq!(
            Source::parse(dir.to_str().unwrap(), None),
            Source::Directory(dir.clone())
        );
        assert_eq!(
            Source::parse("no/such/file.json", None),
            Source::File("no/such/file.json".into())
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let parse: Parse<Contract> = |_, text| parse_contract(&text);
        let err = load_local(&Source::File("no/such/file.json".into()), parse).unwrap_err();
        assert!(matches!(err, SourceError::Io { ref path, .. } if path.ends_with("file.json")));
    }

    #[test]
    fn credentials_are_not_printed() {
        let auth = Auth::Basic {
            username: "u".into(),
            password: Some("secret".into()),
        };
        assert!(!format!("{auth:?}").contains("secret"));
        assert!(!format!("{:?}", Auth::Bearer("tok".into())).contains("tok"));
    }
}
