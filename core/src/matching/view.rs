//! A read-only view of a JSON value, so one comparison serves serde_json's
//! trees (contracts, stubs, mock servers) and [`super::doc::Doc`]s parsed
//! straight from a received body.

use serde_json::{Number, Value};

/// What a JSON value is, with its scalar content; containers are the value
/// itself, for the container methods of [`Json`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum View<'a, J> {
    Null,
    Bool(bool),
    Number(&'a Number),
    String(&'a str),
    Array(J),
    Object(J),
}

/// A JSON value the matching engine can read. Objects list their entries
/// sorted by key, each key once, as serde_json's map does.
pub(crate) trait Json<'a>: Copy + 'a {
    /// What the value is.
    fn view(self) -> View<'a, Self>;

    /// The number of elements of an array or entries of an object; 0 for
    /// anything else.
    fn len(self) -> usize;

    /// The element of an array at `index`.
    fn element(self, index: usize) -> Option<Self>;

    /// The elements of an array, in order; none for anything else.
    fn elements(self) -> impl Iterator<Item = Self> + 'a;

    /// The value of an object's `key`.
    fn get(self, key: &str) -> Option<Self>;

    /// The entries of an object, sorted by key; none for anything else.
    fn entries(self) -> impl Iterator<Item = (&'a str, Self)> + 'a;

    /// The value as a serde_json tree (for mismatches and messages).
    fn to_value(self) -> Value;

    /// Where the value lives: equal for the same node, as long as it lives.
    fn address(self) -> usize;

    /// True for numbers.
    fn is_number(self) -> bool {
        matches!(self.view(), View::Number(_))
    }
}

impl<'a> Json<'a> for &'a Value {
    fn view(self) -> View<'a, Self> {
        match self {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n),
            Value::String(s) => View::String(s),
            Value::Array(_) => View::Array(self),
            Value::Object(_) => View::Object(self),
        }
    }

    fn len(self) -> usize {
        match self {
            Value::Array(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        }
    }

    fn element(self, index: usize) -> Option<Self> {
        self.as_array()?.get(index)
    }

    fn elements(self) -> impl Iterator<Item = Self> + 'a {
        self.as_array().into_iter().flatten()
    }

    fn get(self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn entries(self) -> impl Iterator<Item = (&'a str, Self)> + 'a {
        self.as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v))
    }

    fn to_value(self) -> Value {
        self.clone()
    }

    fn address(self) -> usize {
        std::ptr::from_ref(self) as usize
    }
}
