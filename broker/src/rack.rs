//! Rack-style nested query strings, as Pact clients send them to
//! `/matrix` and `/can-i-deploy`: `q[][pacticipant]=Foo&q[][version]=1`.
//! Brackets may arrive literal or percent-encoded; in an array of objects
//! a new element starts when a key repeats.

use std::collections::BTreeMap;

/// A parsed query string.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RackQuery {
    scalars: Vec<(String, String)>,
    lists: Vec<(String, String)>,
    objects: Vec<(String, Vec<BTreeMap<String, String>>)>,
}

impl RackQuery {
    /// Parses a raw query string (without the `?`).
    pub(crate) fn parse(raw: &str) -> RackQuery {
        let mut query = RackQuery::default();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let (key, value) = (key.into_owned(), value.into_owned());
            if let Some((name, field)) = split_object_key(&key) {
                query.push_object(name, field, value);
            } else if let Some(name) = key.strip_suffix("[]") {
                query.lists.push((name.to_owned(), value));
            } else {
                query.scalars.push((key, value));
            }
        }
        query
    }

    fn push_object(&mut self, name: &str, field: &str, value: String) {
        let index = match self.objects.iter().position(|(n, _)| n == name) {
            Some(index) => index,
            None => {
                self.objects.push((name.to_owned(), Vec::new()));
                self.objects.len() - 1
            }
        };
        let list = &mut self.objects[index].1;
        match list.last_mut() {
            Some(last) if !last.contains_key(field) => {
                last.insert(field.to_owned(), value);
            }
            _ => list.push(BTreeMap::from([(field.to_owned(), value)])),
        }
    }

    /// The last value of a plain key.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.scalars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of `name[]`.
    pub(crate) fn list(&self, name: &str) -> Vec<&str> {
        self.lists
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The objects of `name[][field]`.
    pub(crate) fn objects(&self, name: &str) -> &[BTreeMap<String, String>] {
        self.objects
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, list)| list.as_slice())
    }
}

/// `q[][pacticipant]` → `("q", "pacticipant")`.
fn split_object_key(key: &str) -> Option<(&str, &str)> {
    let (name, rest) = key.split_once("[][")?;
    let field = rest.strip_suffix(']')?;
    (!name.is_empty() && !field.is_empty() && !field.contains(['[', ']'])).then_some((name, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_start_new_objects_and_brackets_may_be_encoded() {
        let q = RackQuery::parse(
            "q[][pacticipant]=Foo&q[][version]=1&q%5B%5D%5Bpacticipant%5D=Bar&latestby=cvpv&ignore[]=Baz",
        );
        let objects = q.objects("q");
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0]["pacticipant"], "Foo");
        assert_eq!(objects[0]["version"], "1");
        assert_eq!(objects[1]["pacticipant"], "Bar");
        assert_eq!(q.get("latestby"), Some("cvpv"));
        assert_eq!(q.list("ignore"), vec!["Baz"]);
    }

    #[test]
    fn encoded_values_are_decoded() {
        let q = RackQuery::parse("q[][branch]=feat%2Fx&q[][pacticipant]=A+B");
        assert_eq!(q.objects("q")[0]["branch"], "feat/x");
        assert_eq!(q.objects("q")[0]["pacticipant"], "A B");
    }
}
