use serde_json::{Map, Value};

use super::{HttpRequest, HttpResponse, Message};

/// A provider state: the precondition an interaction needs on the provider.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderState {
    /// The state's name, e.g. `a user with id 10 exists`.
    pub name: String,
    /// Parameters of the state (V3+), e.g. `{"id": 10}`.
    pub params: Map<String, Value>,
}

impl ProviderState {
    /// A state without parameters.
    pub fn named(name: impl Into<String>) -> ProviderState {
        ProviderState {
            name: name.into(),
            params: Map::new(),
        }
    }
}

/// What an interaction exchanges.
// HTTP is the common case and boxing it would change every caller; the size
// difference does not matter for a contract held in memory once.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum InteractionKind {
    /// A request and its response (`Synchronous/HTTP`).
    Http {
        /// The request the consumer sends.
        request: HttpRequest,
        /// The response it expects.
        response: HttpResponse,
    },
    /// A message the provider sends (`Asynchronous/Messages`).
    AsyncMessage(Message),
    /// A request message and its response messages (`Synchronous/Messages`).
    SyncMessage {
        /// The message the consumer sends.
        request: Message,
        /// The messages it expects back.
        responses: Vec<Message>,
    },
}

impl InteractionKind {
    /// The V4 `type` string for this kind.
    pub fn type_name(&self) -> &'static str {
        match self {
            InteractionKind::Http { .. } => "Synchronous/HTTP",
            InteractionKind::AsyncMessage(_) => "Asynchronous/Messages",
            InteractionKind::SyncMessage { .. } => "Synchronous/Messages",
        }
    }
}

/// One interaction of a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// What the interaction is about; unique within a contract.
    pub description: String,
    /// The provider states it needs, in order.
    pub provider_states: Vec<ProviderState>,
    /// What is exchanged.
    pub kind: InteractionKind,
    /// The V4 interaction key, when the file had one.
    pub key: Option<String>,
    /// V4: failures are not fatal while pending.
    pub pending: bool,
    /// V4 comments (`text`, `testname`, ...), kept as written.
    pub comments: Map<String, Value>,
    /// V4 plugin configuration, kept as opaque data.
    pub plugin_config: Map<String, Value>,
    /// Fields we do not interpret (`interactionMarkup`, `transport`, `_id`
    /// ...), kept to be written back.
    pub extra: Map<String, Value>,
}

impl Interaction {
    /// A new interaction with nothing but a description and its exchange.
    pub fn new(description: impl Into<String>, kind: InteractionKind) -> Interaction {
        Interaction {
            description: description.into(),
            provider_states: Vec::new(),
            kind,
            key: None,
            pending: false,
            comments: Map::new(),
            plugin_config: Map::new(),
            extra: Map::new(),
        }
    }
}
