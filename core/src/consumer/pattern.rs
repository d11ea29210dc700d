//! [`Term`]: a value in a consumer test that is at once the example sent
//! or answered and the matching rules (and generators) the contract keeps
//! for it. One tree gives both, so they cannot drift apart.

use serde_json::{Map, Value};

use crate::model::{
    ArrayVariant, Category, DocPath, EachRules, Generator, Generators, Matcher, MatchingRules,
    RuleCategory,
};

/// One step below a term's root, for rules of nested values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// An object field.
    Field(String),
    /// An array element.
    Index(usize),
    /// Every array element (`[*]`).
    AnyIndex,
    /// Every object value (`.*`).
    AnyField,
}

/// A value of a consumer test: the example plus its matching rules and
/// generators, at paths relative to the value.
///
/// Build one from a plain value (`"text"`, `42`, `true`, a
/// `serde_json::Value`: matched by equality), with a matcher function
/// ([`like`](super::like), [`integer`](super::integer),
/// [`each_like`](super::each_like) ...) or with the
/// [`term!`](crate::term) macro, which nests both like `json!`.
///
/// ```
/// use treaty_core::consumer::{integer, like, Term};
/// use treaty_core::term;
///
/// let order: Term = term!({"id": integer(42), "status": like("open"), "lines": []});
/// assert_eq!(order.example()["id"], 42);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub(crate) example: Value,
    pub(crate) rules: Vec<(Vec<Step>, Matcher)>,
    pub(crate) generators: Vec<(Vec<Step>, Generator)>,
}

impl Term {
    /// A value matched by equality.
    pub fn literal(example: Value) -> Term {
        Term {
            example,
            rules: Vec::new(),
            generators: Vec::new(),
        }
    }

    /// `example` with `matcher` at its root (after its own rules).
    pub fn matching(example: impl Into<Term>, matcher: Matcher) -> Term {
        let mut term = example.into();
        term.rules.push((Vec::new(), matcher));
        term
    }

    /// The same term, whose value the contract's users replace with one
    /// from `generator` (a random value, a provider-state value ...).
    pub fn generated_by(mut self, generator: Generator) -> Term {
        self.generators.retain(|(path, _)| !path.is_empty());
        self.generators.push((Vec::new(), generator));
        self
    }

    /// The example value.
    pub fn example(&self) -> &Value {
        &self.example
    }

    /// The matchers at the root of the term.
    pub fn root_matchers(&self) -> Vec<Matcher> {
        self.rules
            .iter()
            .filter(|(path, _)| path.is_empty())
            .map(|(_, m)| m.clone())
            .collect()
    }

    /// An object of terms, in the order given.
    pub fn object<K: Into<String>>(fields: impl IntoIterator<Item = (K, Term)>) -> Term {
        let mut out = Term::literal(Value::Object(Map::new()));
        for (key, field) in fields {
            let key = key.into();
            out.adopt(field.clone(), Step::Field(key.clone()));
            if let Value::Object(map) = &mut out.example {
                map.insert(key, field.example);
            }
        }
        out
    }

    /// An array of terms, each matched at its position.
    pub fn array(items: impl IntoIterator<Item = Term>) -> Term {
        let mut out = Term::literal(Value::Array(Vec::new()));
        for (i, item) in items.into_iter().enumerate() {
            out.adopt(item.clone(), Step::Index(i));
            if let Value::Array(list) = &mut out.example {
                list.push(item.example);
            }
        }
        out
    }

    /// Takes over `child`'s rules and generators, one step below.
    pub(crate) fn adopt(&mut self, child: Term, step: Step) {
        let under = |mut path: Vec<Step>| {
            path.insert(0, step.clone());
            path
        };
        self.rules
            .extend(child.rules.into_iter().map(|(p, m)| (under(p), m)));
        self.generators
            .extend(child.generators.into_iter().map(|(p, g)| (under(p), g)));
    }

