//! Tokenising Java `DateTimeFormatter` patterns.

use std::fmt;

/// Longest pattern (in characters) accepted by [`DatePattern::parse`].
///
/// Real patterns are a few dozen characters; the cap bounds the work and
/// recursion depth of matching.
pub const MAX_PATTERN_LEN: usize = 256;

/// One element of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// A pattern letter repeated `count` times, e.g. `yyyy` is `('y', 4)`.
    Field {
        /// The pattern letter.
        letter: char,
        /// How many times it is repeated (its width).
        count: usize,
    },
    /// Literal text, with quotes removed and `''` unescaped.
    Literal(String),
    /// An optional section written `[...]`.
    Optional(Vec<Token>),
}

/// Why a pattern could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatePatternError {
    /// A letter that is not a supported pattern letter.
    #[error("unknown pattern letter '{letter}' at position {position}: {hint}")]
    UnknownLetter {
        /// The offending letter.
        letter: char,
        /// Character index in the pattern.
        position: usize,
        /// How to fix it.
        hint: &'static str,
    },
    /// A supported letter repeated an unsupported number of times.
    #[error("invalid width {count} for pattern letter '{letter}' at position {position}: {hint}")]
    InvalidWidth {
        /// The offending letter.
        letter: char,
        /// How many times it was repeated.
        count: usize,
        /// Character index in the pattern.
        position: usize,
        /// The widths that are allowed.
        hint: &'static str,
    },
    /// A `'` without a closing `'`.
    #[error("unterminated quote at position {position}: close literal text with ', write '' for a quote")]
    UnterminatedQuote {
        /// Character index of the opening quote.
        position: usize,
    },
    /// A `]` without a matching `[`.
    #[error("']' at position {position} has no matching '[': quote it as ']' for a literal")]
    UnmatchedBracket {
        /// Character index of the `]`.
        position: usize,
    },
    /// A character Java reserves for future use (`{`, `}`, `#`).
    #[error("reserved character '{ch}' at position {position}: quote it, e.g. '{ch}'")]
    Reserved {
        /// The reserved character.
        ch: char,
        /// Character index in the pattern.
        position: usize,
    },
    /// The pattern exceeds [`MAX_PATTERN_LEN`].
    #[error("pattern is {len} characters long: at most {MAX_PATTERN_LEN} are supported")]
    TooLong {
        /// Length of the pattern in characters.
        len: usize,
    },
}

/// A parsed Java date/time pattern such as `yyyy-MM-dd'T'HH:mm:ss`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatePattern {
    source: String,
    tokens: Vec<Token>,
}

impl DatePattern {
    /// Parses a Java `DateTimeFormatter` pattern.
    pub fn parse(pattern: &str) -> Result<Self, DatePatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        if chars.len() > MAX_PATTERN_LEN {
            return Err(DatePatternError::TooLong { len: chars.len() });
        }
        let tokens = Tokenizer::default().run(&chars)?;
        Ok(Self {
            source: pattern.to_owned(),
            tokens,
        })
    }

    /// The pattern text this was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed tokens.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
}

impl fmt::Display for DatePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for DatePattern {
    type Err = DatePatternError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Builds the token tree; `stack` holds the enclosing sections of `[`.
#[derive(Default)]
struct Tokenizer {
    current: Vec<Token>,
    stack: Vec<Vec<Token>>,
}

impl Tokenizer {
    fn run(mut self, chars: &[char]) -> Result<Vec<Token>, DatePatternError> {
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i = self.step(chars, i, c)?;
        }
        // Like Java, unclosed optional sections end with the pattern.
        while let Some(parent) = self.stack.pop() {
            let inner = std::mem::replace(&mut self.current, parent);
            self.current.push(Token::Optional(inner));
        }
        Ok(self.current)
    }

    /// Consumes the token starting at `i` and returns the next index.
    fn step(&mut self, chars: &[char], i: usize, c: char) -> Result<usize, DatePatternError> {
        match c {
            _ if c.is_ascii_alphabetic() => {
                let count = chars[i..].iter().take_while(|&&x| x == c).count();
                check_field(c, count, i)?;
                self.current.push(Token::Field { letter: c, count });
                Ok(i + count)
            }
            '\'' => self.quoted(chars, i),
            '[' => {
                self.stack.push(std::mem::take(&mut self.current));
                Ok(i + 1)
            }
            ']' => {
                let parent = self
                    .stack
                    .pop()
                    .ok_or(DatePatternError::UnmatchedBracket { position: i })?;
                let inner = std::mem::replace(&mut self.current, parent);
                self.current.push(Token::Optional(inner));
                Ok(i + 1)
            }
            '{' | '}' | '#' => Err(DatePatternError::Reserved { ch: c, position: i }),
            _ => {
                self.literal(c);
                Ok(i + 1)
            }
        }
    }

    /// Handles `'...'` (with `''` escapes) and a bare `''`.
    fn quoted(&mut self, chars: &[char], start: usize) -> Result<usize, DatePatternError> {
        if chars.get(start + 1) == Some(&'\'') {
            self.literal('\'');
            return Ok(start + 2);
        }
        let mut j = start + 1;
        loop {
            match (chars.get(j), chars.get(j + 1)) {
                (None, _) => return Err(DatePatternError::UnterminatedQuote { position: start }),
                (Some('\''), Some('\'')) => {
                    self.literal('\'');
                    j += 2;
                }
                (Some('\''), _) => return Ok(j + 1),
                (Some(&c), _) => {
                    self.literal(c);
                    j += 1;
                }
            }
        }
    }

