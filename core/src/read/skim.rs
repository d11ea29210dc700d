//! Skimming an interaction: one pass of serde_json over its text checks
//! it whole and builds it, except the object and array contents of the
//! bodies a verifier only matches (an HTTP response's body, a message's
//! contents, a synchronous message's responses). Those are passed over as
//! text, left out, and their places hold empty objects or arrays.
//!
//! Reading a skimmed interaction reports what reading it whole reports,
//! since such contents never have problems of their own (see
//! `body::read`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The visitor methods of scalars: their `Value` (null, a boolean, a
/// number or a string), as `wrap` gives it back.
macro_rules! scalars {
    ($out:ty, |$value:ident| $wrap:expr) => {
        fn visit_unit<E>(self) -> Result<$out, E> {
            let $value = Value::Null;
            Ok($wrap)
        }

        fn visit_bool<E>(self, v: bool) -> Result<$out, E> {
            let $value = Value::Bool(v);
            Ok($wrap)
        }

        fn visit_i64<E>(self, v: i64) -> Result<$out, E> {
            let $value = Value::from(v);
            Ok($wrap)
        }

        fn visit_u64<E>(self, v: u64) -> Result<$out, E> {
            let $value = Value::from(v);
            Ok($wrap)
        }

        fn visit_f64<E>(self, v: f64) -> Result<$out, E> {
            let $value = Value::from(v);
            Ok($wrap)
        }

        fn visit_str<E>(self, v: &str) -> Result<$out, E> {
            let $value = Value::String(v.to_owned());
            Ok($wrap)
        }

        fn visit_string<E>(self, v: String) -> Result<$out, E> {
            let $value = Value::String(v);
            Ok($wrap)
        }
    };
}

/// Where in an interaction a body left out belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// `/response/body`: an HTTP response's.
    ResponseBody,
    /// `/contents`: an asynchronous message's.
    Contents,
    /// `/response/N/contents` (or `/response/contents`): a synchronous
    /// message's response N.
    ResponseContents(usize),
}

/// An interaction's JSON with the bodies left out, and their text.
pub(super) struct Skimmed<'a> {
    pub(super) value: Value,
    pub(super) left_out: Vec<(Place, &'a str)>,
}

/// `raw` skimmed; `None` if it is not JSON (or, rarely, when a body's text
/// cannot be told apart: see [`Text::body`]). V4 bodies may be wrappers
/// (`wrappers`).
pub(super) fn skim(raw: &str, wrappers: bool) -> Option<Skimmed<'_>> {
    let mut de = serde_json::Deserializer::from_str(raw);
    let skimmed = if raw.trim_start().starts_with('{') {
        let text = Text { raw, wrappers };
        de.deserialize_map(InteractionVisitor(text)).ok()?
    } else {
        Skimmed {
            value: Value::deserialize(&mut de).ok()?,
            left_out: Vec::new(),
        }
    };
    de.end().ok()?;
    Some(skimmed)
}

/// The interaction's text, which the bodies left out are slices of.
#[derive(Clone, Copy)]
struct Text<'a> {
    raw: &'a str,
    wrappers: bool,
}

