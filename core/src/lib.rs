//! treaty-core: the contract model (Pact V1–V4), the matching engine and
//! generators that every other part of treaty stands on.
#![deny(missing_docs)]

#[cfg(feature = "broker-client")]
pub mod broker_client;
#[cfg(feature = "consumer")]
pub mod consumer;
pub mod datetime;
pub mod generate;
mod json_cursor;
pub mod matching;
pub mod model;
pub mod read;
pub mod source;
#[cfg(feature = "stub")]
pub mod stub;
#[cfg(any(feature = "verify", feature = "stub", feature = "broker-client"))]
pub mod tls;
pub mod validate;
#[cfg(feature = "verify")]
pub mod verify;
pub mod write;
