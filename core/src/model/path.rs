use std::cmp::Ordering;
use std::fmt;

/// One step of a [`DocPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathToken {
    /// `$`, the root of the document.
    Root,
    /// `.name` or `['name']`.
    Field(String),
    /// `[3]`.
    Index(usize),
    /// `[*]`: any array element.
    StarIndex,
    /// `.*`: any field (or element).
    Star,
}

/// A path into a document, as written in matching rules and generators:
/// `$.items[*].id`, `$['odd key']`, `$.alligator['@name']`, `$.a.#text`.
///
/// Kept with the text it was parsed from, which is also its identity: two
/// paths are equal and ordered by their text, so rules write back as read.
#[derive(Debug, Clone)]
pub struct DocPath {
    source: String,
    tokens: Vec<PathToken>,
}

/// Why a path could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path `{path}` at character {position}: {reason}")]
pub struct PathError {
    /// The path as written.
    pub path: String,
    /// 0-based character offset of the problem.
    pub position: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl DocPath {
    /// Parses a path expression. It must start with `$`.
    pub fn parse(source: &str) -> Result<DocPath, PathError> {
        let tokens = Parser::new(source).parse()?;
        Ok(DocPath {
            source: source.to_owned(),
            tokens,
        })
    }

    /// The root path `$`.
    pub fn root() -> DocPath {
        DocPath {
            source: "$".to_owned(),
            tokens: vec![PathToken::Root],
        }
    }

    /// A key that is a plain name (a header, query parameter or metadata
    /// key), not an expression: `$` followed by that one field.
    pub fn name(name: &str) -> DocPath {
        DocPath {
            source: name.to_owned(),
            tokens: vec![PathToken::Root, PathToken::Field(name.to_owned())],
        }
    }

    /// The key of a category that holds its rules directly (`path`,
    /// `status`): empty text, root only.
    pub fn whole() -> DocPath {
        DocPath {
            source: String::new(),
            tokens: vec![PathToken::Root],
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed tokens, starting with [`PathToken::Root`].
    pub fn tokens(&self) -> &[PathToken] {
        &self.tokens
    }

    /// This path with one more field, written in the canonical form.
    pub fn join(&self, field: &str) -> DocPath {
        let mut source = self.source.clone();
        if is_plain_identifier(field) {
            source.push('.');
            source.push_str(field);
        } else {
            source.push_str(&bracketed(field));
        }
        let mut tokens = self.tokens.clone();
        tokens.push(PathToken::Field(field.to_owned()));
        DocPath { source, tokens }
    }

    /// This path with one more array index.
    pub fn join_index(&self, index: usize) -> DocPath {
        let mut tokens = self.tokens.clone();
        tokens.push(PathToken::Index(index));
        DocPath {
            source: format!("{}[{index}]", self.source),
            tokens,
        }
    }

    /// This path with `[*]` appended.
    pub fn join_star_index(&self) -> DocPath {
        let mut tokens = self.tokens.clone();
        tokens.push(PathToken::StarIndex);
        DocPath {
            source: format!("{}[*]", self.source),
            tokens,
        }
    }
}

/// A field name as a bracketed step, `['it\'s']`: quotes and backslashes
/// are escaped so that [`DocPath::parse`] reads the same name back.
pub(crate) fn bracketed(field: &str) -> String {
    let escaped = field.replace('\\', "\\\\").replace('\'', "\\'");
    format!("['{escaped}']")
}

fn is_plain_identifier(field: &str) -> bool {
    !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '#' | ':'))
}

impl PartialEq for DocPath {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for DocPath {}

impl PartialOrd for DocPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DocPath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.source.cmp(&other.source)
    }
}

impl std::hash::Hash for DocPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