impl<'a> Text<'a> {
    /// The object or array enclosing members that run from byte `first` to
    /// byte `end` of the text: only space may stand between `open` and the
    /// first member, and between the last member and `close`.
    ///
    /// `None` where a member is not a slice of the text.
    fn enclosing(self, first: *const u8, end: *const u8, open: u8, close: u8) -> Option<&'a str> {
        let base = self.raw.as_ptr() as usize;
        let bytes = self.raw.as_bytes();
        let first = (first as usize).checked_sub(base)?;
        let end = (end as usize).checked_sub(base)?;
        let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let start = first
            - bytes
                .get(..first)?
                .iter()
                .rev()
                .take_while(|b| space(b))
                .count();
        let stop = end + bytes.get(end..)?.iter().take_while(|b| space(b)).count();
        (start > 0 && bytes[start - 1] == open && bytes.get(stop) == Some(&close))
            .then(|| self.raw.get(start - 1..stop + 1))
            .flatten()
    }

    /// The text of a body left out, an object or array whose members run
    /// from `first` to `end`, checked. `first` is `None` for an object
    /// whose first key has escapes (serde_json gives an unescaped copy of
    /// it, not a slice of the text): such a body cannot be placed, and the
    /// error has the file read whole instead.
    fn body<E: serde::de::Error>(
        self,
        first: Option<*const u8>,
        end: *const u8,
        open: u8,
        close: u8,
    ) -> Result<&'a str, E> {
        first
            .and_then(|first| self.enclosing(first, end, open, close))
            .ok_or_else(|| E::custom(UNPLACED))
            .and_then(checked)
    }
}

/// A key, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}

/// The interaction object: its `contents` (an asynchronous message's) and
/// `response` skimmed, the rest built.
struct InteractionVisitor<'a>(Text<'a>);

impl<'a> Visitor<'a> for InteractionVisitor<'a> {
    type Value = Skimmed<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an interaction")
    }

    fn visit_map<M: MapAccess<'a>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut out = Map::new();
        let mut left_out = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            // A key given twice counts once, the last time (as in
            // serde_json).
            let under = |place: &Place| match place {
                Place::Contents => "contents",
                Place::ResponseBody | Place::ResponseContents(_) => "response",
            };
            left_out.retain(|(place, _): &(Place, &str)| under(place) != key);
            let value = match &*key {
                "contents" => {
                    let (value, text) = map.next_value_seed(BodySeed(self.0))?;
                    left_out.extend(text.map(|text| (Place::Contents, text)));
                    value
                }
                "response" => {
                    let (value, texts) = map.next_value_seed(ResponseSeed(self.0))?;
                    left_out.extend(texts);
                    value
                }
                _ => map.next_value()?,
            };
            out.insert(key.into_owned(), value);
        }
        Ok(Skimmed {
            value: Value::Object(out),
            left_out,
        })
    }
}

/// The bodies left out of a response (or of a synchronous message's
/// responses).
type Texts<'a> = Vec<(Place, &'a str)>;

/// An interaction's `response`: an HTTP response, a synchronous message's
/// response or list of them.
struct ResponseSeed<'a>(Text<'a>);

impl<'a> DeserializeSeed<'a> for ResponseSeed<'a> {
    type Value = (Value, Texts<'a>);

    fn deserialize<D: Deserializer<'a>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for ResponseSeed<'a> {
    type Value = (Value, Texts<'a>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response")
    }

    fn visit_map<M: MapAccess<'a>>(self, map: M) -> Result<Self::Value, M::Error> {
        let (value, [body, contents]) = part(self.0, map, ["body", "contents"])?;
        let texts = body
            .map(|text| (Place::ResponseBody, text))
            .into_iter()
            .chain(contents.map(|text| (Place::ResponseContents(0), text)))
            .collect();
        Ok((value, texts))
    }

    fn visit_seq<S: SeqAccess<'a>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut parts = Vec::new();
        let mut texts = Vec::new();
        while let Some((value, contents)) = seq.next_element_seed(PartSeed(self.0))? {
            texts.extend(contents.map(|text| (Place::ResponseContents(parts.len()), text)));
            parts.push(value);
        }
        Ok((Value::Array(parts), texts))
    }

    scalars!((Value, Texts<'a>), |value| (value, Vec::new()));
}

/// An element of a synchronous message's list of responses.
struct PartSeed<'a>(Text<'a>);

