//! Messages: the DSL declares what the provider sends (or, for
//! synchronous messages, what the consumer sends and gets back), hands the
//! generated example to the consumer's handler, and writes the contract
//! when every handler succeeded.

use std::fmt::Display;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::builder::{add_comment, state_with, ContractBuilder};
use super::error::ConsumerError;
use super::http::{json_body, raw_body};
use super::pact_file;
use super::pattern::Term;
use crate::generate::{generate_message, GeneratorContext, GeneratorMode};
use crate::model::{
    Body, BodyContent, Category, DocPath, Interaction, InteractionKind, Message, ProviderState,
};

/// The contents and metadata of one message: start with [`content`].
#[derive(Debug, Clone, Default)]
#[must_use = "message content does nothing until given to a message"]
pub struct MessageContent {
    message: Message,
}

/// Empty message content.
pub fn content() -> MessageContent {
    MessageContent::default()
}

impl MessageContent {
    /// A JSON payload (`contentType` metadata `application/json`).
    pub fn json(mut self, body: impl Into<Term>) -> MessageContent {
        let m = &mut self.message;
        m.contents = json_body(&mut m.matching_rules, &mut m.generators, body.into());
        self
    }

    /// A payload of any other type, matched by equality.
    pub fn body(mut self, content: impl Into<Vec<u8>>, content_type: &str) -> MessageContent {
        self.message.contents = raw_body(content.into(), content_type);
        self
    }

    /// A metadata entry (`contentType`, a topic, a routing key ...).
    pub fn metadata(mut self, key: &str, value: impl Into<Term>) -> MessageContent {
        let value = value.into();
        let m = &mut self.message;
        value.place(
            Category::Metadata,
            &DocPath::name(key),
            &mut m.matching_rules,
            &mut m.generators,
        );
        m.metadata.insert(key.to_owned(), value.example);
        self
    }

    /// The message as the contract model holds it.
    pub fn build(self) -> Message {
        self.message
    }
}

impl From<Message> for MessageContent {
    fn from(message: Message) -> MessageContent {
        MessageContent { message }
    }
}

/// One message interaction: built by [`ContractBuilder::message`] and
/// [`ContractBuilder::sync_message`].
#[derive(Debug, Clone)]
#[must_use = "return the message from the closure"]
pub struct MessageBuilder {
    description: String,
    states: Vec<ProviderState>,
    comments: Map<String, Value>,
    key: Option<String>,
    pending: bool,
    synchronous: bool,
    message: MessageContent,
    responses: Vec<Message>,
}

impl MessageBuilder {
    pub(crate) fn asynchronous(description: &str) -> MessageBuilder {
        MessageBuilder {
            description: description.to_owned(),
            states: Vec::new(),
            comments: Map::new(),
            key: None,
            pending: false,
            synchronous: false,
            message: content(),
            responses: Vec::new(),
        }
    }

    pub(crate) fn synchronous(description: &str) -> MessageBuilder {
        MessageBuilder {
            synchronous: true,
            ..MessageBuilder::asynchronous(description)
        }
    }

    /// A provider state the message needs.
    pub fn given(mut self, state: &str) -> MessageBuilder {
        self.states.push(ProviderState::named(state));
        self
    }

    /// A provider state with parameters (a JSON object).
    pub fn given_with(mut self, state: &str, params: Value) -> MessageBuilder {
        self.states.push(state_with(state, params));
        self
    }

    /// The JSON payload (of the request, for a synchronous message).
    pub fn json(mut self, body: impl Into<Term>) -> MessageBuilder {
        self.message = self.message.json(body);
        self
    }

    /// A payload of another type (of the request, for a synchronous one).
    pub fn body(mut self, content: impl Into<Vec<u8>>, content_type: &str) -> MessageBuilder {
        self.message = self.message.body(content, content_type);
        self
    }

    /// A metadata entry (of the request, for a synchronous message).
    pub fn metadata(mut self, key: &str, value: impl Into<Term>) -> MessageBuilder {
        self.message = self.message.metadata(key, value);
        self
    }

    /// The whole message (the request, for a synchronous message).
    pub fn request(mut self, message: MessageContent) -> MessageBuilder {
        self.message = message;
        self
    }

    /// A response message the consumer expects (synchronous messages;
    /// call again for more).
    pub fn response(mut self, message: MessageContent) -> MessageBuilder {
        self.responses.push(message.message);
        self
    }

    /// A V4 interaction key.
    pub fn key(mut self, key: &str) -> MessageBuilder {
        self.key = Some(key.to_owned());
        self
    }

    /// Marks the interaction pending (V4).
    pub fn pending(mut self) -> MessageBuilder {
        self.pending = true;
        self
    }

