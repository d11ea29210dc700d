//! Finding the interactions whose paths are nearest a request's path
//! without scanning them all: a trie of path segments. The nearest are
//! those under the deepest node the request's path reaches, then those
//! under its parent, and so on up to the root; children are visited in
//! segment order, so the answer is deterministic.

use std::collections::BTreeMap;

/// Interaction ids by path segments.
#[derive(Debug, Default)]
pub(crate) struct PathTrie {
    children: BTreeMap<String, PathTrie>,
    here: Vec<usize>,
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

impl PathTrie {
    pub(crate) fn insert(&mut self, path: &str, id: usize) {
        let mut node = self;
        for segment in segments(path) {
            node = node.children.entry(segment.to_owned()).or_default();
        }
        node.here.push(id);
    }

    /// At least `want` ids (fewer when there are not that many), nearest
    /// to `path` first.
    pub(crate) fn nearest(&self, path: &str, want: usize) -> Vec<usize> {
        let mut trail = vec![self];
        for segment in segments(path) {
            match trail.last().and_then(|n| n.children.get(segment)) {
                Some(child) => trail.push(child),
                None => break,
            }
        }
        let mut out = Vec::new();
        let mut done: Option<&PathTrie> = None;
        while let Some(node) = trail.pop() {
            node.collect(done, want, &mut out);
            if out.len() >= want {
                break;
            }
            done = Some(node);
        }
        out
    }

    /// Depth-first, in segment order, skipping the subtree already taken.
    fn collect(&self, skip: Option<&PathTrie>, want: usize, out: &mut Vec<usize>) {
        if skip.is_some_and(|s| std::ptr::eq(s, self)) {
            return;
        }
        out.extend(&self.here);
        for child in self.children.values() {
            if out.len() >= want {
                return;
            }
            child.collect(skip, want, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_shared_prefix_comes_first() {
        let mut trie = PathTrie::default();
        for (id, path) in ["/a/1", "/a/2", "/b/1", "/a/1/x", "/"].iter().enumerate() {
            trie.insert(path, id);
        }
        assert_eq!(trie.nearest("/a/1/y", 1), [0]);
        assert_eq!(trie.nearest("/a/1/y", 2), [0, 3]);
        assert_eq!(trie.nearest("/a/9", 3), [0, 3, 1]);
        assert_eq!(trie.nearest("/zzz", 2), [4, 0]);
        let all = trie.nearest("/a/1", 10);
        assert_eq!(all.len(), 5);
    }
}
