use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::matcher::list_json;
use super::{DocPath, Matcher};

/// The part of a request, response or message a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The request method.
    Method,
    /// The request path.
    Path,
    /// Query parameters, keyed by name.
    Query,
    /// Headers, keyed by name.
    Header,
    /// The body (`content` for V4 messages), keyed by path expression.
    Body,
    /// The response status.
    Status,
    /// Message metadata, keyed by name.
    Metadata,
}

impl Category {
    /// Reads a category name as files write it (`header` and `headers`,
    /// `body` and `content` are synonyms).
    pub fn parse(name: &str) -> Option<Category> {
        Some(match name {
            "method" => Category::Method,
            "path" => Category::Path,
            "query" => Category::Query,
            "header" | "headers" => Category::Header,
            "body" | "content" | "contents" => Category::Body,
            "status" => Category::Status,
            "metadata" | "metaData" => Category::Metadata,
            _ => return None,
        })
    }

    /// The name written to V3/V4 files (`body`; messages write `content`
    /// in V4, which the writer handles).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Method => "method",
            Category::Path => "path",
            Category::Query => "query",
            Category::Header => "header",
            Category::Body => "body",
            Category::Status => "status",
            Category::Metadata => "metadata",
        }
    }

    /// Categories whose rules are not keyed (they hold one rule list).
    pub fn is_unkeyed(self) -> bool {
        matches!(self, Category::Method | Category::Path | Category::Status)
    }
}

/// How the matchers of a list combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Combine {
    /// All must match.
    #[default]
    And,
    /// At least one must match.
    Or,
}

impl Combine {
    /// `AND` or `OR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Combine::And => "AND",
            Combine::Or => "OR",
        }
    }
}

/// The matchers that apply at one path, and how they combine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleList {
    /// The matchers, in order.
    pub matchers: Vec<Matcher>,
    /// How they combine.
    pub combine: Combine,
}

impl RuleList {
    /// A list of one matcher.
    pub fn single(matcher: Matcher) -> RuleList {
        RuleList {
            matchers: vec![matcher],
            combine: Combine::And,
        }
    }

    /// The list as written in a V3/V4 file.
    pub fn to_json(&self) -> Value {
        json!({
            "combine": self.combine.as_str(),
            "matchers": list_json(&self.matchers),
        })
    }

    /// True when any matcher is a type matcher (which cascades to children).
    pub fn has_type_matcher(&self) -> bool {
        self.matchers.iter().any(Matcher::is_type_matcher)
    }
}

/// The rules of one category, keyed by path (body), name (headers, query,
/// metadata) or [`DocPath::whole`] (path, status).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleCategory {
    /// Rules by key, in key order.
    pub rules: BTreeMap<DocPath, RuleList>,
}

impl RuleCategory {
    /// True when the category has no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Adds a matcher at a key (after those already there).
    pub fn add(&mut self, key: DocPath, matcher: Matcher) {
        self.rules.entry(key).or_default().matchers.push(matcher);
    }

    /// The rules keyed by name (headers: case-insensitive).
    pub fn for_name(&self, name: &str, ignore_case: bool) -> Option<&RuleList> {
        self.rules
            .iter()
            .find(|(key, _)| {
                let key = key.tokens().get(1).and_then(|t| match t {
                    super::PathToken::Field(f) => Some(f.as_str()),
                    _ => None,
                });
                key.is_some_and(|k| {
                    if ignore_case {
                        k.eq_ignore_ascii_case(name)
                    } else {
                        k == name
                    }
                })
            })
            .map(|(_, rules)| rules)
    }

    /// The rules as a JSON object keyed by path text.
    pub fn to_json_map(&self) -> Value {
        let map: Map<String, Value> = self
            .rules
            .iter()
            .map(|(key, rules)| (key.as_str().to_owned(), rules.to_json()))
            .collect();
        Value::Object(map)
    }
}

/// All matching rules of a request, response or message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchingRules {
    /// Rules by category.
    pub categories: BTreeMap<Category, RuleCategory>,
}

impl MatchingRules {
    /// True when there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.categories.values().all(RuleCategory::is_empty)
    }

    /// The rules of a category, if any.
    pub fn category(&self, category: Category) -> Option<&RuleCategory> {
        self.categories.get(&category).filter(|c| !c.is_empty())
    }

    /// The rules of a category, created when missing.
    pub fn category_mut(&mut self, category: Category) -> &mut RuleCategory {
        self.categories.entry(category).or_default()
    }

    /// Adds a matcher to a category at a key.
    pub fn add(&mut self, category: Category, key: DocPath, matcher: Matcher) {
        self.category_mut(category).add(key, matcher);
    }
}
