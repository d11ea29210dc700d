//! End-to-end tests of `treaty_core::verify` against real providers on
//! `127.0.0.1:0`: the users app of `treaty_tests::users`, misbehaving TCP
//! servers, and the pact-python interop provider.

mod batches;
mod contracts;
mod filters;
mod http;
mod infra;
mod interop;
mod jobs;
mod messages;
mod sources;
mod states;
mod tls;
