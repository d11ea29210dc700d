use serde_json::{Map, Value};

use super::{Body, Generators, MatchingRules};

/// A message: its contents and metadata (V3 messages, V4 async and sync
/// messages).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// The message payload.
    pub contents: Body,
    /// Metadata such as `contentType` or a broker's routing keys.
    pub metadata: Map<String, Value>,
    /// Matching rules (`body`/`content` and `metadata` categories).
    pub matching_rules: MatchingRules,
    /// Generators (`body`/`content` and `metadata` categories).
    pub generators: Generators,
    /// Fields we do not interpret (for the request and response messages
    /// of a synchronous interaction), kept to be written back.
    pub extra: Map<String, Value>,
}
