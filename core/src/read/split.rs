//! Splitting JSON text into its pieces without parsing them: an object's
//! fields and an array's elements, each as text.
//!
//! Large contracts are read in parts, their interactions on several
//! threads, and finding the parts is one fast walk over the bytes that
//! tracks strings and brackets only. The punctuation between the pieces is
//! checked here; the pieces themselves are not: the caller parses each one,
//! and JSON whose pieces and punctuation are all valid is valid whole.

use std::borrow::Cow;

use crate::json_cursor::{self, Cursor, Walk};

/// A cursor over JSON text that remembers how deep arrays and objects
/// nest.
pub(super) struct Splitter<'a> {
    cur: Cursor<'a>,
    /// How deep the cursor is: 1 inside the outermost array or object.
    depth: usize,
    /// The deepest nesting met.
    pub(super) deepest: usize,
}

impl<'a> Walk<'a> for Splitter<'a> {
    fn cursor(&mut self) -> &mut Cursor<'a> {
        &mut self.cur
    }
}

impl<'a> Splitter<'a> {
    pub(super) fn new(text: &'a str) -> Splitter<'a> {
        Splitter {
            cur: Cursor::new(text),
            depth: 0,
            deepest: 0,
        }
    }

    /// Walks the object starting here: `field` is called with each key and
    /// the cursor on its value, which it must move past (with
    /// [`Splitter::value`] or by walking it). The object's text.
    pub(super) fn object_with(
        &mut self,
        mut field: impl FnMut(Cow<'a, str>, &mut Self) -> Option<()>,
    ) -> Option<&'a str> {
        self.members(b'{', b'}', |s| {
            let key = s.key()?;
            s.cur.space();
            s.cur.expect(b':')?;
            s.cur.space();
            field(key, s)
        })
    }

    /// Walks the array starting here: `element` is called with the cursor
    /// on each element, which it must move past. The array's text.
    pub(super) fn array_with(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<&'a str> {
        self.members(b'[', b']', |s| element(s))
    }

    /// The first byte of the value starting here (after any space).
    pub(super) fn peek_value(&mut self) -> Option<u8> {
        self.cur.space();
        self.cur.peek()
    }

    /// Past `open member (, member)* close`; its text.
    fn members(
        &mut self,
        open: u8,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<&'a str> {
        self.cur.space();
        let start = self.cur.at;
        self.cur.expect(open)?;
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        json_cursor::members(self, close, &mut member)?;
        self.depth -= 1;
        Some(&self.cur.text[start..self.cur.at])
    }

    /// Only space is left.
    pub(super) fn end(&mut self) -> Option<()> {
        self.cur.space();
        (self.cur.at == self.cur.text.len()).then_some(())
    }

    /// An object key, unescaped.
    fn key(&mut self) -> Option<Cow<'a, str>> {
        let start = self.cur.at;
        self.cur.expect(b'"')?;
        self.skip_string()?;
        let quoted = &self.cur.text[start..self.cur.at];
        let inner = &quoted[1..quoted.len() - 1];
        if inner.contains('\\') {
            return serde_json::from_str(quoted).ok().map(Cow::Owned);
        }
        // Control characters must be escaped.
        (!inner.bytes().any(|b| b < 0x20)).then_some(Cow::Borrowed(inner))
    }

