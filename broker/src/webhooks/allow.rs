//! Which targets webhooks may call: URL schemes, HTTP methods and hosts
//! (the Pact Broker's `webhook_scheme_whitelist`,
//! `webhook_http_method_whitelist` and `webhook_host_whitelist`).
//!
//! Checked when a webhook is created or updated, and again before every
//! attempt (templates are rendered by then, and the list may have changed
//! since the webhook was saved).

use std::net::IpAddr;

use crate::error::BrokerError;

/// The allowed webhook targets. The default allows `https` and `POST` to
/// any host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowList {
    schemes: Vec<String>,
    methods: Vec<String>,
    /// Empty: any host.
    hosts: Vec<HostRule>,
}

/// One `--webhook-host-allow` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostRule {
    /// A host name, lowercase; `*` matches any run of characters
    /// (`*.example.com`).
    Name(String),
    /// An address or network (`10.0.0.0/8`); matches IP-literal hosts
    /// only (names are not resolved).
    Net { addr: IpAddr, prefix: u8 },
}

/// A host rule that cannot be parsed.
#[derive(Debug, thiserror::Error)]
#[error("invalid webhook host rule '{rule}': {reason}")]
pub struct AllowListError {
    rule: String,
    reason: &'static str,
}

impl Default for AllowList {
    fn default() -> AllowList {
        AllowList {
            schemes: vec!["https".into()],
            methods: vec!["POST".into()],
            hosts: Vec::new(),
        }
    }
}

impl AllowList {
    /// An allow-list from schemes, methods and host rules (host names,
    /// `*` globs, IP addresses or CIDR networks; none allows any host).
    pub fn new<S: AsRef<str>>(
        schemes: &[S],
        methods: &[S],
        hosts: &[S],
    ) -> Result<AllowList, AllowListError> {
        let hosts = hosts
            .iter()
            .map(|h| HostRule::parse(h.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(AllowList {
            schemes: schemes
                .iter()
                .map(|s| s.as_ref().to_ascii_lowercase())
                .collect(),
            methods: methods
                .iter()
                .map(|m| m.as_ref().to_ascii_uppercase())
                .collect(),
            hosts,
        })
    }

    /// Whether any host may be called (no host rule configured).
    pub fn allows_any_host(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Checks a webhook request's method and URL; the error names the
    /// field and the rule.
    pub(crate) fn check(&self, method: &str, url: &str) -> Result<(), BrokerError> {
        let method = method.to_ascii_uppercase();
        if !self.methods.contains(&method) {
            return Err(BrokerError::invalid(
                "request.method",
                format!(
                    "method {method} is not allowed for webhooks; allowed: {} (treaty broker --webhook-method-allow)",
                    list(&self.methods)
                ),
            ));
        }
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            BrokerError::invalid(
                "request.url",
                format!("is not a valid URL ({e}); template parameters cannot be used in the scheme or host"),
            )
        })?;
        let scheme = parsed.scheme();
        if !self.schemes.iter().any(|s| s == scheme) {
            return Err(BrokerError::invalid(
                "request.url",
                format!(
                    "scheme {scheme} is not allowed for webhooks; allowed: {} (treaty broker --webhook-scheme-allow)",
                    list(&self.schemes)
                ),
            ));
        }
        let host = parsed.host_str().unwrap_or_default();
        if self.hosts.is_empty() || self.hosts.iter().any(|rule| rule.matches(host)) {
            return Ok(());
        }
        let rules: Vec<String> = self.hosts.iter().map(HostRule::to_string).collect();
        Err(BrokerError::invalid(
            "request.url",
            format!(
                "host {host} is not allowed for webhooks; allowed: {} (treaty broker --webhook-host-allow)",
                list(&rules)
            ),
        ))
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

impl HostRule {
    fn parse(rule: &str) -> Result<HostRule, AllowListError> {
        let error = |reason| AllowListError {
            rule: rule.to_owned(),
            reason,
        };
        let rule = rule.trim();
        if let Some((addr, prefix)) = rule.split_once('/') {
            let addr: IpAddr = addr.parse().map_err(|_| error("not an IP network"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let prefix = prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| error("the prefix length is out of range"))?;
            return Ok(HostRule::Net { addr, prefix });
        }
        if let Ok(addr) = rule.trim_matches(['[', ']']).parse::<IpAddr>() {
            let prefix = if addr.is_ipv4() { 32 } else { 128 };
            return Ok(HostRule::Net { addr, prefix });
        }
        let valid = !rule.is_empty()
            && rule
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | '_'));
        if !valid {
            return Err(error(
                "expected a host name (with * globs), an IP address or a CIDR network",
            ));
        }
        Ok(HostRule::Name(rule.to_ascii_lowercase()))
    }

    fn matches(&self, host: &str) -> bool {
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        match self {
            HostRule::Name(pattern) => glob(pattern.as_bytes(), host.as_bytes()),
            HostRule::Net { addr, prefix } => host
                .parse::<IpAddr>()
                .is_ok_and(|ip| in_network(ip, *addr, *prefix)),
        }
    }
}

impl std::fmt::Display for HostRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostRule::Name(name) => f.write_str(name),
            HostRule::Net { addr, prefix } => write!(f, "{addr}/{prefix}"),
        }
    }
}

