//! Explanations of misses, kept per loaded set of interactions: a client
//! repeating a request that matches nothing (a poller, a retry loop, a
//! health check the contracts lack) gets the same explanation without the
//! stub comparing it again with its closest interactions, so it cannot
//! slow the stub down for everyone else. A reload starts a new set, and
//! with it an empty cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::request::Parts;

/// Requests with a larger body are explained every time.
pub(crate) const MAX_KEYED_BODY: usize = 16 << 10;
/// Explanations kept; beyond this the cache starts over.
const CAPACITY: usize = 512;

/// A miss as answered: the serialised explanation and, for the request
/// log, the descriptions of the closest interactions.
#[derive(Debug)]
pub(crate) struct Miss {
    pub(crate) body: Bytes,
    pub(crate) closest: Vec<String>,
}

/// Misses by the whole request (method, target, headers in order, body).
#[derive(Debug, Default)]
pub(crate) struct MissCache {
    entries: Mutex<HashMap<Vec<u8>, Arc<Miss>>>,
}

impl MissCache {
    /// The cache key of a request; everything an explanation depends on.
    pub(crate) fn key(parts: &Parts, body: &[u8]) -> Vec<u8> {
        let mut key = Vec::with_capacity(128 + body.len());
        key.extend_from_slice(parts.method.as_str().as_bytes());
        key.push(b' ');
        key.extend_from_slice(parts.uri.to_string().as_bytes());
        for (name, value) in &parts.headers {
            key.push(b'\n');
            key.extend_from_slice(name.as_str().as_bytes());
            key.push(b':');
            key.extend_from_slice(value.as_bytes());
        }
        key.extend_from_slice(b"\n\n");
        key.extend_from_slice(body);
        key
    }

    pub(crate) fn get(&self, key: &[u8]) -> Option<Arc<Miss>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    pub(crate) fn put(&self, key: Vec<u8>, miss: Arc<Miss>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key, miss);
        }
    }
}