    /// The example as header, query or path text.
    pub(crate) fn example_text(&self) -> String {
        match &self.example {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// Adds the term's rules and generators under `base` in `category`.
    pub(crate) fn place(
        &self,
        category: Category,
        base: &DocPath,
        rules: &mut MatchingRules,
        generators: &mut Generators,
    ) {
        for (path, matcher) in &self.rules {
            rules.add(category, join(base, path), matcher.clone());
        }
        for (path, generator) in &self.generators {
            generators.add(category, join(base, path), generator.clone());
        }
    }

    /// The term as one variant of an `arrayContains` matcher at `index`.
    pub(crate) fn variant(&self, index: usize) -> ArrayVariant {
        let root = DocPath::root();
        let mut rules = RuleCategory::default();
        for (path, matcher) in &self.rules {
            rules.add(join(&root, path), matcher.clone());
        }
        ArrayVariant {
            index,
            rules,
            generators: self
                .generators
                .iter()
                .map(|(path, g)| (join(&root, path), g.clone()))
                .collect(),
        }
    }

    /// The rules of a key or value template, for `eachKey`/`eachValue`.
    pub(crate) fn each_rules(&self) -> EachRules {
        EachRules {
            rules: self.root_matchers(),
            example: None,
        }
    }
}

/// `base` followed by `steps`, in the canonical text form.
pub(crate) fn join(base: &DocPath, steps: &[Step]) -> DocPath {
    steps.iter().fold(base.clone(), |path, step| match step {
        Step::Field(name) => path.join(name),
        Step::Index(i) => path.join_index(*i),
        Step::AnyIndex => path.join_star_index(),
        Step::AnyField => {
            DocPath::parse(&format!("{}.*", path.as_str())).unwrap_or_else(|_| path.clone())
        }
    })
}

impl From<Value> for Term {
    fn from(value: Value) -> Term {
        Term::literal(value)
    }
}

impl From<&Value> for Term {
    fn from(value: &Value) -> Term {
        Term::literal(value.clone())
    }
}

impl From<&str> for Term {
    fn from(value: &str) -> Term {
        Term::literal(Value::String(value.to_owned()))
    }
}

impl From<String> for Term {
    fn from(value: String) -> Term {
        Term::literal(Value::String(value))
    }
}

impl From<&String> for Term {
    fn from(value: &String) -> Term {
        Term::literal(Value::String(value.clone()))
    }
}

macro_rules! from_json_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for Term {
            fn from(value: $t) -> Term {
                Term::literal(Value::from(value))
            }
        }
    )*};
}

from_json_scalar!(bool, i32, i64, u16, u32, u64, usize, f64);

impl<T: Into<Term>> From<Vec<T>> for Term {
    fn from(items: Vec<T>) -> Term {
        Term::array(items.into_iter().map(Into::into))
    }
}

impl<T: Into<Term>> From<Option<T>> for Term {
    fn from(value: Option<T>) -> Term {
        value.map_or(Term::literal(Value::Null), Into::into)
    }
}

/// Builds a [`Term`] with the syntax of `serde_json::json!`, where any
/// value may also be a term (a matcher call, a variable holding a term).
///
/// Object keys are string literals; `null` is JSON null.
///
/// ```
/// use treaty_core::consumer::{each_like, integer, regex};
/// use treaty_core::term;
///
/// let body = term!({
///     "id": integer(7),
///     "sku": regex("[A-Z]{3}-\\d+", "ABC-1"),
///     "lines": each_like(term!({"qty": integer(1)})),
///     "note": null,
///     "tags": ["a", "b"]
/// });
/// assert_eq!(body.example()["lines"][0]["qty"], 1);
/// ```
#[macro_export]
macro_rules! term {
    (@object $m:ident ()) => {};
    (@object $m:ident ($key:literal : null $(, $($rest:tt)*)?)) => {
        $m.push(($key, $crate::term!(null)));
        $crate::term!(@object $m ($($($rest)*)?));
    };
    (@object $m:ident ($key:literal : { $($v:tt)* } $(, $($rest:tt)*)?)) => {
        $m.push(($key, $crate::term!({ $($v)* })));
        $crate::term!(@object $m ($($($rest)*)?));
    };
    (@object $m:ident ($key:literal : [ $($v:tt)* ] $(, $($rest:tt)*)?)) => {
        $m.push(($key, $crate::term!([ $($v)* ])));
        $crate::term!(@object $m ($($($rest)*)?));
    };
    (@object $m:ident ($key:literal : $v:expr $(, $($rest:tt)*)?)) => {
        $m.push(($key, $crate::consumer::Term::from($v)));
        $crate::term!(@object $m ($($($rest)*)?));
    };

    (@array $m:ident ()) => {};
    (@array $m:ident (null $(, $($rest:tt)*)?)) => {
        $m.push($crate::term!(null));
        $crate::term!(@array $m ($($($rest)*)?));
    };
    (@array $m:ident ({ $($v:tt)* } $(, $($rest:tt)*)?)) => {
        $m.push($crate::term!({ $($v)* }));
        $crate::term!(@array $m ($($($rest)*)?));
    };
    (@array $m:ident ([ $($v:tt)* ] $(, $($rest:tt)*)?)) => {
        $m.push($crate::term!([ $($v)* ]));
        $crate::term!(@array $m ($($($rest)*)?));
    };
    (@array $m:ident ($v:expr $(, $($rest:tt)*)?)) => {
        $m.push($crate::consumer::Term::from($v));
        $crate::term!(@array $m ($($($rest)*)?));
    };

    (null) => { $crate::consumer::Term::literal(::core::default::Default::default()) };
    ({ $($body:tt)* }) => {{
        #[allow(unused_mut)]
        let mut fields: ::std::vec::Vec<(&str, $crate::consumer::Term)> = ::std::vec::Vec::new();
        $crate::term!(@object fields ($($body)*));
        $crate::consumer::Term::object(fields)
    }};
    ([ $($body:tt)* ]) => {{
        #[allow(unused_mut)]
        let mut items: ::std::vec::Vec<$crate::consumer::Term> = ::std::vec::Vec::new();
        $crate::term!(@array items ($($body)*));
        $crate::consumer::Term::array(items)
    }};
    ($value:expr) => { $crate::consumer::Term::from($value) };
}
