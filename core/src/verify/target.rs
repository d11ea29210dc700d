//! Where a plain-HTTP request goes: the connection's `host:port`, the
//! `Host` header and the path. A verification builds every request's URL
//! from the provider URL and a contract's path, nearly always already in
//! the form the URL standard gives it; such URLs are read here without the
//! URL parser, which costs a few percent of a run's CPU. Any other URL is
//! parsed (percent-encoded, dot segments removed, hosts normalized).

/// Where a plain-HTTP request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// `host:port`, the port made explicit.
    pub(crate) origin: String,
    /// The `Host` header: the host, and the port unless it is 80.
    pub(crate) host: String,
    /// The path, and the query after `?`.
    pub(crate) path: String,
}

impl Target {
    /// The target of a parsed `http:` URL.
    pub(crate) fn of(url: &reqwest::Url) -> Target {
        let host = url.host_str().unwrap_or_default();
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        Target {
            origin: format!("{host}:{}", url.port_or_known_default().unwrap_or(80)),
            host: match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            },
            path,
        }
    }

    /// The target of an `http:` URL that parsing would leave as it is;
    /// `None` for any other, which must be parsed.
    pub(crate) fn canonical(url: &str) -> Option<Target> {
        let rest = url.strip_prefix("http://")?;
        let (authority, path) = rest.split_at(rest.find('/')?);
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if !canonical_host(host) || !canonical_path(path) {
            return None;
        }
        let origin = match port {
            // The default port is dropped by parsing; leading zeros too.
            Some(port) if port != "80" && !port.starts_with('0') => {
                port.parse::<u16>().ok()?;
                authority.to_owned()
            }
            Some(_) => return None,
            None => format!("{host}:80"),
        };
        Some(Target {
            origin,
            host: authority.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// A lowercase domain name, or an IPv4 address in dotted-decimal form.
/// (A last label that starts with a digit makes the URL standard read the
/// host as an IPv4 address: `127.1`, `0x7f.1`.)
fn canonical_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let plain_label = |label: &&str| {
        // Punycode labels are checked by parsing.
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !labels.iter().all(plain_label) {
        return false;
    }
    match labels.last().and_then(|last| last.bytes().next()) {
        Some(b) if b.is_ascii_digit() => {
            labels.len() == 4
                && labels.iter().all(|label| {
                    label.bytes().all(|b| b.is_ascii_digit())
                        && (label.len() == 1 || !label.starts_with('0'))
                        && label.parse::<u8>().is_ok()
                })
        }
        Some(_) => true,
        None => false,
    }
}

/// A path (and query) of characters parsing keeps as they are, without
/// dot segments (`.`, `..`, or their percent-encoded forms) and without a
/// fragment.
fn canonical_path(path: &str) -> bool {
    let (path_part, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    let plain = |text: &str, extra: &[u8]| {
        let bytes = text.as_bytes();
        bytes.iter().enumerate().all(|(i, &b)| match b {
            b'%' => bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)),
            b if b.is_ascii_alphanumeric() => true,
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'(' | b')' | b'*' | b'+' | b','
            | b';' | b'=' | b':' | b'@' | b'/' => true,
            b => extra.contains(&b),
        })
    };
    let dots = |segment: &str| {
        let lower = segment.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e"
        )
    };
    plain(path_part, &[])
        && !path_part.split('/').any(dots)
        && query.is_none_or(|query| plain(query, b"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_are_read_as_parsing_reads_them() {
        for url in [
            "http://127.0.0.1:8080/items/1",
            "http://localhost/x?a=1&b=two%20words",
            "http://provider.internal:9000/api/v1/users/42?q=a:b@c,d;e=f",
            "http://my-host/",
            "http://10.0.0.255:1/a/b.json",
            "http://h/a/.hidden/..x/b",
        ] {
            let parsed = reqwest::Url::parse(url).unwrap();
            assert_eq!(parsed.as_str(), url, "canonical as written");
            assert_eq!(Target::canonical(url), Some(Target::of(&parsed)), "{url}");
        }
    }

    #[test]
    fn other_urls_are_left_to_the_parser() {
        for url in [
            "https://h/x",
            "http://h",
            "http://h:80/x",
            "http://h:080/x",
            "http://h:99999/x",
            "http://H/x",
            "http://127.1/x",
            "http://1.2.3.04/x",
            "http://0x7f.0.0.1/x",
            "http://host.123/x",
            "http://a..b/x",
            "http://user@h/x",
            "http://[::1]/x",
            "http://xn--nxasmq6b/x",
            "http://h:/x",
            "http://h?x=/y",
            "http://h/a b",
            "http://h/é",
            "http://h/a/../b",
            "http://h/a/./b",
            "http://h/a/%2E%2e/b",
            "http://h/a/..",
            "http://h/x#frag",
            "http://h/x?it's",
            "http://h/x?a b",
            "http://h/a\\b",
            "http://h/%zz",
            "http://h/{x}",
        ] {
            assert_eq!(Target::canonical(url), None, "{url}");
        }
    }

    #[test]
    fn urls_parsing_changes_still_reach_the_same_place() {
        let parsed = reqwest::Url::parse("http://H:80/a/../b c?x").unwrap();
        let target = Target::of(&parsed);
        assert_eq!(target.origin, "h:80");
        assert_eq!(target.host, "h");
        assert_eq!(target.path, "/b%20c?x");
    }
}
