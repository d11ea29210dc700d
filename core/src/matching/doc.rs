//! A JSON document parsed for reading only: one flat list of items that
//! borrows its strings from the text, instead of a tree of maps and owned
//! strings. Bodies held as text (a provider's answer, the expected bodies
//! a verifier reads from a contract) are parsed this way to be matched:
//! building and freeing serde_json's trees cost more than the matching.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::view::{Json, View};

/// A parsed JSON document borrowing from its text.
#[derive(Debug)]
pub(crate) struct Doc<'s> {
    /// Every value in document order; an object's key comes before its
    /// value.
    items: Vec<Item<'s>>,
    /// Each container's children, one run per container: the positions of
    /// an array's elements, or of an object's keys sorted (each key once,
    /// the last occurrence winning, as in serde_json).
    children: Vec<u32>,
}

/// One value, or an object's key.
#[derive(Debug)]
enum Item<'s> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'s, str>),
    /// `children[from..from + len]`.
    Array {
        from: u32,
        len: u32,
    },
    /// `children[from..from + len]`, each a key whose value follows it.
    Object {
        from: u32,
        len: u32,
    },
    Key(Cow<'s, str>),
}

impl<'s> Doc<'s> {
    /// Parses JSON bytes, with serde_json's errors (and nesting limit).
    pub(crate) fn parse(bytes: &'s [u8]) -> Result<Doc<'s>, serde_json::Error> {
        Doc::read(serde_json::Deserializer::from_slice(bytes), bytes.len())
    }

    /// [`Doc::parse`] for text, whose strings need no UTF-8 check.
    pub(crate) fn parse_str(text: &'s str) -> Result<Doc<'s>, serde_json::Error> {
        Doc::read(serde_json::Deserializer::from_str(text), text.len())
    }

    fn read<R: serde_json::de::Read<'s>>(
        mut reader: serde_json::Deserializer<R>,
        len: usize,
    ) -> Result<Doc<'s>, serde_json::Error> {
        let mut builder = Builder {
            items: Vec::with_capacity(len / 6 + 4),
            children: Vec::new(),
            pending: Vec::new(),
        };
        Seed(&mut builder).deserialize(&mut reader)?;
        reader.end()?;
        Ok(Doc {
            items: builder.items,
            children: builder.children,
        })
    }

    /// The top-level value.
    pub(crate) fn root(&self) -> Node<'_> {
        Node { doc: self, at: 0 }
    }
}

/// A value inside a [`Doc`].
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    doc: &'a Doc<'a>,
    at: u32,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

impl<'a> Node<'a> {
    fn item(self) -> &'a Item<'a> {
        &self.doc.items[self.at as usize]
    }

    fn at(self, at: u32) -> Node<'a> {
        Node { doc: self.doc, at }
    }

    /// The children positions of a container; empty for anything else.
    fn children(self) -> &'a [u32] {
        match *self.item() {
            Item::Array { from, len } | Item::Object { from, len } => {
                &self.doc.children[from as usize..(from + len) as usize]
            }
            _ => &[],
        }
    }

    fn key(self) -> &'a str {
        match self.item() {
            Item::Key(key) => key,
            _ => "",
        }
    }

    fn is_object(self) -> bool {
        matches!(self.item(), Item::Object { .. })
    }
}

