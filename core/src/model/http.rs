use serde_json::{Map, Value};

use super::{Body, Generators, Headers, MatchingRules, Query};

/// An HTTP request, as expected by a contract or as seen on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The method, upper case as written (compared case-insensitively).
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query parameters.
    pub query: Query,
    /// The headers.
    pub headers: Headers,
    /// The body.
    pub body: Body,
    /// Matching rules for the request's parts.
    pub matching_rules: MatchingRules,
    /// Generators for the request's parts.
    pub generators: Generators,
    /// Fields we do not interpret, kept to be written back.
    pub extra: Map<String, Value>,
}

impl Default for HttpRequest {
    fn default() -> Self {
        HttpRequest {
            method: "GET".to_owned(),
            path: "/".to_owned(),
            query: Query::default(),
            headers: Headers::default(),
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
            extra: Map::new(),
        }
    }
}

/// An HTTP response, as expected by a contract or as seen on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: Headers,
    /// The body.
    pub body: Body,
    /// Matching rules for the response's parts.
    pub matching_rules: MatchingRules,
    /// Generators for the response's parts.
    pub generators: Generators,
    /// Fields we do not interpret, kept to be written back.
    pub extra: Map<String, Value>,
}

impl Default for HttpResponse {
    fn default() -> Self {
        HttpResponse {
            status: 200,
            headers: Headers::default(),
            body: Body::Missing,
            matching_rules: MatchingRules::default(),
            generators: Generators::default(),
            extra: Map::new(),
        }
    }
}
