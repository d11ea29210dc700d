//! Contracts kept as text: every interaction is read once, to check it,
//! and kept without the JSON bodies a verifier only matches (an HTTP
//! response's body, a message's contents, a synchronous message's
//! responses), which stay in the text until they are needed. A verifier
//! reads them straight from the text into the matching engine's compact
//! document; serde_json's trees of every body (hundreds of megabytes for a
//! contract of thousands of interactions) are never built.

use std::ops::Range;

use super::contract::{interaction, read_top};
use super::parallel::{in_chunks, scan, threads_for, Scanned};
use super::problem::{ReadError, Reader};
use super::skim::{skim, Place, Skimmed};
use super::{parse_json, read_contract_owned};
use crate::model::{Body, BodyContent, Contract, Interaction, InteractionKind, SpecVersion};

/// A checked contract whose expected bodies are read on demand.
#[derive(Debug)]
pub struct LazyContract {
    /// Everything but the interactions (which it holds none of).
    pub header: Contract,
    text: String,
    interactions: Vec<Kept>,
}

/// An interaction as checked, and where the bodies left out of it are in
/// the text (their places in the interaction hold empty objects or arrays).
#[derive(Debug, Clone)]
struct Kept {
    interaction: Interaction,
    left_out: Vec<(Place, Range<usize>)>,
}

impl LazyContract {
    /// Checks a contract and keeps its text. The problems are those
    /// [`super::parse_contract`] reports.
    pub fn parse(text: String) -> Result<LazyContract, ReadError> {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        match split(&text) {
            Some(Ok((header, interactions))) => Ok(LazyContract {
                header,
                text,
                interactions,
            }),
            Some(Err(problems)) => Err(problems),
            None => {
                // Files whose shape does not allow splitting them (no
                // declared version, a top level that is not an object):
                // small or unusual, read whole.
                let mut contract = read_contract_owned(parse_json(&text)?)?;
                let interactions = std::mem::take(&mut contract.interactions)
                    .into_iter()
                    .map(|interaction| Kept {
                        interaction,
                        left_out: Vec::new(),
                    })
                    .collect();
                Ok(LazyContract {
                    header: contract,
                    text: String::new(),
                    interactions,
                })
            }
        }
    }

    /// How many interactions it has.
    pub fn len(&self) -> usize {
        self.interactions.len()
    }

    /// True when it has no interactions.
    pub fn is_empty(&self) -> bool {
        self.interactions.is_empty()
    }

    /// The interactions `range`, whole.
    pub fn read(&self, range: Range<usize>) -> Vec<Interaction> {
        self.interactions[range]
            .iter()
            .map(|kept| kept.clone().put_back(&self.text, parsed))
            .collect()
    }

    /// The interactions to verify, `size` at a time, the JSON bodies left
    /// out as their text, which the matching engine reads into a compact
    /// document for less than a tree costs.
    pub fn into_batches(self, size: usize) -> impl Iterator<Item = Vec<Interaction>> {
        let LazyContract {
            text, interactions, ..
        } = self;
        let mut rest = interactions.into_iter();
        std::iter::from_fn(move || {
            let batch: Vec<Interaction> = rest
                .by_ref()
                .take(size.max(1))
                .map(|kept| kept.put_back(&text, |body| BodyContent::Text(body.to_owned())))
                .collect();
            (!batch.is_empty()).then_some(batch)
        })
    }
}

/// A JSON body parsed (kept as text should it not parse, which it did when
/// checked).
fn parsed(text: &str) -> BodyContent {
    serde_json::from_str(text)
        .map_or_else(|_| BodyContent::Text(text.to_owned()), BodyContent::Json)
}

impl Kept {
    /// The interaction with the bodies left out put back as `json` gives
    /// them (parsed, for a body whose content type is not JSON). A body the
    /// interaction's kind has no place for was not read into it either.
    fn put_back(self, text: &str, json: impl Fn(&str) -> BodyContent) -> Interaction {
        let mut interaction = self.interaction;
        for (place, span) in self.left_out {
            let body = match (place, &mut interaction.kind) {
                (Place::ResponseBody, InteractionKind::Http { response, .. }) => &mut response.body,
                (Place::Contents, InteractionKind::AsyncMessage(message)) => &mut message.contents,
                (Place::ResponseContents(i), InteractionKind::SyncMessage { responses, .. }) => {
                    match responses.get_mut(i) {
                        Some(response) => &mut response.contents,
                        None => continue,
                    }
                }
                _ => continue,
            };
            if let Body::Present {
                content,
                content_type,
            } = body
            {
                let body = &text[span];
                *content = match content_type {
                    Some(ct) if ct.is_json() => json(body),
                    _ => parsed(body),
                };
            }
        }
        interaction
    }
}

