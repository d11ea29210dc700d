//! The trail of subschemas from the schema root to a failing keyword,
//! following `$ref`s, and what their `title`s and `description`s say.

use serde_json::Value;

/// One subschema on the way from the root to the failing keyword.
struct Step<'s> {
    /// How many levels below the document root the subschema applies.
    level: usize,
    node: &'s Value,
    /// The description written next to the `$ref` that led here, if any:
    /// it says what the value is for, where the target is generic.
    site: Option<&'s str>,
}

impl<'s> Step<'s> {
    fn own(&self) -> Option<&'s str> {
        self.node.get("description").and_then(Value::as_str)
    }

    fn title(&self) -> Option<&'s str> {
        self.node.get("title").and_then(Value::as_str)
    }
}

/// The subschemas a schema error's `schema_path` goes through.
pub(super) struct Trail<'s> {
    root: &'s Value,
    steps: Vec<Step<'s>>,
}

impl<'s> Trail<'s> {
    /// Walks `schema_path` (a JSON pointer into `root`, with `$ref` tokens
    /// where references were followed) down to the failing keyword.
    pub(super) fn new(root: &'s Value, schema_path: &str) -> Trail<'s> {
        let mut tokens = schema_path.split('/').skip(1).map(unescape);
        let mut steps = vec![Step {
            level: 0,
            node: root,
            site: None,
        }];
        let (mut node, mut level) = (root, 0);
        while let Some(token) = tokens.next() {
            let (next, deeper) = match token.as_str() {
                "$ref" => (resolve(root, node), false),
                "properties" | "patternProperties" | "prefixItems" => (
                    tokens.next().and_then(|key| child(node, &token, &key)),
                    true,
                ),
                "allOf" | "anyOf" | "oneOf" => {
                    (tokens.next().and_then(|i| child(node, &token, &i)), false)
                }
                "items"
                | "additionalProperties"
                | "propertyNames"
                | "contains"
                | "unevaluatedProperties"
                | "unevaluatedItems" => (node.get(&token), true),
                "if" | "then" | "else" | "not" => (node.get(&token), false),
                _ => (None, false),
            };
            let Some(next) = next.filter(|n| n.is_object()) else {
                break;
            };
            let site = if token == "$ref" {
                node.get("description").and_then(Value::as_str)
            } else {
                None
            };
            level += usize::from(deeper);
            node = next;
            steps.push(Step { level, node, site });
        }
        Trail { root, steps }
    }

    /// The level of the failing subschema (that of the failing value).
    pub(super) fn level(&self) -> usize {
        self.steps.last().map_or(0, |s| s.level)
    }

    fn at(&self, level: usize) -> impl Iterator<Item = &Step<'s>> {
        self.steps.iter().rev().filter(move |s| s.level == level)
    }

    /// What the schema says about the failing value: the deepest description
    /// at its level, preferring the words next to a `$ref` over the generic
    /// target's; else the deepest description anywhere.
    pub(super) fn value_description(&self) -> Option<&'s str> {
        let about = |s: &Step<'s>| s.site.or_else(|| s.own());
        self.at(self.level())
            .find_map(about)
            .or_else(|| self.steps.iter().rev().find_map(about))
    }

    /// What the schema says about the map at `level` (its own description,
    /// which explains its keys, rather than the site's).
    pub(super) fn map_description(&self, level: usize) -> Option<&'s str> {
        self.at(level).find_map(|s| s.own().or(s.site))
    }

    /// The deepest title at the failing level.
    pub(super) fn title(&self) -> Option<&'s str> {
        self.at(self.level()).find_map(Step::title)
    }

    /// The description of the failing subschema itself when it has no
    /// title: a purpose-written reason (an `if`/`then` branch saying why a
    /// property is needed).
    pub(super) fn reason(&self) -> Option<&'s str> {
        self.steps
            .last()
            .filter(|s| s.title().is_none())
            .and_then(Step::own)
    }

    /// The description of property `name` at the failing level (or of the
    /// subschema it refers to).
    pub(super) fn property_description(&self, name: &str) -> Option<&'s str> {
        let property = self
            .at(self.level())
            .find_map(|s| s.node.get("properties")?.get(name))?;
        let describe = |node: &'s Value| node.get("description").and_then(Value::as_str);
        describe(property).or_else(|| describe(resolve(self.root, property)?))
    }

    /// The property names the failing subschema knows.
    pub(super) fn known_keys(&self) -> Vec<&'s str> {
        self.steps
            .last()
            .and_then(|s| s.node.get("properties"))
            .and_then(Value::as_object)
            .map(|props| props.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

/// The target of a local `$ref` (`#/$defs/name`) in `node`.
fn resolve<'s>(root: &'s Value, node: &'s Value) -> Option<&'s Value> {
    let reference = node.get("$ref")?.as_str()?;
    root.pointer(reference.strip_prefix('#')?)
}

fn child<'s>(node: &'s Value, keyword: &str, key: &str) -> Option<&'s Value> {
    let inner = node.get(keyword)?;
    match inner {
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => inner.get(key),
    }
}

/// A JSON pointer token as text.
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Text as a JSON pointer token.
pub(super) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_ref_site_description_wins_over_the_target() {
        let schema = json!({
            "properties": {"min": {"$ref": "#/$defs/n", "description": "Minimum items."}},
            "$defs": {"n": {"title": "Number", "description": "A number.", "minimum": 0}}
        });
        let trail = Trail::new(&schema, "/properties/min/$ref/minimum");
        assert_eq!(trail.level(), 1);
        assert_eq!(trail.value_description(), Some("Minimum items."));
        assert_eq!(trail.title(), Some("Number"));
        assert_eq!(trail.map_description(1), Some("A number."));
    }
}
