use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// A parsed `Content-Type` value such as `application/json; charset=utf-8`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// Lower-case main type, e.g. `application`.
    pub main: String,
    /// Lower-case subtype, e.g. `json` or `vnd.api+json`.
    pub sub: String,
    /// Parameters in order, names lower-cased, e.g. `charset=utf-8`.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// Parses a media type; `None` when there is no `type/subtype`.
    pub fn parse(text: &str) -> Option<ContentType> {
        let mut parts = text.split(';');
        let essence = parts.next()?.trim();
        let (main, sub) = essence.split_once('/')?;
        let (main, sub) = (main.trim(), sub.trim());
        if main.is_empty() || sub.is_empty() {
            return None;
        }
        let params = parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                let value = v.trim().trim_matches('"');
                (k.trim().to_ascii_lowercase(), value.to_owned())
            })
            .collect();
        Some(ContentType {
            main: main.to_ascii_lowercase(),
            sub: sub.to_ascii_lowercase(),
            params,
        })
    }

    /// `type/subtype` without parameters.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.main, self.sub)
    }

    /// JSON: `application/json`, `*/*+json`, `*/json`.
    pub fn is_json(&self) -> bool {
        self.sub == "json" || self.sub.ends_with("+json")
    }

    /// XML: `*/xml`, `*/*+xml`.
    pub fn is_xml(&self) -> bool {
        self.sub == "xml" || self.sub.ends_with("+xml")
    }

    /// `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.main == "application" && self.sub == "x-www-form-urlencoded"
    }

    /// `multipart/*`.
    pub fn is_multipart(&self) -> bool {
        self.main == "multipart"
    }

    /// Content that is text: `text/*`, JSON, XML, forms, JavaScript ...
    pub fn is_text(&self) -> bool {
        self.main == "text"
            || self.is_json()
            || self.is_xml()
            || self.is_form()
            || matches!(
                self.sub.as_str(),
                "javascript" | "ecmascript" | "yaml" | "x-yaml" | "graphql" | "csv"
            )
    }

    /// The value of a parameter (name compared case-insensitively).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.main, self.sub)?;
        for (k, v) in &self.params {
            write!(f, ";{k}={v}")?;
        }
        Ok(())
    }
}

/// What a body holds once read.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyContent {
    /// A JSON document (any JSON value, including a bare string).
    Json(Value),
    /// Text that is not JSON: XML, plain text, a form, a multipart body.
    Text(String),
    /// Bytes that are not (known to be) text.
    Bytes(Vec<u8>),
}

/// The body of a request, response or message.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    /// No body key at all: in an expectation, any body is accepted.
    #[default]
    Missing,
    /// An explicit `null` body.
    Null,
    /// An explicitly empty body (`""`).
    Empty,
    /// A body with content.
    Present {
        /// The content type declared for the body (V4 wrapper, the
        /// `Content-Type` header, or sniffed when reading).
        content_type: Option<ContentType>,
        /// The content.
        content: BodyContent,
    },
}

impl Body {
    /// A JSON body.
    pub fn json(value: Value) -> Body {
        Body::Present {
            content_type: ContentType::parse("application/json"),
            content: BodyContent::Json(value),
        }
    }

    /// A text body with a content type.
    pub fn text(text: impl Into<String>, content_type: &str) -> Body {
        Body::Present {
            content_type: ContentType::parse(content_type),
            content: BodyContent::Text(text.into()),
        }
    }

    /// A body from raw bytes as received on the wire, read by its content
    /// type: JSON is parsed (kept as bytes when invalid), text is decoded.
    pub fn from_bytes(bytes: Vec<u8>, content_type: Option<ContentType>) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        let content = BodyContent::from_bytes(bytes, content_type.as_ref());
        Body::present(content, content_type)
    }

    /// A body as received, to be matched once: like [`Body::from_bytes`]
    /// but JSON stays text, which the matching engine reads more cheaply
    /// than it reads a parsed tree.
    pub fn received(bytes: Vec<u8>, content_type: Option<ContentType>) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        let content = BodyContent::text_or_bytes(bytes, content_type.as_ref());
        Body::present(content, content_type)
    }

    fn present(content: BodyContent, content_type: Option<ContentType>) -> Body {
        let content_type = content_type.or_else(|| sniff(&content));
        Body::Present {
            content_type,
            content,
        }
    }

    /// True when the body has content.
    pub fn is_present(&self) -> bool {
        matches!(self, Body::Present { .. })
    }

    /// The declared content type, if any.
    pub fn content_type(&self) -> Option<&ContentType> {
        match self {
            Body::Present { content_type, .. } => content_type.as_ref(),
            _ => None,
        }
    }

    /// The content, if any.
    pub fn content(&self) -> Option<&BodyContent> {
        match self {
            Body::Present { content, .. } => Some(content),
            _ => None,
        }
    }

    /// The body as bytes on the wire (empty when absent).
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        match self.content() {
            Some(content) => content.to_bytes(),
            None => Cow::Borrowed(&[]),
        }
    }
}

