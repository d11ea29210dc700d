//! The consumer test DSL and its mock server, used as a consumer's tests
//! use them: real HTTP clients against mock servers on `127.0.0.1:0`,
//! contracts written into temporary directories.

mod control;
mod matchers;
mod merge;
mod messages;
mod reports;
mod support;
