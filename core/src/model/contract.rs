use serde_json::{Map, Value};

use super::Interaction;

/// A Pact specification version, as read from a file's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    /// Version 1.0.0.
    V1,
    /// Version 1.1.0.
    V1_1,
    /// Version 2.0.0.
    V2,
    /// Version 3.0.0.
    V3,
    /// Version 4.0.
    V4,
}

impl SpecVersion {
    /// Parses a version as written in `metadata.pactSpecification.version`
    /// (`"1.0.0"`, `"1.1"`, `"2.0.0"`, `"3.0.0"`, `"4.0"`, `"v3"` ...).
    pub fn parse(text: &str) -> Option<SpecVersion> {
        let text = text.trim().trim_start_matches(['v', 'V']);
        let mut parts = text.split('.');
        let major = parts.next()?.parse::<u32>().ok()?;
        let minor = parts.next().unwrap_or("0").parse::<u32>().ok()?;
        match (major, minor) {
            (1, 0) => Some(SpecVersion::V1),
            (1, _) => Some(SpecVersion::V1_1),
            (2, _) => Some(SpecVersion::V2),
            (3, _) => Some(SpecVersion::V3),
            (4, _) => Some(SpecVersion::V4),
            _ => None,
        }
    }

    /// The version string written into a file's metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1 => "1.0.0",
            SpecVersion::V1_1 => "1.1.0",
            SpecVersion::V2 => "2.0.0",
            SpecVersion::V3 => "3.0.0",
            SpecVersion::V4 => "4.0",
        }
    }
}

impl std::fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A consumer or provider named in a contract.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pacticipant {
    /// The application's name.
    pub name: String,
    /// Fields we do not interpret, kept to be written back.
    pub extra: Map<String, Value>,
}

impl Pacticipant {
    /// A pacticipant with just a name.
    pub fn named(name: impl Into<String>) -> Pacticipant {
        Pacticipant {
            name: name.into(),
            extra: Map::new(),
        }
    }
}

/// A contract between one consumer and one provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// The application that sends requests or receives messages.
    pub consumer: Pacticipant,
    /// The application that answers requests or produces messages.
    pub provider: Pacticipant,
    /// The interactions, in file order.
    pub interactions: Vec<Interaction>,
    /// The version of the file this contract was read from (V4 for new ones).
    pub spec_version: SpecVersion,
    /// The file's `metadata`, without `pactSpecification` (written anew).
    pub metadata: Map<String, Value>,
    /// Top-level fields we do not interpret, kept to be written back.
    pub extra: Map<String, Value>,
}

impl Contract {
    /// An empty V4 contract between two applications.
    pub fn new(consumer: impl Into<String>, provider: impl Into<String>) -> Contract {
        Contract {
            consumer: Pacticipant::named(consumer),
            provider: Pacticipant::named(provider),
            interactions: Vec::new(),
            spec_version: SpecVersion::V4,
            metadata: Map::new(),
            extra: Map::new(),
        }
    }
}