impl BodyContent {
    /// Reads bytes by content type: JSON when the type says JSON and the
    /// bytes parse, text when they are UTF-8 and the type is textual (or
    /// unknown), bytes otherwise.
    pub fn from_bytes(bytes: Vec<u8>, content_type: Option<&ContentType>) -> BodyContent {
        if content_type.is_some_and(ContentType::is_json) {
            if let Ok(value) = serde_json::from_slice(&bytes) {
                return BodyContent::Json(value);
            }
        }
        BodyContent::text_or_bytes(bytes, content_type)
    }

    /// Text when the bytes are UTF-8 and the type is textual (or unknown),
    /// bytes otherwise.
    fn text_or_bytes(bytes: Vec<u8>, content_type: Option<&ContentType>) -> BodyContent {
        let textual = content_type.is_none_or(ContentType::is_text);
        match String::from_utf8(bytes) {
            Ok(text) if textual => BodyContent::Text(text),
            Ok(text) => BodyContent::Bytes(text.into_bytes()),
            Err(err) => BodyContent::Bytes(err.into_bytes()),
        }
    }

    /// The content as bytes on the wire (JSON serialised compactly).
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        match self {
            BodyContent::Json(value) => Cow::Owned(value.to_string().into_bytes()),
            BodyContent::Text(text) => Cow::Borrowed(text.as_bytes()),
            BodyContent::Bytes(bytes) => Cow::Borrowed(bytes),
        }
    }

    /// The content as text, when it is text (JSON is serialised).
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            BodyContent::Json(value) => Some(Cow::Owned(value.to_string())),
            BodyContent::Text(text) => Some(Cow::Borrowed(text)),
            BodyContent::Bytes(bytes) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        }
    }
}

/// Guesses a content type from content that has none declared.
pub(crate) fn sniff(content: &BodyContent) -> Option<ContentType> {
    let essence = match content {
        BodyContent::Json(_) => "application/json",
        BodyContent::Text(text) => sniff_text(text),
        BodyContent::Bytes(_) => "application/octet-stream",
    };
    ContentType::parse(essence)
}

fn sniff_text(text: &str) -> &'static str {
    let trimmed = text.trim_start();
    if trimmed.starts_with("<?xml")
        || (trimmed.starts_with('<') && !trimmed.starts_with("<!DOCTYPE html"))
    {
        "application/xml"
    } else if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<Value>(text).is_ok()
    {
        "application/json"
    } else {
        "text/plain"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_type_with_params() {
        let ct = ContentType::parse("Application/JSON; charset=\"UTF-8\"").unwrap();
        assert_eq!(ct.essence(), "application/json");
        assert_eq!(ct.param("Charset"), Some("UTF-8"));
        assert!(ct.is_json() && ct.is_text() && !ct.is_xml());
        assert!(ContentType::parse("application/hal+json")
            .unwrap()
            .is_json());
        assert!(ContentType::parse("garbage").is_none());
        assert!(ContentType::parse("/json").is_none());
    }

    #[test]
    fn bytes_are_read_by_content_type() {
        let json = ContentType::parse("application/json");
        let body = Body::from_bytes(br#"{"a":1}"#.to_vec(), json.clone());
        assert_eq!(
            body.content(),
            Some(&BodyContent::Json(serde_json::json!({"a": 1})))
        );
        let broken = Body::from_bytes(b"{nope".to_vec(), json);
        assert_eq!(broken.content(), Some(&BodyContent::Text("{nope".into())));
        let image = Body::from_bytes(vec![0xff, 0xd8], ContentType::parse("image/jpeg"));
        assert_eq!(image.content(), Some(&BodyContent::Bytes(vec![0xff, 0xd8])));
        assert_eq!(Body::from_bytes(vec![], None), Body::Empty);
    }

    #[test]
    fn sniffs_xml_and_json() {
        let xml = Body::from_bytes(b"<?xml version='1.0'?><a/>".to_vec(), None);
        assert!(xml.content_type().unwrap().is_xml());
        let json = Body::from_bytes(b"[1,2]".to_vec(), None);
        assert!(json.content_type().unwrap().is_json());
    }
}
