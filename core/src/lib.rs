//! treaty core

pub mod datetime;
