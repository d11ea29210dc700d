/// Query parameters: names with one or more values, in the order given.
///
/// V1 compared query strings as raw text, so a query read from a raw string
/// keeps that text in [`Query::raw`] for V1 matching.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Parameters in order of first appearance, values in order.
    pub params: Vec<(String, Vec<String>)>,
    /// The raw query string, when the query was read from one.
    pub raw: Option<String>,
}

impl Query {
    /// Parses a raw query string (`a=1&b=x%20y&a=2`), decoding `%XX` and `+`.
    pub fn parse(raw: &str) -> Query {
        let mut query = Query {
            params: Vec::new(),
            raw: Some(raw.to_owned()),
        };
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            query.append(Query::decode(name), Query::decode(value));
        }
        query
    }

    /// Adds a value for a parameter.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        match self.params.iter_mut().find(|(k, _)| *k == name) {
            Some((_, values)) => values.push(value.into()),
            None => self.params.push((name, vec![value.into()])),
        }
    }

    /// The values of a parameter.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The query as a string for a URL, values percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        for (name, values) in &self.params {
            for value in values {
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(&encode(name));
                out.push('=');
                out.push_str(&encode(value));
            }
        }
        out
    }

    /// Decodes `%XX` escapes and `+` (bad escapes are kept as written).
    pub fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_and_encoded_params() {
        let q = Query::parse("a=1&b=x%20y+z&a=2&flag&");
        assert_eq!(q.get("a").unwrap(), ["1", "2"]);
        assert_eq!(q.get("b").unwrap(), ["x y z"]);
        assert_eq!(q.get("flag").unwrap(), [""]);
        assert_eq!(q.raw.as_deref(), Some("a=1&b=x%20y+z&a=2&flag&"));
    }

    #[test]
    fn bad_percent_escapes_are_kept() {
        let q = Query::parse("a=%zz&b=%4");
        assert_eq!(q.get("a").unwrap(), ["%zz"]);
        assert_eq!(q.get("b").unwrap(), ["%4"]);
    }

    #[test]
    fn round_trips_through_a_query_string() {
        let q = Query::parse("a=1&a=2&b=x%26y");
        assert_eq!(Query::parse(&q.to_query_string()).params, q.params);
    }
}
