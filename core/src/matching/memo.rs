//! Rule selection remembered per expected node.
//!
//! Under an `eachLike`-style rule every element of a long actual array is
//! compared with the same expected template, and each comparison would
//! choose the rules for each node of the template again. When no rule path
//! names an array index and no rule compares objects by value (`values`,
//! `eachKey`, `eachValue`, which compare actual keys with one template),
//! the choice depends only on the expected node: it is made once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::select::Selected;
use crate::model::{Matcher, PathToken, RuleCategory};

/// Selections by expected node (its address), consulted while a template
/// serves again.
pub(crate) type Memo<'r> = HashMap<usize, Option<Selected<'r>>, BuildHasherDefault<Address>>;

/// A memo when the category's rules allow one.
pub(crate) fn memo_for<'r>(rules: Option<&RuleCategory>) -> Option<Memo<'r>> {
    let rules = rules?;
    let by_index = |t: &PathToken| match t {
        PathToken::Index(_) => true,
        PathToken::Field(name) => name.starts_with(|c: char| c.is_ascii_digit()),
        _ => false,
    };
    let by_value = |m: &Matcher| {
        matches!(
            m,
            Matcher::Values | Matcher::EachKey(_) | Matcher::EachValue(_)
        )
    };
    let unsafe_rule = rules.rules.iter().any(|(path, list)| {
        path.tokens().iter().any(by_index) || list.matchers.iter().any(by_value)
    });
    (!unsafe_rule).then(Memo::default)
}

/// Hashes an address: a multiplication spreads the aligned low bits.
#[derive(Default)]
pub(crate) struct Address(u64);

impl Hasher for Address {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
