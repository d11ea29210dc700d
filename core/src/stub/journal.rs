//! The recent requests a stub received and what became of them, in a
//! bounded ring buffer (the oldest entry goes when it is full).

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

use super::select::Reason;

/// What the stub did with a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "result")]
pub enum Outcome {
    /// An interaction answered it.
    #[serde(rename_all = "camelCase")]
    Matched {
        /// The interaction's description.
        interaction: String,
        /// The file or URL of its contract.
        source: String,
        /// Why it was chosen.
        reason: Reason,
        /// How many interactions matched.
        matched: usize,
    },
    /// Nothing matched.
    Missed {
        /// The descriptions of the closest interactions.
        closest: Vec<String>,
    },
    /// The response could not be built (a generator failed).
    Failed {
        /// What went wrong.
        error: String,
    },
}

/// One received request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Received {
    /// When it arrived (RFC 3339).
    pub at: String,
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The status answered.
    pub status: u16,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The ring buffer.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<Received>>,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity)),
        }
    }

    pub(crate) fn record(&self, entry: Received) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The entries, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<Received> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> Received {
        Received {
            at: String::new(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            status: 404,
            outcome: Outcome::Missed { closest: vec![] },
        }
    }

    #[test]
    fn keeps_only_the_most_recent_entries() {
        let journal = Journal::new(2);
        for path in ["/1", "/2", "/3"] {
            journal.record(entry(path));
        }
        let paths: Vec<String> = journal.snapshot().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["/2", "/3"]);
    }
}
