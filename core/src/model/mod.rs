//! The contract model: plain structs and enums for a Pact contract of any
//! specification version. Version differences live only in [`crate::read`]
//! and [`crate::write`]; everything here is version-neutral.

mod body;
mod contract;
mod generator;
mod headers;
mod http;
mod interaction;
mod matcher;
mod message;
mod path;
mod query;
mod rules;

pub(crate) use body::sniff as sniff_content;
pub use body::{Body, BodyContent, ContentType};
pub use contract::{Contract, Pacticipant, SpecVersion};
pub use generator::{Generator, Generators, UuidFormat, GENERATOR_NAMES};
pub use headers::Headers;
pub use http::{HttpRequest, HttpResponse};
pub use interaction::{Interaction, InteractionKind, ProviderState};
pub use matcher::{
    ArrayVariant, EachRules, Matcher, MatcherError, Pattern, StatusClass, MATCHER_NAMES,
};
pub use message::Message;
pub(crate) use path::bracketed;
pub use path::{DocPath, PathError, PathToken};
pub use query::Query;
pub use rules::{Category, Combine, MatchingRules, RuleCategory, RuleList};
