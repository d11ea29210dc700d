//! [`ContractBuilder`]: the consumer and provider, their interactions, and
//! where the contract is written.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::http::{RequestBuilder, ResponseBuilder};
use super::message::MessageBuilder;
use super::pact_file::{self, PactFileError};
use crate::model::{Contract, Interaction, InteractionKind, ProviderState, SpecVersion};

/// Starts a contract between a consumer (the application under test) and
/// a provider.
pub fn contract(consumer: &str, provider: &str) -> ContractBuilder {
    ContractBuilder::new(consumer, provider)
}

/// The interactions a consumer test expects of one provider.
#[derive(Debug, Clone)]
#[must_use = "a contract does nothing until its mock server starts or its messages are consumed"]
pub struct ContractBuilder {
    pub(crate) contract: Contract,
    pub(crate) output_dir: Option<PathBuf>,
    pub(crate) cors: bool,
}

impl ContractBuilder {
    /// An empty V4 contract.
    pub fn new(consumer: &str, provider: &str) -> ContractBuilder {
        ContractBuilder {
            contract: Contract::new(consumer, provider),
            output_dir: None,
            cors: false,
        }
    }

    /// Write the contract in another specification version (V4 by
    /// default; V3 for older tools).
    pub fn spec_version(mut self, version: SpecVersion) -> ContractBuilder {
        self.contract.spec_version = version;
        self
    }

    /// Write into `dir` instead of `$TREATY_CONTRACT_DIR` or
    /// `target/contracts`.
    pub fn output_dir(mut self, dir: impl Into<PathBuf>) -> ContractBuilder {
        self.output_dir = Some(dir.into());
        self
    }

    /// Makes the mock server answer CORS preflight requests and add CORS
    /// headers to its responses, for consumers running in a browser.
    pub fn cors(mut self) -> ContractBuilder {
        self.cors = true;
        self
    }

    /// Adds an HTTP interaction, described by `define`.
    ///
    /// ```
    /// use treaty_core::consumer::{contract, get, ok};
    ///
    /// let orders = contract("checkout-web", "order-service")
    ///     .interaction("a request for order 42", |i| {
    ///         i.given("order 42 exists")
    ///             .request(get("/orders/42"))
    ///             .response(ok().json(serde_json::json!({"id": 42})))
    ///     });
    /// assert_eq!(orders.contract().interactions.len(), 1);
    /// ```
    pub fn interaction(
        mut self,
        description: &str,
        define: impl FnOnce(InteractionBuilder) -> InteractionBuilder,
    ) -> ContractBuilder {
        let built = define(InteractionBuilder::new(description));
        self.contract.interactions.push(built.interaction);
        self
    }

    /// Adds an interaction built some other way (read from a file, made
    /// with the model's types).
    pub fn with_interaction(mut self, interaction: Interaction) -> ContractBuilder {
        self.contract.interactions.push(interaction);
        self
    }

    /// Adds an asynchronous message the provider sends, described by
    /// `define`; see [`ContractBuilder::consume`].
    pub fn message(
        mut self,
        description: &str,
        define: impl FnOnce(MessageBuilder) -> MessageBuilder,
    ) -> ContractBuilder {
        let built = define(MessageBuilder::asynchronous(description));
        self.contract.interactions.push(built.into_interaction());
        self
    }

    /// Adds a synchronous message exchange: a request message the consumer
    /// sends and the response message(s) it expects.
    pub fn sync_message(
        mut self,
        description: &str,
        define: impl FnOnce(MessageBuilder) -> MessageBuilder,
    ) -> ContractBuilder {
        let built = define(MessageBuilder::synchronous(description));
        self.contract.interactions.push(built.into_interaction());
        self
    }

    /// The contract as built so far.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }

    /// Merges the interactions into the contract file (see
    /// [`pact_file`](super::pact_file)) without running anything: for
    /// interactions checked some other way.
    pub fn write(&self) -> Result<PathBuf, PactFileError> {
        pact_file::merge_into_file(&self.contract, self.output_dir.as_deref())
    }
}

/// One interaction: its description, provider states, and what is
/// exchanged.
#[derive(Debug, Clone)]
#[must_use = "return the interaction from the closure"]
pub struct InteractionBuilder {
    pub(crate) interaction: Interaction,
}

impl InteractionBuilder {
    fn new(description: &str) -> InteractionBuilder {
        let kind = InteractionKind::Http {
            request: RequestBuilder::default().request,
            response: ResponseBuilder::default().response,
        };
        InteractionBuilder {
            interaction: Interaction::new(description, kind),
        }
    }

    /// A provider state the interaction needs.
    pub fn given(mut self, state: &str) -> InteractionBuilder {
        self.interaction
            .provider_states
            .push(ProviderState::named(state));
        self
    }

    /// A provider state with parameters (a JSON object, e.g.
    /// `json!({"id": 42})`; anything else is kept under `value`).
    pub fn given_with(mut self, state: &str, params: Value) -> InteractionBuilder {
        self.interaction
            .provider_states
            .push(state_with(state, params));
        self
    }

    /// The request the consumer sends.
    pub fn request(mut self, request: RequestBuilder) -> InteractionBuilder {
        if let InteractionKind::Http { request: r, .. } = &mut self.interaction.kind {
            *r = request.request;
        }
        self
    }

    /// The response the consumer expects.
    pub fn response(mut self, response: ResponseBuilder) -> InteractionBuilder {
        if let InteractionKind::Http { response: r, .. } = &mut self.interaction.kind {
            *r = response.response;
        }
        self
    }

    /// A V4 interaction key.
    pub fn key(mut self, key: &str) -> InteractionBuilder {
        self.interaction.key = Some(key.to_owned());
        self
    }

    /// Marks the interaction pending (V4): its failures do not fail a
    /// provider's verification yet.
    pub fn pending(mut self) -> InteractionBuilder {
        self.interaction.pending = true;
        self
    }

    /// Adds a V4 comment (kept in `comments.text`).
    pub fn comment(mut self, text: &str) -> InteractionBuilder {
        add_comment(&mut self.interaction.comments, text);
        self
    }
}

pub(crate) fn state_with(state: &str, params: Value) -> ProviderState {
    let params = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => Map::from_iter([("value".to_owned(), other)]),
    };
    ProviderState {
        name: state.to_owned(),
        params,
    }
}

pub(crate) fn add_comment(comments: &mut Map<String, Value>, text: &str) {
    let entry = comments
        .entry("text")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = entry {
        list.push(Value::String(text.to_owned()));
    }
}
