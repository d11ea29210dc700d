//! A JSON document parsed for reading only: one flat list of small items
//! whose strings are places in the text, instead of a tree of maps and
//! owned strings. Bodies held as text (a provider's answer, the expected
//! bodies a verifier reads from a contract) are parsed this way to be
//! matched: building and freeing serde_json's trees cost more than the
//! matching.

use std::fmt;

use serde::de;
use serde_json::{Map, Number, Value};

use super::view::{Json, View};
use crate::json_cursor::{members, Cursor, Walk};

/// A parsed JSON document borrowing from its text.
#[derive(Debug)]
pub(crate) struct Doc<'s> {
    text: &'s str,
    /// Every value in document order; an object's key comes before its
    /// value.
    items: Vec<Item>,
    /// Each container's children, one run per container: the positions of
    /// an array's elements, or of an object's keys sorted (each key once,
    /// the last occurrence winning, as in serde_json).
    children: Vec<u32>,
    /// The numbers, in document order.
    numbers: Vec<Number>,
    /// The strings with escapes, unescaped.
    unescaped: Vec<String>,
}

/// One value, or an object's key (12 bytes).
#[derive(Debug, Clone, Copy)]
enum Item {
    Null,
    Bool(bool),
    /// `numbers[n]`.
    Number(u32),
    String(Text),
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
    Key(Text),
}

/// A string: `len` bytes of the text from `at`, or, when `len` is
/// [`UNESCAPED`], `unescaped[at]`.
#[derive(Debug, Clone, Copy)]
struct Text {
    at: u32,
    len: u32,
}

const UNESCAPED: u32 = u32::MAX;

impl<'s> Doc<'s> {
    /// Parses JSON bytes, with serde_json's errors (and nesting limit).
    pub(crate) fn parse(bytes: &'s [u8]) -> Result<Doc<'s>, serde_json::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Doc::parse_str(text),
            Err(_) => Err(serde_error(serde_json::from_slice::<Value>(bytes).err())),
        }
    }

    /// [`Doc::parse`] for text.
    pub(crate) fn parse_str(text: &'s str) -> Result<Doc<'s>, serde_json::Error> {
        if u32::try_from(text.len()).is_err() {
            return Err(de::Error::custom(
                "a JSON body over 4 GiB cannot be matched",
            ));
        }
        let mut parser = Parser {
            cur: Cursor::new(text),
            depth: 0,
            doc: Doc {
                text,
                items: Vec::with_capacity(text.len() / 5 + 4),
                children: Vec::with_capacity(text.len() / 10 + 4),
                numbers: Vec::new(),
                unescaped: Vec::new(),
            },
            pending: Vec::new(),
        };
        match parser.document() {
            Some(()) => Ok(parser.doc),
            // Invalid JSON: serde_json says what and where.
            None => Err(serde_error(serde_json::from_str::<Value>(text).err())),
        }
    }

    /// The top-level value.
    pub(crate) fn root(&self) -> Node<'_> {
        Node { doc: self, at: 0 }
    }

    fn str(&self, text: Text) -> &str {
        match text.len {
            UNESCAPED => &self.unescaped[text.at as usize],
            len => &self.text[text.at as usize..(text.at + len) as usize],
        }
    }

    /// The key of the item at `at` ("" for anything else).
    fn key(&self, at: u32) -> &str {
        match self.items[at as usize] {
            Item::Key(key) => self.str(key),
            _ => "",
        }
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
    fn item(self) -> Item {
        self.doc.items[self.at as usize]
    }

    fn at(self, at: u32) -> Node<'a> {
        Node { doc: self.doc, at }
    }

    /// The children positions of a container; empty for anything else.
    fn children(self) -> &'a [u32] {
        match self.item() {
            Item::Array { from, len } | Item::Object { from, len } => {
                &self.doc.children[from as usize..(from + len) as usize]
            }
            _ => &[],
        }
    }

    fn key(self) -> &'a str {
        self.doc.key(self.at)
    }

    fn is_object(self) -> bool {
        matches!(self.item(), Item::Object { .. })
    }
}

impl<'a> Json<'a> for Node<'a> {
    fn view(self) -> View<'a, Self> {
        match self.item() {
            Item::Null | Item::Key(_) => View::Null,
            Item::Bool(b) => View::Bool(b),
            Item::Number(n) => View::Number(&self.doc.numbers[n as usize]),
            Item::String(s) => View::String(self.doc.str(s)),
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
            .binary_search_by(|&at| self.doc.key(at).cmp(key))
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

    fn address(self) -> usize {
        std::ptr::from_ref(&self.doc.items[self.at as usize]) as usize
    }
}