impl<'a> Json<'a> for Node<'a> {
    fn view(self) -> View<'a, Self> {
        match self.item() {
            Item::Null | Item::Key(_) => View::Null,
            Item::Bool(b) => View::Bool(*b),
            Item::Number(n) => View::Number(n),
            Item::String(s) => View::String(s),
            Item::Array { .. } => View::Array(self),
            Item::Object { .. } => View::Object(self),
        }
    }

    fn len(self) -> usize {
        self.children().len()
    }

    fn element(self, index: usize) -> Option<Self> {
        match self.item() {
            Item::Array { .. } => self.children().get(index).map(|&at| self.at(at)),
            _ => None,
        }
    }

    fn elements(self) -> impl Iterator<Item = Self> + 'a {
        let list = match self.item() {
            Item::Array { .. } => self.children(),
            _ => &[],
        };
        list.iter().map(move |&at| self.at(at))
    }

    fn get(self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        let keys = self.children();
        let found = keys
            .binary_search_by(|&at| self.at(at).key().cmp(key))
            .ok()?;
        Some(self.at(keys[found] + 1))
    }

    fn entries(self) -> impl Iterator<Item = (&'a str, Self)> + 'a {
        let keys = if self.is_object() {
            self.children()
        } else {
            &[]
        };
        keys.iter()
            .map(move |&at| (self.at(at).key(), self.at(at + 1)))
    }

    fn to_value(self) -> Value {
        match self.view() {
            View::Null => Value::Null,
            View::Bool(b) => Value::Bool(b),
            View::Number(n) => Value::Number(n.clone()),
            View::String(s) => Value::String(s.to_owned()),
            View::Array(_) => Value::Array(self.elements().map(Node::to_value).collect()),
            View::Object(_) => Value::Object(
                self.entries()
                    .map(|(k, v)| (k.to_owned(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

/// The document under construction.
struct Builder<'s> {
    items: Vec<Item<'s>>,
    children: Vec<u32>,
    /// Children of the containers being read, innermost last.
    pending: Vec<u32>,
}

impl<'s> Builder<'s> {
    fn position(&self) -> u32 {
        // serde_json cannot read a text of 4 GiB into memory as items of
        // 32 bytes first; positions fit.
        u32::try_from(self.items.len()).unwrap_or(u32::MAX)
    }

    /// Moves the children pending from `base` to the container at `at`.
    fn close(&mut self, at: u32, base: usize) {
        let Builder {
            items,
            children,
            pending,
        } = self;
        let from = u32::try_from(children.len()).unwrap_or(u32::MAX);
        let object = matches!(items[at as usize], Item::Object { .. });
        if object {
            let key = |at: u32| match &items[at as usize] {
                Item::Key(key) => key.as_ref(),
                _ => "",
            };
            // Sorted by key, the later of equal keys first, so the first of
            // each run is the one kept.
            pending[base..].sort_unstable_by(|&x, &y| key(x).cmp(key(y)).then(y.cmp(&x)));
            let mut last = None;
            for &p in &pending[base..] {
                if last != Some(key(p)) {
                    children.push(p);
                    last = Some(key(p));
                }
            }
        } else {
            children.extend_from_slice(&pending[base..]);
        }
        pending.truncate(base);
        let len = u32::try_from(children.len()).unwrap_or(u32::MAX) - from;
        items[at as usize] = if object {
            Item::Object { from, len }
        } else {
            Item::Array { from, len }
        };
    }
}

/// Reads one value into the builder.
struct Seed<'b, 's>(&'b mut Builder<'s>);

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<(), D::Error> {
        reader.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.items.push(Item::Null);
        Ok(())
    }

    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.0.items.push(Item::Bool(b));
        Ok(())
    }

    fn visit_i64<E>(self, n: i64) -> Result<(), E> {
        self.0.items.push(Item::Number(n.into()));
        Ok(())
    }

    fn visit_u64<E>(self, n: u64) -> Result<(), E> {
        self.0.items.push(Item::Number(n.into()));
        Ok(())
    }

    fn visit_f64<E>(self, n: f64) -> Result<(), E> {
        // serde_json reads no NaN or infinity from JSON text.
        let item = Number::from_f64(n).map_or(Item::Null, Item::Number);
        self.0.items.push(item);
        Ok(())
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<(), E> {
        self.0.items.push(Item::String(Cow::Borrowed(s)));
        Ok(())
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.0.items.push(Item::String(Cow::Owned(s.to_owned())));
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let builder = self.0;
        let at = builder.position();
        builder.items.push(Item::Array { from: 0, len: 0 });
        let base = builder.pending.len();
        loop {
            let position = builder.position();
            if seq.next_element_seed(Seed(builder))?.is_none() {
                break;
            }
            builder.pending.push(position);
        }
        builder.close(at, base);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let builder = self.0;
        let at = builder.position();
        builder.items.push(Item::Object { from: 0, len: 0 });
        let base = builder.pending.len();
        loop {
            let position = builder.position();
            let Some(key) = map.next_key_seed(KeySeed)? else {
                break;
            };
            builder.items.push(Item::Key(key));
            map.next_value_seed(Seed(builder))?;
            builder.pending.push(position);
        }
        builder.close(at, base);
        Ok(())
    }
}

/// Reads an object key, borrowed when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<Cow<'de, str>, D::Error> {
        reader.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(text: &str) -> Value {
        let value = Doc::parse_str(text).unwrap().root().to_value();
        assert_eq!(
            Doc::parse(text.as_bytes()).unwrap().root().to_value(),
            value
        );
        value
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"b": [1, -2, 3.5, 18446744073709551615], "a": {"z": null, "y": true}}"#,
            r#"[{"k\"ey": "v\u00e9\n"}, [], {}, "", 0]"#,
            r#""just a string""#,
            "12",
            r#"{"dup": 1, "x": 2, "dup": 3}"#,
        ] {
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(round_trip(text), expected, "{text}");
        }
    }

    #[test]
    fn objects_are_sorted_and_looked_up_by_key() {
        let doc = Doc::parse(br#"{"c": 3, "a": 1, "b": {"y": 2, "x": 1}, "a": 4}"#).unwrap();
        let root = doc.root();
        let keys: Vec<&str> = root.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(root.get("a").map(Node::to_value), Some(json!(4)));
        assert_eq!(
            root.get("b").and_then(|b| b.get("x")).map(Node::to_value),
            Some(json!(1))
        );
        assert!(root.get("d").is_none());
        assert_eq!(root.len(), 3);
        assert!(root.element(0).is_none());
    }

    #[test]
    fn arrays_index_their_elements() {
        let doc = Doc::parse(br#"[[1, [2]], {"a": [3]}, 4]"#).unwrap();
        let root = doc.root();
        assert_eq!(root.len(), 3);
        assert_eq!(root.element(2).map(Node::to_value), Some(json!(4)));
        assert_eq!(root.element(1).map(Node::to_value), Some(json!({"a": [3]})));
        assert!(root.element(3).is_none());
        assert!(root.get("a").is_none());
    }

    #[test]
    fn errors_are_serde_json_errors() {
        for text in ["{\"a\": }", "[1, 2", "{} x", ""] {
            let ours = Doc::parse(text.as_bytes()).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(Doc::parse(deep.as_bytes()).is_err());
    }
}
