//! The stub server (`treaty stub`, issue 4), tested over real HTTP on
//! 127.0.0.1 with a random port: hits, misses and their explanations,
//! choosing among several matches, CORS, reloading on file changes,
//! generators, XML and text bodies, load, the pact-python fixtures and the
//! CLI binary.

mod bodies;
mod cors;
mod hits;
mod misses;
mod pact_python;
mod scale;
mod selection;
mod support;
mod watching;
