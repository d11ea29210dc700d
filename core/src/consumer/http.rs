//! The request a consumer sends and the response it expects, as builders
//! that take [`Term`]s wherever a value may be matched loosely.

use super::pattern::Term;
use crate::model::{
    Body, BodyContent, Category, ContentType, DocPath, Generators, HttpRequest, HttpResponse,
    MatchingRules,
};

/// A request: start with [`get`], [`post`], [`put`], [`patch`],
/// [`delete`] or [`request`].
#[derive(Debug, Clone, Default)]
#[must_use = "a request does nothing until given to an interaction"]
pub struct RequestBuilder {
    pub(crate) request: HttpRequest,
}

/// A request with any method.
pub fn request(method: &str, path: impl Into<Term>) -> RequestBuilder {
    let mut builder = RequestBuilder::default();
    builder.request.method = method.to_ascii_uppercase();
    builder.path(path)
}

/// A `GET` request.
pub fn get(path: impl Into<Term>) -> RequestBuilder {
    request("GET", path)
}

/// A `POST` request.
pub fn post(path: impl Into<Term>) -> RequestBuilder {
    request("POST", path)
}

/// A `PUT` request.
pub fn put(path: impl Into<Term>) -> RequestBuilder {
    request("PUT", path)
}

/// A `PATCH` request.
pub fn patch(path: impl Into<Term>) -> RequestBuilder {
    request("PATCH", path)
}

/// A `DELETE` request.
pub fn delete(path: impl Into<Term>) -> RequestBuilder {
    request("DELETE", path)
}

impl RequestBuilder {
    /// The path: a literal, or a term such as
    /// `regex("/orders/\\d+", "/orders/42")`.
    pub fn path(mut self, path: impl Into<Term>) -> RequestBuilder {
        let path = path.into();
        self.request.path = path.example_text();
        let r = &mut self.request;
        clear(&mut r.matching_rules, &mut r.generators, Category::Path);
        path.place(
            Category::Path,
            &DocPath::whole(),
            &mut r.matching_rules,
            &mut r.generators,
        );
        self
    }

    /// A query parameter (call again for more values of the same name).
    pub fn query(mut self, name: &str, value: impl Into<Term>) -> RequestBuilder {
        let value = value.into();
        self.request.query.append(name, value.example_text());
        let r = &mut self.request;
        value.place(
            Category::Query,
            &DocPath::name(name),
            &mut r.matching_rules,
            &mut r.generators,
        );
        self
    }

    /// A header (call again for more values of the same name).
    pub fn header(mut self, name: &str, value: impl Into<Term>) -> RequestBuilder {
        let r = &mut self.request;
        add_header(
            &mut r.headers,
            &mut r.matching_rules,
            &mut r.generators,
            name,
            value,
        );
        self
    }

    /// A JSON body (`Content-Type: application/json` unless set).
    pub fn json(mut self, body: impl Into<Term>) -> RequestBuilder {
        let r = &mut self.request;
        r.body = json_body(&mut r.matching_rules, &mut r.generators, body.into());
        self
    }

    /// A body of any other type, matched by equality.
    pub fn body(mut self, content: impl Into<Vec<u8>>, content_type: &str) -> RequestBuilder {
        self.request.body = raw_body(content.into(), content_type);
        self
    }

    /// The request as the contract model holds it.
    pub fn build(self) -> HttpRequest {
        self.request
    }
}

/// A response: start with [`status`] or [`ok`].
#[derive(Debug, Clone, Default)]
#[must_use = "a response does nothing until given to an interaction"]
pub struct ResponseBuilder {
    pub(crate) response: HttpResponse,
}

/// A response with this status: a number, or a term such as
/// `status_code(StatusClass::Success, 201)`.
pub fn status(status: impl Into<Term>) -> ResponseBuilder {
    ResponseBuilder::default().status(status)
}

/// A `200 OK` response.
pub fn ok() -> ResponseBuilder {
    status(200)
}

impl ResponseBuilder {
    /// The status.
    pub fn status(mut self, status: impl Into<Term>) -> ResponseBuilder {
        let status = status.into();
        self.response.status = status
            .example()
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(200);
        let r = &mut self.response;
        clear(&mut r.matching_rules, &mut r.generators, Category::Status);
        status.place(
            Category::Status,
            &DocPath::whole(),
            &mut r.matching_rules,
            &mut r.generators,
        );
        self
    }

    /// A header (call again for more values of the same name).
    pub fn header(mut self, name: &str, value: impl Into<Term>) -> ResponseBuilder {
        let r = &mut self.response;
        add_header(
            &mut r.headers,
            &mut r.matching_rules,
            &mut r.generators,
            name,
            value,
        );
        self
    }

    /// A JSON body (`Content-Type: application/json` unless set).
    pub fn json(mut self, body: impl Into<Term>) -> ResponseBuilder {
        let r = &mut self.response;
        r.body = json_body(&mut r.matching_rules, &mut r.generators, body.into());
        self
    }

    /// A body of any other type, matched by equality.
    pub fn body(mut self, content: impl Into<Vec<u8>>, content_type: &str) -> ResponseBuilder {
        self.response.body = raw_body(content.into(), content_type);
        self
    }

    /// The response as the contract model holds it.
    pub fn build(self) -> HttpResponse {
        self.response
    }
}

fn add_header(
    headers: &mut crate::model::Headers,
    rules: &mut MatchingRules,
    generators: &mut Generators,
    name: &str,
    value: impl Into<Term>,
) {
    let value = value.into();
    headers.append(name, value.example_text());
    value.place(Category::Header, &DocPath::name(name), rules, generators);
}

/// Removes the rules and generators of a category.
fn clear(rules: &mut MatchingRules, generators: &mut Generators, category: Category) {
    rules.categories.remove(&category);
    generators.categories.remove(&category);
}

pub(crate) fn json_body(
    rules: &mut MatchingRules,
    generators: &mut Generators,
    body: Term,
) -> Body {
    clear(rules, generators, Category::Body);
    body.place(Category::Body, &DocPath::root(), rules, generators);
    Body::Present {
        content_type: ContentType::parse("application/json"),
        content: BodyContent::Json(body.example),
    }
}

pub(crate) fn raw_body(content: Vec<u8>, content_type: &str) -> Body {
    let content_type = ContentType::parse(content_type);
    if content.is_empty() {
        return Body::Empty;
    }
    Body::from_bytes(content, content_type)
}
