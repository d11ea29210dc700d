//! Turning a contract's response into an HTTP response: ready-made when it
//! has no generators, built per request (Consumer mode, MockServerURL
//! pointing at the stub) when it has.

use axum::body::{Body as AxumBody, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

use crate::generate::{generate_response, GenerateError, GeneratorContext, GeneratorMode};
use crate::model::{BodyContent, HttpResponse};

/// A response ready to send: cloning it shares the body bytes.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Prepared {
    /// The response as it will always be sent, unless it has generators
    /// that run on the consumer side (then it is built per request).
    pub(crate) fn build(response: &HttpResponse) -> Option<Prepared> {
        let generated = response
            .generators
            .categories
            .values()
            .flat_map(|c| c.values())
            .any(|g| GeneratorMode::Consumer.applies_to(g));
        (!generated).then(|| Prepared::from_response(response))
    }

    fn from_response(response: &HttpResponse) -> Prepared {
        let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::OK);
        let mut headers = HeaderMap::new();
        for (name, values) in response.headers.iter() {
            let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
                continue;
            };
            for value in values {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.append(name.clone(), value);
                }
            }
        }
        if !headers.contains_key(axum::http::header::CONTENT_TYPE) {
            if let Some(value) = content_type(response) {
                headers.insert(axum::http::header::CONTENT_TYPE, value);
            }
        }
        Prepared {
            status,
            headers,
            body: Bytes::from(response.body.to_bytes().into_owned()),
        }
    }

    /// The HTTP response.
    pub(crate) fn to_response(&self) -> Response {
        let mut out = Response::new(AxumBody::from(self.body.clone()));
        *out.status_mut() = self.status;
        *out.headers_mut() = self.headers.clone();
        out
    }
}

/// The body's declared type, or JSON for a JSON body without one.
fn content_type(response: &HttpResponse) -> Option<HeaderValue> {
    let declared = response.body.content_type().map(ToString::to_string);
    let declared = declared.or_else(|| match response.body.content() {
        Some(BodyContent::Json(_)) => Some("application/json".to_owned()),
        _ => None,
    })?;
    HeaderValue::from_str(&declared).ok()
}

/// The response for an interaction: the prepared one, or one built now
/// with its generators.
pub(crate) fn respond(
    prepared: Option<&Prepared>,
    response: &HttpResponse,
    ctx: &GeneratorContext,
) -> Result<Response, GenerateError> {
    match prepared {
        Some(prepared) => Ok(prepared.to_response()),
        None => {
            let generated = generate_response(response, ctx)?;
            Ok(Prepared::from_response(&generated).to_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::SpecVersion;
    use crate::read::read_response;

    fn response(v: serde_json::Value) -> HttpResponse {
        read_response(&v, SpecVersion::V3).unwrap()
    }

    #[test]
    fn json_bodies_get_a_content_type_and_headers_are_kept() {
        let r = response(json!({"status": 201, "headers": {"X-A": "1"}, "body": {"a": 1}}));
        let p = Prepared::build(&r).expect("no generators");
        assert_eq!(p.status, StatusCode::CREATED);
        assert_eq!(p.headers["x-a"], "1");
        assert_eq!(p.headers["content-type"], "application/json");
        assert_eq!(&p.body[..], br#"{"a":1}"#);
    }

    #[test]
    fn responses_with_generators_are_built_per_request() {
        let r = response(json!({"status": 200, "body": {"id": 1},
            "generators": {"body": {"$.id": {"type": "RandomInt", "min": 5, "max": 5}}}}));
        assert!(Prepared::build(&r).is_none());
        let ctx = GeneratorContext::new(GeneratorMode::Consumer);
        let out = respond(None, &r, &ctx).unwrap();
        assert_eq!(out.status(), StatusCode::OK);
    }
}