/// serde_json's error for text it refused; one of ours should it accept
/// what this parser refused (it does not: both follow RFC 8259 and stop
/// at the same depth).
fn serde_error(error: Option<serde_json::Error>) -> serde_json::Error {
    error.unwrap_or_else(|| de::Error::custom("JSON the matching engine cannot read"))
}

/// How deep arrays and objects may nest, as in serde_json.
const MAX_DEPTH: usize = 127;

/// A JSON reader straight into a [`Doc`]: strings without escapes are
/// places in the text, plain integers are read here; escaped strings and
/// other numbers are read by serde_json, so every value is the one it
/// reads. `None` for text that is not JSON.
struct Parser<'s> {
    cur: Cursor<'s>,
    depth: usize,
    doc: Doc<'s>,
    /// Children of the containers being read, innermost last.
    pending: Vec<u32>,
}

impl<'s> Walk<'s> for Parser<'s> {
    fn cursor(&mut self) -> &mut Cursor<'s> {
        &mut self.cur
    }
}

impl<'s> Parser<'s> {
    fn document(&mut self) -> Option<()> {
        self.value()?;
        self.cur.space();
        (self.cur.at == self.cur.text.len()).then_some(())
    }

    /// Where the next item goes (the text is under 4 GiB, and has more
    /// bytes than items).
    fn position(&self) -> u32 {
        self.doc.items.len() as u32
    }

    fn value(&mut self) -> Option<()> {
        self.cur.space();
        let item = match self.cur.peek()? {
            b'{' => return self.container(b'}'),
            b'[' => return self.container(b']'),
            b'"' => Item::String(self.string()?),
            b't' => self.literal("true", Item::Bool(true))?,
            b'f' => self.literal("false", Item::Bool(false))?,
            b'n' => self.literal("null", Item::Null)?,
            _ => {
                let number = self.number()?;
                self.doc.numbers.push(number);
                Item::Number(self.doc.numbers.len() as u32 - 1)
            }
        };
        self.doc.items.push(item);
        Some(())
    }