    /// Appends a literal character, merging with a preceding literal.
    fn literal(&mut self, c: char) {
        if let Some(Token::Literal(s)) = self.current.last_mut() {
            s.push(c);
        } else {
            self.current.push(Token::Literal(c.to_string()));
        }
    }
}

/// Validates a letter and its repeat count against Java's rules.
fn check_field(letter: char, count: usize, position: usize) -> Result<(), DatePatternError> {
    let (ok, hint) = match letter {
        'G' | 'M' | 'L' | 'Q' | 'q' | 'E' | 'e' | 'X' | 'x' | 'Z' => (count <= 5, "use 1 to 5"),
        'c' => (count != 2 && count <= 5, "use 1, 3, 4 or 5"),
        'y' | 'u' | 'Y' | 'n' | 'N' | 'A' => (count <= 19, "use 1 to 19"),
        'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' | 'w' => (count <= 2, "use 1 or 2"),
        'D' => (count <= 3, "use 1 to 3"),
        'W' | 'F' | 'a' => (count == 1, "use exactly 1"),
        'S' => (count <= 9, "use 1 to 9 (nanosecond precision)"),
        'V' => (count == 2, "use exactly 2 (VV, zone id)"),
        'z' => (count <= 4, "use 1 to 4"),
        'O' => (count == 1 || count == 4, "use 1 or 4"),
        _ => {
            return Err(DatePatternError::UnknownLetter {
                letter,
                position,
                hint: unknown_hint(letter),
            })
        }
    };
    if ok {
        Ok(())
    } else {
        Err(DatePatternError::InvalidWidth {
            letter,
            count,
            position,
            hint,
        })
    }
}

fn unknown_hint(letter: char) -> &'static str {
    match letter {
        'p' => "the pad modifier 'p' is not supported",
        'v' => "generic zone names are not supported; use 'z' or 'VV'",
        'B' => "day periods are not supported; use 'a' for AM/PM",
        'g' => "modified Julian day is not supported",
        'T' => "letters are reserved; quote literal text, e.g. 'T'",
        _ => "all ASCII letters are reserved; quote literal text, e.g. 'at'",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(p: &str) -> Vec<Token> {
        DatePattern::parse(p).unwrap().tokens().to_vec()
    }

    fn field(letter: char, count: usize) -> Token {
        Token::Field { letter, count }
    }

    fn lit(s: &str) -> Token {
        Token::Literal(s.to_owned())
    }

    #[test]
    fn tokenizes_iso_like_pattern() {
        assert_eq!(
            toks("yyyy-MM-dd'T'HH:mm"),
            vec![
                field('y', 4),
                lit("-"),
                field('M', 2),
                lit("-"),
                field('d', 2),
                lit("T"),
                field('H', 2),
                lit(":"),
                field('m', 2),
            ]
        );
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(toks("h 'o''clock'"), vec![field('h', 1), lit(" o'clock")]);
        assert_eq!(toks("''"), vec![lit("'")]);
        assert_eq!(toks("'' ''"), vec![lit("' '")]);
        assert_eq!(toks("'[x]'"), vec![lit("[x]")]);
        assert_eq!(toks(""), vec![]);
    }

    #[test]
    fn optional_sections() {
        assert_eq!(
            toks("HH[:mm[:ss]]"),
            vec![
                field('H', 2),
                Token::Optional(vec![
                    lit(":"),
                    field('m', 2),
                    Token::Optional(vec![lit(":"), field('s', 2)]),
                ]),
            ]
        );
        // Unclosed sections end with the pattern, as in Java.
        assert_eq!(
            toks("HH[mm"),
            vec![field('H', 2), Token::Optional(vec![field('m', 2)])]
        );
    }

    #[test]
    fn non_ascii_is_literal() {
        assert_eq!(
            toks("yyyy年MM月"),
            vec![field('y', 4), lit("年"), field('M', 2), lit("月")]
        );
    }

    #[test]
    fn errors_name_letter_and_position() {
        let err = DatePattern::parse("yyyy-MM-ddTHH").unwrap_err();
        assert_eq!(
            err,
            DatePatternError::UnknownLetter {
                letter: 'T',
                position: 10,
                hint: unknown_hint('T')
            }
        );
        assert!(err.to_string().contains("'T'"));
        let err = DatePattern::parse("HHH").unwrap_err();
        assert!(matches!(
            err,
            DatePatternError::InvalidWidth {
                letter: 'H',
                count: 3,
                ..
            }
        ));
        assert!(err.to_string().contains("use 1 or 2"));
    }

    #[test]
    fn structural_errors() {
        use DatePatternError::*;
        assert_eq!(
            DatePattern::parse("HH 'x"),
            Err(UnterminatedQuote { position: 3 })
        );
        assert_eq!(
            DatePattern::parse("HH]"),
            Err(UnmatchedBracket { position: 2 })
        );
        assert_eq!(
            DatePattern::parse("{"),
            Err(Reserved {
                ch: '{',
                position: 0
            })
        );
        assert_eq!(
            DatePattern::parse(&"y".repeat(300)),
            Err(TooLong { len: 300 })
        );
        assert!(DatePattern::parse("SSSSSSSSSS").is_err());
        assert!(DatePattern::parse("cc").is_err());
        assert!(DatePattern::parse("OO").is_err());
        assert!(DatePattern::parse("V").is_err());
        assert!(DatePattern::parse("b").is_err());
    }

    #[test]
    fn source_and_display() {
        let p: DatePattern = "dd/MM".parse().unwrap();
        assert_eq!(p.source(), "dd/MM");
        assert_eq!(p.to_string(), "dd/MM");
    }
}
