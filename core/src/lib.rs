//! treaty core