impl<'a> DeserializeSeed<'a> for PartSeed<'a> {
    type Value = (Value, Option<&'a str>);

    fn deserialize<D: Deserializer<'a>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for PartSeed<'a> {
    type Value = (Value, Option<&'a str>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response")
    }

    fn visit_map<M: MapAccess<'a>>(self, map: M) -> Result<Self::Value, M::Error> {
        let (value, [contents]) = part(self.0, map, ["contents"])?;
        Ok((value, contents))
    }

    fn visit_seq<S: SeqAccess<'a>>(self, seq: S) -> Result<Self::Value, S::Error> {
        Ok((Value::deserialize(SeqAccessDeserializer::new(seq))?, None))
    }

    scalars!((Value, Option<&'a str>), |value| (value, None));
}

/// A response object with the bodies under `keys` skimmed, and the text
/// left out of each.
fn part<'a, M: MapAccess<'a>, const N: usize>(
    text: Text<'a>,
    mut map: M,
    keys: [&str; N],
) -> Result<(Value, [Option<&'a str>; N]), M::Error> {
    let mut left_out = [None; N];
    let mut out = Map::new();
    while let Some(key) = map.next_key_seed(Key)? {
        let value = match keys.iter().position(|k| *k == key) {
            Some(n) => {
                let (value, body) = map.next_value_seed(BodySeed(text))?;
                left_out[n] = body;
                value
            }
            None => map.next_value()?,
        };
        out.insert(key.into_owned(), value);
    }
    Ok((Value::Object(out), left_out))
}

/// A body: an object or array left out (empty in its place); a V4 wrapper
/// (an object with `content`, when wrappers are read) keeps its other
/// fields, its content left out likewise.
struct BodySeed<'a>(Text<'a>);

impl<'a> DeserializeSeed<'a> for BodySeed<'a> {
    type Value = (Value, Option<&'a str>);

    fn deserialize<D: Deserializer<'a>>(self, de: D) -> Result<Self::Value, D::Error> {
        if !self.0.wrappers {
            return left_out(<&RawValue>::deserialize(de)?.get());
        }
        de.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for BodySeed<'a> {
    type Value = (Value, Option<&'a str>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a body")
    }

    fn visit_map<M: MapAccess<'a>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        // Each key once, the last occurrence winning; the first key's place
        // (when it has no escapes) and the last value's end are where the
        // object's text starts and ends.
        let mut fields: BTreeMap<Cow<'a, str>, &'a str> = BTreeMap::new();
        let mut first = None;
        let mut end = None;
        while let Some(key) = map.next_key_seed(Key)? {
            if first.is_none() {
                first = Some(match &key {
                    Cow::Borrowed(key) => Some(key.as_ptr().wrapping_sub(1)),
                    Cow::Owned(_) => None,
                });
            }
            let value = map.next_value::<&'a RawValue>()?.get();
            end = Some(value.as_bytes().as_ptr_range().end);
            fields.insert(key, value);
        }
        if !fields.contains_key("content") {
            // Not a wrapper: the whole object is the body.
            let (Some(first), Some(end)) = (first, end) else {
                return Ok((Value::Object(Map::new()), None));
            };
            let text = self.0.body(first, end, b'{', b'}')?;
            return Ok((Value::Object(Map::new()), Some(text)));
        }
        let mut out = Map::new();
        let mut content = None;
        for (key, value) in fields {
            let value = if key == "content" {
                let (value, text) = left_out(value)?;
                content = text;
                value
            } else {
                serde_json::from_str(value).map_err(serde::de::Error::custom)?
            };
            out.insert(key.into_owned(), value);
        }
        Ok((Value::Object(out), content))
    }

    fn visit_seq<S: SeqAccess<'a>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut first = None;
        let mut end = None;
        while let Some(element) = seq.next_element::<&RawValue>()? {
            let element = element.get().as_bytes().as_ptr_range();
            first.get_or_insert(element.start);
            end = Some(element.end);
        }
        let (Some(first), Some(end)) = (first, end) else {
            return Ok((Value::Array(Vec::new()), None));
        };
        let text = self.0.body(Some(first), end, b'[', b']')?;
        Ok((Value::Array(Vec::new()), Some(text)))
    }

    scalars!((Value, Option<&'a str>), |value| (value, None));
}

/// Why a skim fails where the text is JSON: the caller reads the file
/// whole instead.
const UNPLACED: &str = "a body's text could not be placed";

/// A body's text: left out when an object or array, parsed otherwise.
fn left_out<E: serde::de::Error>(text: &str) -> Result<(Value, Option<&str>), E> {
    match text.as_bytes().first() {
        Some(b'{') => Ok((Value::Object(Map::new()), Some(checked(text)?))),
        Some(b'[') => Ok((Value::Array(Vec::new()), Some(checked(text)?))),
        _ => Ok((serde_json::from_str(text).map_err(E::custom)?, None)),
    }
}

/// The text of a body left out, refused where reading it whole refuses
/// it: serde_json passes over `\u` escapes without decoding them, lone
/// surrogates included, so text with such escapes is read whole to check.
fn checked<E: serde::de::Error>(text: &str) -> Result<&str, E> {
    if memchr::memmem::find(text.as_bytes(), b"\\u").is_some() {
        serde_json::from_str::<Value>(text).map_err(E::custom)?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The response body's place after skimming, and the JSON of the text
    /// left out of it.
    fn skimmed(body: &Value, pretty: bool, wrappers: bool) -> Option<(Value, Option<Value>)> {
        let interaction = json!({"description": "d", "request": {"method": "GET", "body": body},
                                 "response": {"status": 200, "body": body}});
        let text = if pretty {
            serde_json::to_string_pretty(&interaction).unwrap()
        } else {
            interaction.to_string()
        };
        let Skimmed { value, left_out } = skim(&text, wrappers)?;
        assert_eq!(value["request"], interaction["request"], "kept whole");
        let texts: Vec<Value> = left_out
            .iter()
            .map(|(place, text)| {
                assert_eq!(*place, Place::ResponseBody);
                serde_json::from_str(text).unwrap()
            })
            .collect();
        assert!(texts.len() <= 1);
        Some((value["response"]["body"].clone(), texts.into_iter().next()))
    }

    #[test]
    fn objects_and_arrays_of_bodies_are_left_out_as_their_text() {
        let object = json!({"lines": [{"sku": "A"}], "total": 2});
        let array = json!([{"x": 1}, 2]);
        for pretty in [false, true] {
            let wrapped =
                |content: &Value| json!({"content": content, "contentType": "application/json"});
            let emptied =
                |content: Value| json!({"content": content, "contentType": "application/json"});
            let cases = [
                (
                    wrapped(&object),
                    true,
                    emptied(json!({})),
                    Some(object.clone()),
                ),
                (
                    wrapped(&array),
                    true,
                    emptied(json!([])),
                    Some(array.clone()),
                ),
                (wrapped(&json!("text")), true, wrapped(&json!("text")), None),
                (object.clone(), true, json!({}), Some(object.clone())),
                (array.clone(), true, json!([]), Some(array.clone())),
                (object.clone(), false, json!({}), Some(object.clone())),
                (wrapped(&array), false, json!({}), Some(wrapped(&array))),
                (array.clone(), false, json!([]), Some(array.clone())),
                (json!({}), true, json!({}), None),
                (json!([]), true, json!([]), None),
                (json!("text"), true, json!("text"), None),
                (json!(null), false, json!(null), None),
            ];
            for (body, wrappers, place, text) in cases {
                assert_eq!(
                    skimmed(&body, pretty, wrappers),
                    Some((place, text)),
                    "{body} (pretty: {pretty}, wrappers: {wrappers})"
                );
            }
        }
    }

    /// An object body (no wrapper) whose first key has escapes cannot be
    /// placed in the text: the caller reads the file whole.
    #[test]
    fn a_body_object_whose_first_key_has_escapes_is_not_skimmed() {
        let body = json!({"a\"b": 1, "c": 2});
        assert_eq!(skimmed(&body, false, true), None);
        // Keys come sorted out of `json!`: this one's escaped key is second.
        let later = r#"{"response": {"body": { "c": 2, "a\"b": 1 }}}"#;
        let Skimmed { left_out, .. } = skim(later, true).unwrap();
        assert_eq!(
            left_out,
            [(Place::ResponseBody, r#"{ "c": 2, "a\"b": 1 }"#)]
        );
    }

    #[test]
    fn text_that_is_not_json_is_not_skimmed() {
        for bad in [
            r#"{"response": {"body": {"a": 1,}}}"#,
            r#"{"response": {"body": [1 2]}}"#,
            r#"{"response": {"body": {"content": {"a": }}}}"#,
            r#"{"contents": "\u12"}"#,
            r#"{"response": [{"contents": [1,]}]}"#,
            r#"{"description": "d"} x"#,
            r#"{"description": "d""#,
            // Lone surrogates, in each kind of body left out.
            r#"{"response": {"body": {"content": {"a": "\ud800"}}}}"#,
            r#"{"response": {"body": ["\udc00"]}}"#,
            r#"{"response": {"body": {"a": "\ud800"}}}"#,
            r#"{"contents": {"a": "\ud800"}}"#,
        ] {
            assert!(skim(bad, true).is_none(), "{bad}");
        }
    }

    /// The skimmed value with the texts left out parsed and put back.
    fn put_back(skimmed: Skimmed<'_>, wrappers: bool) -> Value {
        let Skimmed {
            mut value,
            left_out,
        } = skimmed;
        for (place, text) in left_out {
            let parsed: Value = serde_json::from_str(text).unwrap();
            let target = match place {
                Place::Contents => &mut value["contents"],
                Place::ResponseBody => &mut value["response"]["body"],
                Place::ResponseContents(i) if value["response"].is_array() => {
                    &mut value["response"][i]["contents"]
                }
                Place::ResponseContents(_) => &mut value["response"]["contents"],
            };
            match target.get_mut("content") {
                Some(content) if wrappers => *content = parsed,
                _ => *target = parsed,
            }
        }
        value
    }

    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            "[a-z\"\\\\é]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            let key = prop_oneof![Just("content".to_owned()), "[a-z\"]{0,3}"];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key, inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn any_interaction() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let part = || {
            (any_json(), any_json(), any::<bool>()).prop_map(|(body, contents, both)| {
                let mut part = json!({"status": 200, "body": body});
                if both {
                    part["contents"] = contents;
                }
                part
            })
        };
        let response = prop_oneof![
            part(),
            proptest::collection::vec(part(), 0..3).prop_map(Value::Array),
            any_json(),
        ];
        (response, any_json(), any_json()).prop_map(|(response, contents, other)| {
            json!({"description": "d", "response": response, "contents": contents, "other": other})
        })
    }

    proptest::proptest! {
        /// Put back, the texts left out give the interaction read whole.
        #[test]
        fn skimmed_and_put_back_is_the_interaction(
            interaction in any_interaction(),
            pretty in proptest::prelude::any::<bool>(),
            wrappers in proptest::prelude::any::<bool>(),
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&interaction).unwrap()
            } else {
                interaction.to_string()
            };
            match skim(&text, wrappers) {
                Some(skimmed) => proptest::prop_assert_eq!(put_back(skimmed, wrappers), interaction),
                // Only a body object whose first key has escapes is not
                // placed.
                None => proptest::prop_assert!(text.contains("\\\""), "{}", text),
            }
        }

        /// Any text: no panic, and nothing serde_json refuses is skimmed.
        #[test]
        fn text_skimmed_is_json(text in "[{}\\[\\],: \"a-z0-9\\\\]{0,40}") {
            if skim(&text, true).is_some() {
                proptest::prop_assert!(serde_json::from_str::<Value>(&text).is_ok(), "{}", text);
            }
        }
    }
}