    /// The text of the value starting here (not checked), the cursor past
    /// it.
    pub(super) fn value(&mut self) -> Option<&'a str> {
        self.cur.space();
        let start = self.cur.at;
        match self.cur.peek()? {
            b'"' => {
                self.cur.at += 1;
                self.skip_string()?;
            }
            b'{' | b'[' => self.skip_container()?,
            _ => {
                let rest = &self.cur.rest();
                self.cur.at += rest
                    .iter()
                    .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
            }
        }
        (self.cur.at > start).then(|| &self.cur.text[start..self.cur.at])
    }

    /// Past the closing quote of the string whose opening quote is behind.
    fn skip_string(&mut self) -> Option<()> {
        let bytes = self.cur.text.as_bytes();
        let mut i = self.cur.at;
        loop {
            match *bytes.get(i)? {
                b'"' => break,
                // The escaped byte is skipped, a quote or backslash
                // included; `\uXXXX` has neither after the `u`.
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        self.cur.at = i + 1;
        Some(())
    }

    /// Past the bracket closing the array or object that starts here.
    fn skip_container(&mut self) -> Option<()> {
        let bytes = self.cur.text.as_bytes();
        let mut depth = 0usize;
        let mut i = self.cur.at;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            match b {
                b'"' => {
                    self.cur.at = i;
                    self.skip_string()?;
                    i = self.cur.at;
                }
                b'[' | b'{' => {
                    depth += 1;
                    self.deepest = self.deepest.max(self.depth + depth);
                }
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.cur.at = i;
                        return Some(());
                    }
                }
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// An object's key (unescaped) and its value's text.
    type Field<'a> = (Cow<'a, str>, &'a str);

    /// The object starting here, whole, and its fields.
    fn fields<'a>(s: &mut Splitter<'a>) -> Option<(&'a str, Vec<Field<'a>>)> {
        let mut fields = Vec::new();
        let text = s.object_with(|key, s| {
            fields.push((key, s.value()?));
            Some(())
        })?;
        Some((text, fields))
    }

    /// The fields of the object that is the whole text.
    fn object(text: &str) -> Option<Vec<(String, String)>> {
        let mut splitter = Splitter::new(text);
        let (_, fields) = fields(&mut splitter)?;
        splitter.end()?;
        Some(
            fields
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.to_owned()))
                .collect(),
        )
    }

    /// The elements of the array that is the whole text.
    fn array(text: &str) -> Option<Vec<&str>> {
        let mut splitter = Splitter::new(text);
        let mut elements = Vec::new();
        splitter.array_with(|s| {
            elements.push(s.value()?);
            Some(())
        })?;
        splitter.end()?;
        Some(elements)
    }

    #[test]
    fn splits_objects_and_arrays_into_their_text() {
        let text = r#" { "a" : [1, {"b": "]}\"["}] , "c\u0041":"x\\" ,"d":-1.5e3,"e":{}} "#;
        let fields = object(text).unwrap();
        let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "cA", "d", "e"]);
        assert_eq!(fields[0].1, r#"[1, {"b": "]}\"["}]"#);
        assert_eq!(fields[1].1, r#""x\\""#);
        assert_eq!(fields[2].1, "-1.5e3");
        assert_eq!(fields[3].1, "{}");
        let items = array(r#"[ {"x": [[]]}, "s", null ,[] ]"#).unwrap();
        assert_eq!(items, [r#"{"x": [[]]}"#, r#""s""#, "null", "[]"]);
        assert_eq!(array("[]").unwrap(), Vec::<&str>::new());
        assert_eq!(object("{}").unwrap(), vec![]);
    }

    #[test]
    fn every_piece_is_what_a_parser_finds() {
        let value = serde_json::json!({
            "interactions": [{"a": [1, 2, {"b": "x\"y"}]}, {"c": "\\"}, 3, "é"],
            "metadata": {"v": [true, false, null, 1e-3]}
        });
        for text in [
            value.to_string(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            for (key, piece) in object(&text).unwrap() {
                assert_eq!(serde_json::from_str::<Value>(&piece).unwrap(), value[&key]);
            }
        }
    }

    #[test]
    fn walks_into_the_values_it_is_told_to() {
        let text = r#"{"a": {"b": [1, {"c": 2}], "d": "x"}, "e": 3}"#;
        let mut seen = Vec::new();
        let mut splitter = Splitter::new(text);
        let whole = splitter
            .object_with(|key, s| {
                if key == "a" {
                    let (inner, fields) = fields(s)?;
                    seen.push(format!("a = {inner}"));
                    for (k, v) in fields {
                        seen.push(format!("a.{k} = {v}"));
                    }
                } else {
                    seen.push(format!("{key} = {}", s.value()?));
                }
                Some(())
            })
            .unwrap();
        assert_eq!(whole, text);
        assert_eq!(
            seen,
            [
                r#"a = {"b": [1, {"c": 2}], "d": "x"}"#,
                r#"a.b = [1, {"c": 2}]"#,
                r#"a.d = "x""#,
                "e = 3"
            ]
        );
        assert_eq!(splitter.deepest, 4);
    }

    #[test]
    fn tracks_the_deepest_nesting() {
        let mut splitter = Splitter::new(r#"{"a": [[{"b": "[[[["}]], "c": 1}"#);
        fields(&mut splitter).unwrap();
        assert_eq!(splitter.deepest, 4);
    }

    #[test]
    fn refuses_what_is_not_an_object_or_array_of_json_punctuation() {
        for bad in [
            "",
            "[1]",
            "{",
            r#"{"a" 1}"#,
            r#"{"a": 1,}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"a": 1} x"#,
            r#"{a: 1}"#,
            "{\"a\u{1}\": 1}",
            r#"{"a": [1, 2}"#,
            r#"{"a": "unterminated}"#,
            r#"{"a": "\"#,
            r#"{"a": }"#,
        ] {
            assert!(object(bad).is_none(), "{bad:?}");
        }
        assert!(array("[1,]").is_none());
        assert!(array("{}").is_none());
    }

    proptest::proptest! {
        /// Any text: no panic; what it accepts as an object's fields, serde
        /// parses piece by piece to what it parses whole.
        #[test]
        fn any_text_splits_without_panic_and_valid_pieces_are_the_parsers(
            text in "[{}\\[\\]\",: a1\\\\é-]{0,40}"
        ) {
            if let Some(fields) = object(&text) {
                let whole = serde_json::from_str::<Value>(&text);
                let pieces: Option<Vec<Value>> =
                    fields.iter().map(|(_, v)| serde_json::from_str(v).ok()).collect();
                if let (Ok(Value::Object(whole)), Some(pieces)) = (whole, pieces) {
                    for ((key, _), piece) in fields.iter().zip(pieces) {
                        if fields.iter().filter(|(k, _)| k == key).count() == 1 {
                            proptest::prop_assert_eq!(&whole[key], &piece);
                        }
                    }
                }
            }
            let _ = array(&text);
        }
    }
}
