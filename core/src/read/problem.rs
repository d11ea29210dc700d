use std::fmt::{self, Write};

use crate::model::SpecVersion;

/// One problem found while reading a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer to the offending value (`/interactions/0/request/path`).
    pub pointer: String,
    /// Description of the interaction it is in, if any.
    pub interaction: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at {at}")?;
        if let Some(interaction) = &self.interaction {
            write!(f, " (interaction \"{interaction}\")")?;
        }
        write!(f, ": {} (hint: {})", self.message, self.hint)
    }
}

/// A contract could not be read; every problem found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    /// The problems, in document order.
    pub problems: Vec<Problem>,
}

impl ReadError {
    pub(crate) fn single(problem: Problem) -> ReadError {
        ReadError {
            problems: vec![problem],
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(f, "{count} problem{}", if count == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// Reading state: the version's rules, where we are, what went wrong.
pub(crate) struct Reader {
    pub(crate) version: SpecVersion,
    /// The JSON pointer to where reading is (`/interactions/0/request`),
    /// one buffer for the whole read: every value read steps into it.
    pointer: String,
    interaction: Option<String>,
    problems: Vec<Problem>,
}

impl Reader {
    pub(crate) fn new(version: SpecVersion) -> Reader {
        Reader {
            version,
            pointer: String::new(),
            interaction: None,
            problems: Vec::new(),
        }
    }

    /// Runs `f` with `token` appended to the current pointer.
    pub(crate) fn at<T>(
        &mut self,
        token: impl fmt::Display,
        f: impl FnOnce(&mut Reader) -> T,
    ) -> T {
        let mark = self.pointer.len();
        self.pointer.push('/');
        let _ = write!(self.pointer, "{token}");
        let written = &self.pointer[mark + 1..];
        if written.contains(['~', '/']) {
            let escaped = written.replace('~', "~0").replace('/', "~1");
            self.pointer.truncate(mark + 1);
            self.pointer.push_str(&escaped);
        }
        let out = f(self);
        self.pointer.truncate(mark);
        out
    }

    /// Runs `f` with problems attributed to an interaction.
    pub(crate) fn in_interaction<T>(
        &mut self,
        description: Option<String>,
        f: impl FnOnce(&mut Reader) -> T,
    ) -> T {
        let previous = std::mem::replace(&mut self.interaction, description);
        let out = f(self);
        self.interaction = previous;
        out
    }

    /// Records a problem at the current pointer.
    pub(crate) fn problem(&mut self, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem {
            pointer: self.pointer.clone(),
            interaction: self.interaction.clone(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    /// Takes over the problems another reader collected (in order).
    pub(crate) fn absorb(&mut self, other: Reader) {
        self.problems.extend(other.problems);
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, ReadError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(ReadError {
                problems: self.problems,
            })
        }
    }
}
