//! Reading large contracts on several threads.
//!
//! The top level is scanned first, each interaction kept as raw text; then
//! every thread parses and reads its share of the interactions. The result
//! (contract, and problems in order) is the serial reader's.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value};

use super::contract::{declared_version, interaction, read_top};
use super::problem::{ReadError, Reader};
use super::split::Splitter;
use crate::model::{Contract, Interaction, SpecVersion};

/// Below this size a file is read on one thread: splitting costs more than
/// it saves.
const MIN_PARALLEL_BYTES: usize = 1 << 20;

/// At most this many reading threads.
const MAX_THREADS: usize = 8;

/// How many threads read a file of `len` bytes.
pub(super) fn threads_for(len: usize) -> usize {
    if len < MIN_PARALLEL_BYTES {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_THREADS)
}

/// The top level of a contract, its interaction lists left unparsed.
pub(super) struct Scanned<'a> {
    /// Everything but the interaction lists, parsed.
    pub(super) top: Map<String, Value>,
    /// The version the metadata declares.
    pub(super) version: SpecVersion,
    /// `interactions` then `messages` (their keys), each item's text (not
    /// checked yet: the caller parses each).
    pub(super) lists: Vec<(&'static str, Vec<&'a str>)>,
    /// How deep arrays and objects nest in the whole text.
    pub(super) deepest: usize,
}

/// Scans the top level of `text`; `None` when it is not an object with
/// interaction lists and a declared version, when a key repeats, or when
/// what it parses is not JSON (the serial reader then reads it and locates
/// any problem).
pub(super) fn scan(text: &str) -> Option<Scanned<'_>> {
    let mut splitter = Splitter::new(text);
    let mut top = Map::new();
    let mut lists: Vec<(&'static str, Vec<&str>)> = Vec::new();
    splitter.object_with(|key, s| {
        let list = match &*key {
            "interactions" => "interactions",
            "messages" => "messages",
            _ => {
                let parsed = serde_json::from_str(s.value()?).ok()?;
                return top.insert(key.into_owned(), parsed).is_none().then_some(());
            }
        };
        if lists.iter().any(|(other, _)| *other == list) || s.peek_value()? != b'[' {
            return None;
        }
        let mut items = Vec::new();
        s.array_with(|s| {
            items.push(s.value()?);
            Some(())
        })?;
        lists.push((list, items));
        Some(())
    })?;
    splitter.end()?;
    // "interactions" comes before "messages", as in the serial reader.
    lists.sort_by_key(|(key, _)| *key);
    let top = Value::Object(top);
    let version = declared_version(&top)?;
    let Value::Object(top) = top else {
        return None;
    };
    Some(Scanned {
        top,
        version,
        lists,
        deepest: splitter.deepest,
    })
}

/// Runs `f(first index, chunk)` over `items` on `threads` threads (the
/// caller's among them); the results in order, or `None` if one gave
/// `None`. The chunks are small and taken in turn, so a thread that meets
/// large interactions does not hold the others up.
pub(super) fn in_chunks<'a, T: Send>(
    items: &[&'a str],
    threads: usize,
    f: impl Fn(usize, &[&'a str]) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let threads = threads.max(1);
    let chunk = items.len().div_ceil(threads * CHUNKS_PER_THREAD).max(1);
    let chunks: Vec<&[&str]> = items.chunks(chunk).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let n = next.fetch_add(1, Ordering::Relaxed);
            let Some(items) = chunks.get(n) else {
                return Some(done);
            };
            done.push((n, f(n * chunk, items)?));
        }
    };
    let mut results = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mine = work();
        others
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .chain([mine])
            .collect::<Option<Vec<_>>>()
    })?
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    results.sort_unstable_by_key(|(n, _)| *n);
    Some(results.into_iter().map(|(_, result)| result).collect())
}

/// Chunks per reading thread.
const CHUNKS_PER_THREAD: usize = 8;