/// The header and interactions of `text`, every interaction checked (on
/// several threads for large files); `None` when the file must be read
/// whole (not an object, no declared version, JSON whose problem the
/// serial reader locates).
fn split(text: &str) -> Option<Result<(Contract, Vec<Kept>), ReadError>> {
    let Scanned {
        top,
        version,
        lists,
        deepest,
    } = scan(text)?;
    // The pieces are parsed without serde_json's nesting limit; the serial
    // reader reports a document nested too deep, where it is.
    if deepest > MAX_NESTING {
        return None;
    }
    let mut reader = Reader::new(version);
    let header = read_top(&mut reader, &top);
    let base = text.as_ptr() as usize;
    let threads = threads_for(text.len());
    let mut interactions = Vec::new();
    for (key, items) in &lists {
        let checked = in_chunks(items, threads, |first, items| {
            check(version, key, first, items)
        })?;
        for (problems, kept) in checked {
            reader.absorb(problems);
            interactions.extend(kept.into_iter().map(|(interaction, left_out)| {
                Kept {
                    interaction,
                    left_out: left_out
                        .into_iter()
                        .map(|(place, text)| {
                            let start = text.as_ptr() as usize - base;
                            (place, start..start + text.len())
                        })
                        .collect(),
                }
            }));
        }
    }
    Some(reader.finish((header, interactions)))
}

/// The problems found in a chunk of interactions, and the interactions
/// with the text of the bodies left out of them.
type Checked<'t> = (Reader, Vec<(Interaction, Vec<(Place, &'t str)>)>);

/// Interactions read from `items` (of list `key`, from index `first`),
/// each with the text of its bodies left out; `None` if one is not JSON the
/// parser accepts, or cannot be skimmed (the file is then read whole).
fn check<'t>(
    version: SpecVersion,
    key: &str,
    first: usize,
    items: &[&'t str],
) -> Option<Checked<'t>> {
    let mut reader = Reader::new(version);
    let message = key == "messages";
    let wrappers = version >= SpecVersion::V4;
    let mut out = Vec::with_capacity(items.len());
    reader.at(key, |r| {
        for (i, raw) in items.iter().enumerate() {
            let Skimmed { value, left_out } = skim(raw, wrappers)?;
            if let Some(read) = r.at(first + i, |r| interaction(r, value, message)) {
                out.push((read, left_out));
            }
        }
        Some(())
    })?;
    Some((reader, out))
}

