/// Headers: names compared case-insensitively, each with one or more values,
/// in the order they were given.
///
/// Values are kept as written: a V3 file's `"Accept": "a, b"` stays one
/// value. Matching splits on commas only for headers defined as lists (see
/// [`Headers::is_list_header`]), so `Date`, `Expires` or a custom JSON header
/// is never split.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headers {
    entries: Vec<(String, Vec<String>)>,
}

/// Headers whose value is a comma-separated list by definition (RFC 9110 and
/// friends). Others are compared as one value.
const LIST_HEADERS: &[&str] = &[
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "accept-patch",
    "accept-post",
    "accept-ranges",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-expose-headers",
    "access-control-request-headers",
    "allow",
    "cache-control",
    "connection",
    "content-encoding",
    "content-language",
    "expect",
    "if-match",
    "if-none-match",
    "pragma",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "vary",
    "via",
    "x-forwarded-for",
];

impl Headers {
    /// No headers.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// True when a header name is defined as a comma-separated list.
    pub fn is_list_header(name: &str) -> bool {
        LIST_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
    }

    /// Adds a value, after the values already there for that name.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        match self.position(&name) {
            Some(i) => self.entries[i].1.push(value.into()),
            None => self.entries.push((name, vec![value.into()])),
        }
    }

    /// Sets the values of a header, replacing any there were.
    pub fn insert(&mut self, name: impl Into<String>, values: Vec<String>) {
        let name = name.into();
        match self.position(&name) {
            Some(i) => self.entries[i].1 = values,
            None => self.entries.push((name, values)),
        }
    }

    /// Removes a header; returns its values.
    pub fn remove(&mut self, name: &str) -> Option<Vec<String>> {
        self.position(name).map(|i| self.entries.remove(i).1)
    }

    /// The values of a header, if present.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.position(name).map(|i| self.entries[i].1.as_slice())
    }

    /// The first value of a header, if present.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// The values of a header as matching sees them: list headers split on
    /// commas and trimmed, other headers as given.
    pub fn values_for_matching(&self, name: &str) -> Option<Vec<&str>> {
        let values = self.get(name)?;
        Some(if Headers::is_list_header(name) {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect()
        } else {
            values.iter().map(|v| v.trim()).collect()
        })
    }

    /// True when there are no headers.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of distinct header names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Names and values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Headers {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut headers = Headers::new();
        for (k, v) in iter {
            headers.append(k, v);
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_values_accumulate() {
        let mut h = Headers::new();
        h.append("X-Test", "1");
        h.append("x-test", "2");
        assert_eq!(h.get("X-TEST").unwrap(), ["1", "2"]);
        assert_eq!(h.len(), 1);
        assert_eq!(h.iter().next().unwrap().0, "X-Test");
    }

    #[test]
    fn only_list_headers_are_split() {
        let h: Headers = [
            ("Accept", "a/b, c/d"),
            ("Date", "Tue, 15 Nov 1994 08:12:31 GMT"),
            ("X-Json", r#"{"a": 1, "b": 2}"#),
        ]
        .into_iter()
        .collect();
        assert_eq!(h.values_for_matching("accept").unwrap(), ["a/b", "c/d"]);
        assert_eq!(h.values_for_matching("date").unwrap().len(), 1);
        assert_eq!(h.values_for_matching("x-json").unwrap().len(), 1);
    }
}