/// `*` matches any run of characters, everything else itself.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| glob(rest, &text[skip..])),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

fn in_network(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(hosts: &[&str]) -> AllowList {
        AllowList::new(&["https", "http"], &["POST"], hosts).unwrap()
    }

    fn message(result: Result<(), BrokerError>) -> (String, String) {
        match result {
            Err(BrokerError::Validation { field, message }) => (field, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_allow_https_post_to_any_host() {
        let list = AllowList::default();
        assert!(list.allows_any_host());
        assert!(list.check("post", "https://anything.test/x").is_ok());
        let (field, text) = message(list.check("POST", "http://anything.test/x"));
        assert_eq!(field, "request.url");
        assert!(text.contains("scheme http is not allowed") && text.contains("allowed: https"));
        let (field, text) = message(list.check("PUT", "https://anything.test/x"));
        assert_eq!(field, "request.method");
        assert!(text.contains("method PUT is not allowed") && text.contains("allowed: POST"));
    }

    #[test]
    fn hosts_match_names_globs_addresses_and_networks() {
        let list = allow(&["ci.example.com", "*.hooks.test", "10.0.0.0/8", "::1"]);
        for ok in [
            "https://CI.example.com/b",
            "https://a.hooks.test/",
            "https://a.b.hooks.test/",
            "http://10.1.2.3:8080/x",
            "http://[::1]/x",
        ] {
            assert!(list.check("POST", ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://example.com/",
            "https://hooks.test/",
            "http://11.0.0.1/",
            "http://127.0.0.1/",
            "https://ci.example.com.evil.test/",
        ] {
            let (field, text) = message(list.check("POST", bad));
            assert_eq!(field, "request.url", "{bad}");
            assert!(text.contains("is not allowed") && text.contains("--webhook-host-allow"));
        }
    }

    #[test]
    fn a_templated_host_passes_only_a_rule_matching_it_and_is_checked_when_sent() {
        let templated = "https://${pactbroker.x}/y";
        let (field, _) = message(allow(&["ci.test"]).check("POST", templated));
        assert_eq!(field, "request.url");
        assert!(allow(&[]).check("POST", templated).is_ok());
        assert!(allow(&["ci.test"])
            .check("POST", "https://ci.test/${pactbroker.consumerName}")
            .is_ok());
        let (field, text) = message(allow(&[]).check("POST", "${pactbroker.scheme}://ci.test/"));
        assert_eq!(field, "request.url");
        assert!(text.contains("not a valid URL"), "{text}");
    }

    #[test]
    fn bad_rules_are_refused() {
        for rule in ["10.0.0.0/33", "not a host", "", "1.2.3.4/x"] {
            assert!(
                AllowList::new(&["https"], &["POST"], &[rule]).is_err(),
                "{rule}"
            );
        }
    }
}
