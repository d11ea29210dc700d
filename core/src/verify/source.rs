//! Where contracts come from: files, directories of `*.json` files, and
//! http(s) URLs (optionally with basic or bearer authentication).

use std::path::{Path, PathBuf};

use crate::model::Contract;
use crate::read::{parse_contract, ReadError};

/// One place to load contracts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A contract file, or a directory whose `*.json` files are contracts
    /// (not searched recursively; read in name order).
    Path(PathBuf),
    /// A contract served over HTTP(S).
    Url {
        /// The URL.
        url: String,
        /// Credentials to send, if any.
        auth: Option<Auth>,
    },
}

impl Source {
    /// A URL when the text starts with `http://` or `https://`, a path
    /// otherwise.
    pub fn parse(text: &str, auth: Option<Auth>) -> Source {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Source::Url {
                url: text.to_owned(),
                auth,
            }
        } else {
            Source::Path(PathBuf::from(text))
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

/// A contract could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file or directory could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A URL could not be fetched.
    #[error("cannot fetch {url}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A URL answered with an error status.
    #[error("fetching {url} answered HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The text is not a contract.
    #[error("{origin} is not a valid contract")]
    Invalid {
        /// The file path or URL.
        origin: String,
        /// What is wrong with it.
        #[source]
        source: ReadError,
    },
}

/// Loads every contract of the sources, in order.
pub async fn load(sources: &[Source]) -> Result<Vec<LoadedContract>, SourceError> {
    let client = reqwest::Client::new();
    let mut out = Vec::new();
    for source in sources {
        match source {
            Source::Path(path) => load_path(path, &mut out)?,
            Source::Url { url, auth } => out.push(fetch(&client, url, auth.as_ref()).await?),
        }
    }
    Ok(out)
}

fn load_path(path: &Path, out: &mut Vec<LoadedContract>) -> Result<(), SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_owned(),
        source,
    };
    if !path.is_dir() {
        let text = std::fs::read_to_string(path).map_err(io)?;
        out.push(parse(path.display().to_string(), &text)?);
        return Ok(());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        load_path(&file, out)?;
    }
    Ok(())
}

async fn fetch(
    client: &reqwest::Client,
    url: &str,
    auth: Option<&Auth>,
) -> Result<LoadedContract, SourceError> {
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
    if !response.status().is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: response.status().as_u16(),
        });
    }
    let text = response.text().await.map_err(fetch_error)?;
    parse(url.to_owned(), &text)
}

fn parse(origin: String, text: &str) -> Result<LoadedContract, SourceError> {
    match parse_contract(text) {
        Ok(contract) => Ok(LoadedContract { origin, contract }),
        Err(source) => Err(SourceError::Invalid { origin, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        assert!(matches!(
            Source::parse("HTTPS://broker/pact", None),
            Source::Url { .. }
        ));
        assert_eq!(
            Source::parse("pacts/a.json", None),
            Source::Path("pacts/a.json".into())
        );
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