/// Deeper documents are left to the serial reader (serde_json stops at 128).
const MAX_NESTING: usize = 100;

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::read::parse_contract;

    fn contract(n: usize, broken: bool) -> String {
        let interactions: Vec<Value> = (0..n)
            .map(|i| {
                let mut item = json!({
                    "type": "Synchronous/HTTP",
                    "description": format!("get item {i}"),
                    "request": {"method": "GET", "path": format!("/items/{i}")},
                    "response": {"status": 200, "body": {"content": {"id": i}}}
                });
                if broken && i == 7 {
                    item["request"]["method"] = json!(42);
                }
                item
            })
            .collect();
        let messages = vec![json!({"description": "event", "contents": {"n": 1}})];
        json!({
            "consumer": {"name": "web"}, "provider": {"name": "api"},
            "interactions": interactions, "messages": messages,
            "metadata": {"pactSpecification": {"version": "4.0"}}
        })
        .to_string()
    }

    #[test]
    fn reads_on_demand_what_the_eager_reader_reads() {
        for n in [3, 3000] {
            let text = contract(n, false);
            let eager = parse_contract(&text).unwrap();
            let lazy = LazyContract::parse(text).unwrap();
            assert!(!lazy.text.is_empty());
            assert_eq!(lazy.len(), n + 1);
            assert_eq!(lazy.read(0..lazy.len()), eager.interactions);
            assert_eq!(lazy.read(2..3), eager.interactions[2..3]);
            let mut header = eager.clone();
            header.interactions.clear();
            assert_eq!(lazy.header, header);
        }
    }

    #[test]
    fn reports_what_the_eager_reader_reports() {
        for n in [10, 3000] {
            let text = contract(n, true);
            assert_eq!(
                LazyContract::parse(text.clone()).unwrap_err(),
                parse_contract(&text).unwrap_err()
            );
        }
        // serde_json passes over a lone surrogate escape it is not asked
        // to decode; bodies left out are refused as the eager reader
        // refuses them.
        for body in [
            r#"{"a": "\ud800"}"#,
            r#"[1, "\udc00x"]"#,
            r#"{"b": ["\\u", "\ud800"]}"#,
        ] {
            let text = contract(3, false).replace(r#"{"id":1}"#, body);
            assert!(text.contains(body));
            let eager = parse_contract(&text).unwrap_err();
            assert!(eager.to_string().contains("escape"), "{eager}");
            assert_eq!(LazyContract::parse(text).unwrap_err(), eager);
        }
        let invalid = "{\"consumer\": ".to_owned();
        assert_eq!(
            LazyContract::parse(invalid.clone()).unwrap_err(),
            parse_contract(&invalid).unwrap_err()
        );
    }

    /// Keys given twice count once, the last time, as the eager reader
    /// (serde_json) has it: for the parts whose bodies are left out too.
    #[test]
    fn repeated_keys_count_once_the_last_time() {
        let response = |id: u32, body: &str| {
            format!(r#""response": {{"status": 200, "body": {body}, "headers": {{"X": "{id}"}}}}"#)
        };
        let interaction = |first: &str, second: &str| {
            format!(
                r#"{{"type": "Synchronous/HTTP", "description": "d",
                    "request": {{"method": "GET", "path": "/"}}, {first}, {second}}}"#
            )
        };
        let wrapper = r#"{"content": {"a": [1, 2]}, "contentType": "application/json"}"#;
        let duplicated =
            r#"{"content": {"a": 1}, "contentType": "application/json", "content": {"b": [2]}}"#;
        let cases = [
            interaction(&response(1, wrapper), &response(2, r#""text""#)),
            interaction(&response(1, r#""text""#), &response(2, wrapper)),
            interaction(&response(1, wrapper), &response(2, duplicated)),
            interaction(
                r#""response": {"status": 200, "body": {"content": [1]}, "body": null}"#,
                r#""comments": {}"#,
            ),
        ];
        for case in cases {
            let text = format!(
                r#"{{"consumer": {{"name": "c"}}, "provider": {{"name": "p"}},
                    "interactions": [{case}],
                    "metadata": {{"pactSpecification": {{"version": "4.0"}}}}}}"#
            );
            let eager = parse_contract(&text).unwrap();
            let lazy = LazyContract::parse(text).unwrap();
            assert!(!lazy.text.is_empty(), "kept as text");
            assert_eq!(lazy.read(0..1), eager.interactions, "{case}");
            let kept: Vec<Interaction> = lazy.into_batches(1).flatten().collect();
            assert_eq!(kept.len(), 1);
        }
    }

    /// Skimming leaves bodies' objects and arrays out; the problems a body
    /// can have (its wrapper's content type and encoding) are still found.
    #[test]
    fn body_problems_are_found_with_bodies_skimmed() {
        let big = json!({"lines": vec![json!({"sku": "A", "qty": 1}); 50]});
        let wrapper = |content: Value, extra: Value| {
            let mut w = json!({"content": content, "contentType": "application/json"});
            w.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            w
        };
        let http = |body: Value| {
            json!({"type": "Synchronous/HTTP", "description": format!("http {body}"),
                   "request": {"method": "POST", "path": "/", "body": body.clone()},
                   "response": {"status": 200, "body": body}})
        };
        let interactions = vec![
            http(wrapper(big.clone(), json!({}))),
            http(json!([1, 2, 3])),
            http(big.clone()),
            http(wrapper(big.clone(), json!({"contentType": "not a type"}))),
            http(wrapper(json!("!!!"), json!({"encoded": "base64"}))),
            http(wrapper(big.clone(), json!({"encoded": "base64"}))),
            http(wrapper(json!("x"), json!({"encoded": "rot13"}))),
            json!({"type": "Asynchronous/Messages", "description": "event",
                   "contents": wrapper(big.clone(), json!({"contentType": "???"}))}),
            json!({"type": "Synchronous/Messages", "description": "sync",
                   "request": {"contents": wrapper(big.clone(), json!({}))},
                   "response": [{"contents": wrapper(json!("%%"), json!({"encoded": "base64"}))},
                                {"contents": big.clone()}]}),
        ];
        let text = json!({
            "consumer": {"name": "web"}, "provider": {"name": "api"},
            "interactions": interactions,
            "metadata": {"pactSpecification": {"version": "4.0"}}
        })
        .to_string();
        let eager = parse_contract(&text).unwrap_err();
        assert!(eager.problems.len() >= 6, "{eager}");
        assert_eq!(LazyContract::parse(text).unwrap_err(), eager);
    }

    /// The bodies a verifier only matches, turned back from text into
    /// JSON, in every body of `interactions`; how many there were.
    fn parse_texts(interactions: &mut [Interaction]) -> usize {
        let mut texts = 0;
        for interaction in interactions {
            let bodies: Vec<&mut Body> = match &mut interaction.kind {
                InteractionKind::Http { request, response } => {
                    vec![&mut request.body, &mut response.body]
                }
                InteractionKind::AsyncMessage(message) => vec![&mut message.contents],
                InteractionKind::SyncMessage { request, responses } => {
                    let mut bodies = vec![&mut request.contents];
                    bodies.extend(responses.iter_mut().map(|r| &mut r.contents));
                    bodies
                }
            };
            for body in bodies {
                let Body::Present { content, .. } = body else {
                    continue;
                };
                let value = match &*content {
                    BodyContent::Text(text) if text.starts_with(['{', '[']) => {
                        serde_json::from_str(text).unwrap()
                    }
                    _ => continue,
                };
                *content = BodyContent::Json(value);
                texts += 1;
            }
        }
        texts
    }

    /// Verifying reads response bodies, message contents and synchronous
    /// responses as text; parsed, they are what the serial reader gives, in
    /// every version and body shape, and request bodies are read whole.
    #[test]
    fn bodies_kept_as_text_are_the_bodies_read() {
        let body = json!({"lines": [{"sku": "A", "qty": 1}], "total": 2});
        let with_content = json!({"content": {"a": [1]}, "total": 2});
        for version in ["3.0.0", "4.0"] {
            let v4 = version == "4.0";
            let http = |i: usize, request_body: Value, response_body: Value| {
                let mut item = json!({
                    "description": format!("http {i}"),
                    "request": {"method": "POST", "path": "/", "body": request_body},
                    "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                                 "body": response_body}
                });
                if v4 {
                    item["type"] = json!("Synchronous/HTTP");
                }
                item
            };
            let wrap = |content: &Value| {
                if v4 {
                    json!({"content": content, "contentType": "application/json"})
                } else {
                    content.clone()
                }
            };
            let mut interactions = vec![
                http(0, wrap(&body), wrap(&body)),
                http(1, json!([1, 2]), json!([{"x": 1}])),
                http(2, json!("text"), json!("text")),
                http(3, json!({}), json!({})),
            ];
            // Messages: texts left out of contents and sync responses.
            let mut messages = 0;
            if v4 {
                interactions.extend([
                    json!({"type": "Asynchronous/Messages", "description": "event",
                           "contents": wrap(&body)}),
                    json!({"type": "Synchronous/Messages", "description": "sync",
                           "request": {"contents": wrap(&body)},
                           "response": [{"contents": wrap(&body)}, {"contents": wrap(&json!([1]))}]}),
                    json!({"type": "Synchronous/Messages", "description": "sync, one response",
                           "request": {"contents": wrap(&body)},
                           "response": {"contents": wrap(&body)}}),
                    // A body where its kind has none is not read at all.
                    json!({"type": "Synchronous/HTTP", "description": "stray contents",
                           "request": {"method": "GET", "path": "/"},
                           "response": {"status": 200, "contents": body.clone()},
                           "contents": body.clone()}),
                ]);
                messages = 4;
            } else {
                // Not a wrapper before V4: the whole object is the body.
                interactions.push(http(4, with_content.clone(), with_content.clone()));
            }
            let mut top = json!({
                "consumer": {"name": "web"}, "provider": {"name": "api"},
                "interactions": interactions,
                "metadata": {"pactSpecification": {"version": version}}
            });
            if !v4 {
                top["messages"] = json!([{"description": "v3 event", "contents": body.clone()}]);
                messages = 1;
            }
            let text = top.to_string();
            let eager = parse_contract(&text).unwrap();
            let lazy = LazyContract::parse(text).unwrap();
            let read = lazy.read(0..lazy.len());
            assert_eq!(read, eager.interactions, "{version}");
            let mut kept: Vec<Interaction> = lazy.into_batches(2).flatten().collect();
            let texts = parse_texts(&mut kept);
            // Bodies 0, 1 and 3 and the V3 body 4 are kept as text; in V4
            // the empty object of body 3, no wrapper, is read as it is.
            assert_eq!(
                texts,
                if v4 { 2 + messages } else { 4 + messages },
                "{version}"
            );
            assert_eq!(kept, read, "{version}");
        }
    }

    #[test]
    fn documents_nested_too_deep_are_reported_where_the_serial_reader_finds_them() {
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let text = contract(2, false).replace("{\"id\":0}", &deep);
        assert!(text.contains(&deep));
        let eager = parse_contract(&text).unwrap_err();
        assert!(eager.to_string().contains("deeper than 128"), "{eager}");
        assert_eq!(LazyContract::parse(text).unwrap_err(), eager);
    }

    #[test]
    fn files_without_a_declared_version_are_read_whole() {
        let text = contract(3, false).replace("pactSpecification", "other");
        let eager = parse_contract(&text).unwrap();
        let lazy = LazyContract::parse(text).unwrap();
        assert!(lazy.text.is_empty());
        assert_eq!(lazy.read(0..lazy.len()), eager.interactions);
    }
}