    /// Adds a V4 comment.
    pub fn comment(mut self, text: &str) -> MessageBuilder {
        add_comment(&mut self.comments, text);
        self
    }

    pub(crate) fn into_interaction(self) -> Interaction {
        let message = self.message.message;
        let kind = if self.synchronous {
            InteractionKind::SyncMessage {
                request: message,
                responses: self.responses,
            }
        } else {
            InteractionKind::AsyncMessage(message)
        };
        let mut interaction = Interaction::new(self.description, kind);
        interaction.provider_states = self.states;
        interaction.comments = self.comments;
        interaction.key = self.key;
        interaction.pending = self.pending;
        interaction
    }
}

/// A message as the consumer's handler receives it: the example with its
/// generators applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedMessage {
    /// The interaction's description.
    pub description: String,
    /// The message (the request, for a synchronous message).
    pub message: Message,
    /// The response messages (synchronous messages only).
    pub responses: Vec<Message>,
}

impl ReceivedMessage {
    /// The JSON payload, if the message has one.
    pub fn json(&self) -> Option<&Value> {
        match self.message.contents.content() {
            Some(BodyContent::Json(value)) => Some(value),
            _ => None,
        }
    }

    /// The payload's bytes (empty when there is none).
    pub fn bytes(&self) -> Vec<u8> {
        self.message.contents.to_bytes().into_owned()
    }

    /// The payload's content type, if known.
    pub fn content_type(&self) -> Option<String> {
        content_type_of(&self.message)
    }
}

/// A message's content type: its `contentType` metadata, else its body's.
pub fn content_type_of(message: &Message) -> Option<String> {
    let from_metadata = ["contentType", "content-type", "Content-Type"]
        .iter()
        .find_map(|k| message.metadata.get(*k)?.as_str().map(str::to_owned));
    from_metadata.or_else(|| match &message.contents {
        Body::Present { content_type, .. } => content_type.as_ref().map(|c| c.to_string()),
        _ => None,
    })
}

impl ContractBuilder {
    /// Hands each message interaction's example (generators applied) to
    /// `handler` and, when every call succeeds, merges the interactions
    /// into the contract file. Panics with a report otherwise.
    ///
    /// ```
    /// use treaty_core::consumer::{contract, integer};
    /// use treaty_core::term;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// contract("billing", "orders")
    ///     .output_dir(dir.path())
    ///     .message("an order was placed", |m| {
    ///         m.json(term!({"orderId": integer(42)}))
    ///             .metadata("topic", "orders")
    ///     })
    ///     .consume(|msg| match msg.json() {
    ///         Some(order) if order["orderId"].is_i64() => Ok(()),
    ///         _ => Err("not an order"),
    ///     });
    /// assert!(dir.path().join("billing-orders.json").exists());
    /// ```
    pub fn consume<E: Display>(self, handler: impl FnMut(&ReceivedMessage) -> Result<(), E>) {
        if let Err(err) = self.try_consume(handler) {
            panic!("{err}");
        }
    }

    /// [`ContractBuilder::consume`] returning the failure instead of
    /// panicking, with the path of the contract written on success.
    pub fn try_consume<E: Display>(
        self,
        mut handler: impl FnMut(&ReceivedMessage) -> Result<(), E>,
    ) -> Result<PathBuf, ConsumerError> {
        let ctx = GeneratorContext::new(GeneratorMode::Consumer);
        for interaction in &self.contract.interactions {
            let received = received(interaction, &ctx)?;
            if let Some(received) = received {
                handler(&received).map_err(|e| ConsumerError::Handler {
                    description: received.description.clone(),
                    error: e.to_string(),
                })?;
            }
        }
        pact_file::merge_into_file(&self.contract, self.output_dir.as_deref())
            .map_err(ConsumerError::from)
    }
}

fn received(
    interaction: &Interaction,
    ctx: &GeneratorContext,
) -> Result<Option<ReceivedMessage>, ConsumerError> {
    let generate = |message: &Message| {
        generate_message(message, ctx).map_err(|source| ConsumerError::Generate {
            description: interaction.description.clone(),
            source,
        })
    };
    let (message, responses) = match &interaction.kind {
        InteractionKind::AsyncMessage(message) => (generate(message)?, Vec::new()),
        InteractionKind::SyncMessage { request, responses } => (
            generate(request)?,
            responses.iter().map(generate).collect::<Result<_, _>>()?,
        ),
        InteractionKind::Http { .. } => return Ok(None),
    };
    Ok(Some(ReceivedMessage {
        description: interaction.description.clone(),
        message,
        responses,
    }))
}