    /// An array or object (closed by `close`), its children read.
    fn container(&mut self, close: u8) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.cur.at += 1;
        let at = self.position();
        self.doc.items.push(Item::Null);
        let base = self.pending.len();
        members(self, close, |parser| {
            let position = parser.position();
            if close == b'}' {
                let key = parser.string()?;
                parser.doc.items.push(Item::Key(key));
                parser.cur.space();
                parser.cur.expect(b':')?;
            }
            parser.value()?;
            parser.pending.push(position);
            Some(())
        })?;
        self.close(at, close == b'}', base);
        self.depth -= 1;
        Some(())
    }

    /// Moves the children pending from `base` to the container at `at`.
    fn close(&mut self, at: u32, object: bool, base: usize) {
        let doc = &mut self.doc;
        let from = doc.children.len() as u32;
        let pending = &mut self.pending[base..];
        let sorted = |p: &[u32]| p.windows(2).all(|w| doc.key(w[0]) < doc.key(w[1]));
        if !object || sorted(pending) {
            // Arrays, and objects whose keys come sorted, each once (as
            // serde_json's maps are written): kept in order.
            doc.children.extend_from_slice(pending);
        } else {
            // Sorted by key, the later of equal keys first, so the first of
            // each run is the one kept.
            pending.sort_unstable_by(|&x, &y| doc.key(x).cmp(doc.key(y)).then(y.cmp(&x)));
            let mut last: Option<u32> = None;
            for &p in pending.iter() {
                if last.is_none_or(|l| doc.key(l) != doc.key(p)) {
                    doc.children.push(p);
                    last = Some(p);
                }
            }
        }
        self.pending.truncate(base);
        let len = doc.children.len() as u32 - from;
        doc.items[at as usize] = if object {
            Item::Object { from, len }
        } else {
            Item::Array { from, len }
        };
    }

    /// A string at the cursor (its opening quote).
    // Inlined: returned through memory, the result was stored as two
    // 4-byte halves and loaded back whole, a load the CPU cannot forward
    // from the stores (a stall on every key).
    #[inline(always)]
    fn string(&mut self) -> Option<Text> {
        let start = self.cur.at;
        self.cur.expect(b'"')?;
        let bytes = self.cur.text.as_bytes();
        let mut escaped = false;
        loop {
            match *bytes.get(self.cur.at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.cur.at += 2;
                }
                // Control characters must be escaped.
                0..0x20 => return None,
                _ => self.cur.at += 1,
            }
        }
        self.cur.at += 1;
        if !escaped {
            return Some(Text {
                at: start as u32 + 1,
                len: (self.cur.at - start - 2) as u32,
            });
        }
        let unescaped = serde_json::from_str(self.cur.text.get(start..self.cur.at)?).ok()?;
        self.doc.unescaped.push(unescaped);
        Some(Text {
            at: self.doc.unescaped.len() as u32 - 1,
            len: UNESCAPED,
        })
    }

    fn literal(&mut self, word: &str, item: Item) -> Option<Item> {
        let found = self.cur.rest().starts_with(word.as_bytes());
        self.cur.at += word.len();
        found.then_some(item)
    }

    /// A number (RFC 8259's grammar): integers of up to 18 digits read
    /// here, others by serde_json (which turns `-0` and integers past 64
    /// bits into floats).
    fn number(&mut self) -> Option<Number> {
        let start = self.cur.at;
        let negative = self.cur.peek() == Some(b'-');
        if negative {
            self.cur.at += 1;
        }
        let int_start = self.cur.at;
        match self.cur.peek()? {
            b'0' => self.cur.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let int_digits = &self.cur.text.as_bytes()[int_start..self.cur.at];
        let mut float = false;
        if self.cur.peek() == Some(b'.') {
            self.cur.at += 1;
            self.some_digits()?;
            float = true;
        }
        if matches!(self.cur.peek(), Some(b'e' | b'E')) {
            self.cur.at += 1;
            if matches!(self.cur.peek(), Some(b'+' | b'-')) {
                self.cur.at += 1;
            }
            self.some_digits()?;
            float = true;
        }
        if !float && int_digits.len() <= 18 {
            let n = int_digits
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            if !negative {
                return Some(n.into());
            }
            if n != 0 {
                // At most 18 digits: within i64.
                return Some((-i64::try_from(n).ok()?).into());
            }
        }
        serde_json::from_str(&self.cur.text[start..self.cur.at]).ok()
    }

    fn digits(&mut self) {
        let rest = &self.cur.rest();
        self.cur.at += rest
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(rest.len());
    }

    /// At least one digit.
    fn some_digits(&mut self) -> Option<()> {
        let from = self.cur.at;
        self.digits();
        (self.cur.at > from).then_some(())
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
    fn numbers_strings_and_depth_are_read_as_serde_json_reads_them() {
        let deepest_allowed = "[".repeat(127) + &"]".repeat(127);
        let too_deep = "[".repeat(128) + &"]".repeat(128);
        let texts = [
            "0",
            "-0",
            "-1",
            "123456789012345678",
            "-123456789012345678",
            "1234567890123456789",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "-0.0",
            "1e3",
            "1E+3",
            "2.5e-3",
            "1e400",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "0x10",
            r#""a\"b""#,
            r#""\u00e9\ud83d\ude00""#,
            r#""\ud800""#,
            r#""\q""#,
            "\"tab\there\"",
            "\"é ✓\"",
            r#"{"a":1,}"#,
            "[1 2]",
            "tru",
            "nul",
            " \n\t[true , false,null ] ",
            &deepest_allowed,
            &too_deep,
        ];
        for text in texts {
            let ours = Doc::parse_str(text).map(|doc| doc.root().to_value());
            let theirs = serde_json::from_str::<Value>(text);
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text}"),
                (Err(ours), Err(theirs)) => {
                    assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
                }
                (ours, theirs) => panic!("{text}: ours {ours:?}, serde_json {theirs:?}"),
            }
        }
        let invalid_utf8 = b"[\"\xff\"]";
        let ours = Doc::parse(invalid_utf8).unwrap_err().to_string();
        let theirs = serde_json::from_slice::<Value>(invalid_utf8)
            .unwrap_err()
            .to_string();
        assert_eq!(ours, theirs);
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

    /// JSON-like text: fragments of JSON glued at random, valid or not.
    fn jsonish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just(" ".to_owned()),
            Just("\"k\"".to_owned()),
            Just("\"a\\\"b\"".to_owned()),
            Just("\"\\u00e9\"".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("null".to_owned()),
            Just("tru".to_owned()),
            Just("true".to_owned()),
            Just("-0".to_owned()),
            Just("1.5e3".to_owned()),
            Just("12345678901234567890".to_owned()),
            "[a-z0-9é\\x00-\\x1f]{0,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        /// Any text: no panic, and the same verdict and value as serde_json.
        #[test]
        fn any_text_is_read_as_serde_json_reads_it(text in jsonish()) {
            let ours = Doc::parse_str(&text).map(|doc| doc.root().to_value());
            let theirs = serde_json::from_str::<Value>(&text);
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => proptest::prop_assert_eq!(ours, theirs),
                (Err(ours), Err(theirs)) => {
                    proptest::prop_assert_eq!(ours.to_string(), theirs.to_string());
                }
                (ours, theirs) => proptest::prop_assert!(false, "{:?} {:?}", ours, theirs),
            }
        }
    }
}