/// Reads `text` on several threads; `None` when the serial reader should
/// (a small file, one core, or what [`scan`] leaves to it).
pub(super) fn read(text: &str) -> Option<Result<Contract, ReadError>> {
    let threads = threads_for(text.len());
    if threads < 2 {
        return None;
    }
    let Scanned {
        top,
        version,
        lists,
        ..
    } = scan(text)?;
    let mut reader = Reader::new(version);
    let mut contract = read_top(&mut reader, &top);
    for (key, items) in &lists {
        let parts = in_chunks(items, threads, |first, items| {
            read_chunk(version, key, first, items)
        })?;
        for (interactions, problems) in parts {
            contract.interactions.extend(interactions);
            reader.absorb(problems);
        }
    }
    Some(reader.finish(contract))
}

/// Parses and reads `items`, the interactions of list `key` from index
/// `first` on; `None` if one is not JSON the parser accepts.
fn read_chunk(
    version: SpecVersion,
    key: &str,
    first: usize,
    items: &[&str],
) -> Option<(Vec<Interaction>, Reader)> {
    let mut reader = Reader::new(version);
    let message = key == "messages";
    let mut out = Vec::with_capacity(items.len());
    reader.at(key, |r| {
        for (i, raw) in items.iter().enumerate() {
            let value: Value = serde_json::from_str(raw).ok()?;
            out.extend(r.at(first + i, |r| interaction(r, value, message)));
        }
        Some(())
    })?;
    Some((out, reader))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::read::{parse_json, read_contract_owned};

    /// A contract of `n` interactions over 1 MiB, some of them broken.
    fn large(n: usize, broken: bool) -> String {
        let interactions: Vec<Value> = (0..n)
            .map(|i| {
                let mut item = json!({
                    "type": "Synchronous/HTTP",
                    "description": format!("get item {i}"),
                    "providerStates": [{"name": "items exist", "params": {"id": i}}],
                    "request": {"method": "GET", "path": format!("/items/{i}")},
                    "response": {
                        "status": 200,
                        "body": {"content": {"id": i, "lines": vec![json!({"sku": "SKU-1", "qty": 2}); 40]}},
                        "matchingRules": {"body": {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}}
                    }
                });
                if broken && i % 97 == 5 {
                    item["request"]["method"] = json!(42);
                    item.as_object_mut().unwrap().remove("description");
                }
                item
            })
            .collect();
        let messages: Vec<Value> = (0..3)
            .map(|i| json!({"description": format!("event {i}"), "contents": {"n": i}}))
            .collect();
        json!({
            "consumer": {"name": "web"},
            "provider": {"name": "api"},
            "interactions": interactions,
            "messages": messages,
            "metadata": {"pactSpecification": {"version": "4.0"}, "tool": "x"},
            "custom": [1, 2]
        })
        .to_string()
    }

    fn serial(text: &str) -> Result<Contract, ReadError> {
        read_contract_owned(parse_json(text)?)
    }

    #[test]
    fn reads_what_the_serial_reader_reads() {
        let text = large(2000, false);
        assert!(text.len() > MIN_PARALLEL_BYTES);
        let parallel = read(&text).expect("taken in parallel").expect("valid");
        assert_eq!(parallel.interactions.len(), 2003);
        assert_eq!(Ok(parallel), serial(&text));
    }

    #[test]
    fn reports_the_problems_the_serial_reader_reports_in_order() {
        let text = large(2000, true);
        let parallel = read(&text).expect("taken in parallel");
        let problems = parallel.as_ref().expect_err("broken").problems.len();
        assert!(problems >= 40, "{problems} problems");
        assert_eq!(parallel, serial(&text));
    }

    #[test]
    fn leaves_small_undeclared_and_invalid_files_to_the_serial_reader() {
        assert!(read(&large(10, false)).is_none());
        let undeclared = large(2000, false).replace("pactSpecification", "other");
        assert!(read(&undeclared).is_none());
        let mut invalid = large(2000, false);
        invalid.push(',');
        assert!(read(&invalid).is_none());
    }
}
