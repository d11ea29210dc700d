//! A place in JSON text, moved byte by byte, and the punctuation of arrays
//! and objects: what the contract splitter (`read::split`) and the compact
//! document's parser (`matching::doc`) walk text with.

/// A place in JSON text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor<'a> {
    pub(crate) text: &'a str,
    /// A byte offset into `text`, on a character boundary.
    pub(crate) at: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Cursor<'a> {
        Cursor { text, at: 0 }
    }

    /// The bytes from here on.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.text.as_bytes()[self.at..]
    }

    /// Past any JSON white space.
    #[inline]
    pub(crate) fn space(&mut self) {
        // Compact JSON has none: one byte tells.
        if !matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            return;
        }
        let rest = self.rest();
        self.at += rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len());
    }

    /// The byte here.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The byte here, the cursor past it.
    pub(crate) fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    /// Past `byte`; `None` when another byte (or none) is here.
    pub(crate) fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }
}

/// A reader of JSON text through a [`Cursor`].
pub(crate) trait Walk<'a> {
    fn cursor(&mut self) -> &mut Cursor<'a>;
}

/// Past `member (, member)* close`, or `close` alone, the cursor just
/// after the opening bracket (space allowed around each part); `member`
/// reads one member. `None` when the punctuation is not JSON's.
pub(crate) fn members<'a, W: Walk<'a>>(
    walker: &mut W,
    close: u8,
    mut member: impl FnMut(&mut W) -> Option<()>,
) -> Option<()> {
    walker.cursor().space();
    if walker.cursor().peek() == Some(close) {
        walker.cursor().at += 1;
        return Some(());
    }
    loop {
        walker.cursor().space();
        member(walker)?;
        walker.cursor().space();
        match walker.cursor().next()? {
            b',' => {}
            b if b == close => return Some(()),
            _ => return None,
        }
    }
}