struct Parser<'a> {
    source: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        Parser {
            source,
            chars: source.chars().collect(),
            pos: 0,
        }
    }

    fn error(&self, reason: &'static str) -> PathError {
        PathError {
            path: self.source.to_owned(),
            position: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn parse(mut self) -> Result<Vec<PathToken>, PathError> {
        if self.peek() != Some('$') {
            return Err(self.error("a path must start with `$`"));
        }
        self.pos += 1;
        let mut tokens = vec![PathToken::Root];
        while let Some(c) = self.peek() {
            self.pos += 1;
            let token = match c {
                '.' => self.dotted()?,
                '[' => self.bracketed()?,
                _ => {
                    self.pos -= 1;
                    return Err(self.error("expected `.` or `[`"));
                }
            };
            tokens.push(token);
        }
        Ok(tokens)
    }

    fn dotted(&mut self) -> Result<PathToken, PathError> {
        if self.peek() == Some('*') {
            self.pos += 1;
            return Ok(PathToken::Star);
        }
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error("expected a field name after `.`"));
        }
        Ok(PathToken::Field(
            self.chars[start..self.pos].iter().collect(),
        ))
    }

    fn bracketed(&mut self) -> Result<PathToken, PathError> {
        let token = match self.peek() {
            Some('*') => {
                self.pos += 1;
                PathToken::StarIndex
            }
            Some(q @ ('\'' | '"')) => {
                self.pos += 1;
                PathToken::Field(self.quoted(q)?)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let digits: String = self.chars[start..self.pos].iter().collect();
                let index = digits
                    .parse()
                    .map_err(|_| self.error("array index is too large"))?;
                PathToken::Index(index)
            }
            _ => return Err(self.error("expected `*`, an index or a quoted name after `[`")),
        };
        if self.peek() != Some(']') {
            return Err(self.error("expected `]`"));
        }
        self.pos += 1;
        Ok(token)
    }

    fn quoted(&mut self, quote: char) -> Result<String, PathError> {
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated quoted name")),
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) => out.push(c),
                        None => return Err(self.error("unterminated quoted name")),
                    }
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PathToken::*;

    fn tokens(path: &str) -> Vec<PathToken> {
        DocPath::parse(path).unwrap().tokens().to_vec()
    }

    #[test]
    fn parses_the_forms_pact_files_use() {
        assert_eq!(tokens("$"), [Root]);
        assert_eq!(
            tokens("$.animals[*].phone"),
            [
                Root,
                Field("animals".into()),
                StarIndex,
                Field("phone".into())
            ]
        );
        assert_eq!(
            tokens("$['a b'][2].*"),
            [Root, Field("a b".into()), Index(2), Star]
        );
        assert_eq!(
            tokens("$.alligator['@name'].#text"),
            [
                Root,
                Field("alligator".into()),
                Field("@name".into()),
                Field("#text".into())
            ]
        );
        assert_eq!(tokens(r#"$["it's"]"#), [Root, Field("it's".into())]);
        assert_eq!(tokens(r"$['it\'s']"), [Root, Field("it's".into())]);
        assert_eq!(
            tokens("$.ünï.ns:tag"),
            [Root, Field("ünï".into()), Field("ns:tag".into())]
        );
    }

    #[test]
    fn rejects_malformed_paths_with_a_position() {
        for (bad, pos) in [
            ("a.b", 0),
            ("$.", 2),
            ("$[x]", 2),
            ("$['a'", 5),
            ("$[1", 3),
            ("$x", 1),
        ] {
            let err = DocPath::parse(bad).unwrap_err();
            assert_eq!(err.position, pos, "{bad}: {err}");
        }
        assert!(DocPath::parse("$[99999999999999999999999]").is_err());
    }

    #[test]
    fn joins_write_canonical_text() {
        let p = DocPath::root()
            .join("items")
            .join_star_index()
            .join("a b")
            .join_index(0);
        assert_eq!(p.as_str(), "$.items[*]['a b'][0]");
        assert_eq!(DocPath::parse(p.as_str()).unwrap().tokens(), p.tokens());
        for odd in ["a\\", "it's", "a\\'b", "\\\\", "'"] {
            let p = DocPath::root().join(odd);
            assert_eq!(DocPath::parse(p.as_str()).unwrap().tokens(), p.tokens());
        }
        assert_eq!(DocPath::root().join("a\\").as_str(), r"$['a\\']");
    }
}
