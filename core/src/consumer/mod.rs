//! The consumer side: tests that describe what a consumer expects of its
//! provider, run the consumer's own code against a mock server (or hand it
//! example messages), and write the contract. Behind the `consumer`
//! feature.
//!
//! # Quick start
//!
//! ```
//! use treaty_core::consumer::{contract, each_like, get, integer, like, ok};
//! use treaty_core::term;
//!
//! # let dir = tempfile::tempdir().unwrap();
//! let mock = contract("checkout-web", "order-service")
//! #   .output_dir(dir.path())
//!     .interaction("a request for order 42", |i| {
//!         i.given("order 42 exists")
//!             .request(get("/orders/42").header("Accept", "application/json"))
//!             .response(ok().json(term!({
//!                 "id": integer(42),
//!                 "status": like("open"),
//!                 "lines": each_like(term!({"sku": like("A-1"), "qty": integer(2)}))
//!             })))
//!     })
//!     .start_mock_server();
//!
//! // The consumer's code under test talks to the mock server.
//! # let get_order = |url: String| -> Result<u16, std::io::Error> {
//! #     use std::io::{Read, Write};
//! #     let addr = url.trim_start_matches("http://").split('/').next().unwrap().to_owned();
//! #     let mut s = std::net::TcpStream::connect(addr)?;
//! #     write!(s, "GET /orders/42 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n")?;
//! #     let mut out = String::new();
//! #     s.read_to_string(&mut out)?;
//! #     Ok(out[9..12].parse().unwrap())
//! # };
//! let status = get_order(mock.url("/orders/42")).unwrap();
//! assert_eq!(status, 200);
//! // Dropping the mock server checks that every interaction was exercised
//! // and nothing unexpected arrived, then writes
//! // target/contracts/checkout-web-order-service.json.
//! drop(mock);
//! # assert!(dir.path().join("checkout-web-order-service.json").exists());
//! ```
//!
//! # Terms: a matcher that is also an example
//!
//! Wherever a value is expected (path, query, headers, bodies, metadata),
//! a [`Term`] can be given: a plain value matches by equality; matcher
//! functions keep the example and add a rule ([`like`], [`each_like`],
//! [`regex()`], [`integer`], [`decimal`], [`number`], [`boolean`], [`null`],
//! [`datetime`], [`date`], [`time`], [`include()`], [`each_key`],
//! [`each_value`], [`array_contains`], [`semver()`], [`status_code`],
//! [`not_empty`]); generator functions add how the value is regenerated
//! ([`random_int`], [`random_string`], [`uuid()`], [`from_provider_state`],
//! [`mock_server_url`] ...). [`term!`](crate::term) nests them in JSON.
//!
//! # When a test fails
//!
//! The mock server fails the test when it is dropped (or on
//! [`MockServer::verify`]) if an interaction was never exercised, a request
//! matched no interaction, or a request differed from the interaction with
//! its method and path. The report lists each problem, with mismatch
//! locations, messages and a body diff:
//!
//! ```text
//! treaty mock server for checkout-web -> order-service: 2 problems
//!
//! 1. missed: `a request for order 42` (GET /orders/42) was expected but never received
//!
//! 2. mismatched: POST /orders did not match `place an order`:
//!    $.body.qty: Expected 'two' (String) to be an integer
//!
//! No contract was written.
//! ```
//!
//! Only a test whose mock servers all pass writes its interactions; see
//! [`pact_file`] for where and how files are merged.
//!
//! # Beyond Rust tests
//!
//! [`control`] runs the same mock servers for consumer tests in any
//! language (`treaty mock`, an HTTP/JSON API); [`record`] writes a
//! contract from real traffic through a proxy (`treaty record`).
//!
//! # Messages
//!
//! [`ContractBuilder::message`] and [`ContractBuilder::sync_message`]
//! declare messages; [`ContractBuilder::consume`] hands each generated
//! example to the consumer's handler and writes the contract when every
//! handler call succeeds.

mod builder;
pub mod control;
mod error;
mod http;
mod matchers;
mod message;
mod mock;
pub mod pact_file;

mod pattern;
pub mod record;
mod report;

pub use crate::model::StatusClass;
pub use builder::{contract, ContractBuilder, InteractionBuilder};
pub use error::{ConsumerError, PactFileError};
pub use http::{
    delete, get, ok, patch, post, put, request, status, RequestBuilder, ResponseBuilder,
};
pub use matchers::{
    array_contains, boolean, date, datetime, decimal, each_key, each_like, each_value,
    from_provider_state, include, integer, like, mock_server_url, not_empty, null, number,
    random_boolean, random_decimal, random_hex, random_int, random_string, regex, semver,
    status_code, time, uuid, EachLike,
};
pub use message::{content, content_type_of, MessageBuilder, MessageContent, ReceivedMessage};
pub use mock::{MockFailure, MockServer, MockStartError};
pub use pattern::Term;
pub use report::{Exchange, MockReport, Outcome};
