//! Selection metadata in pact URLs (`.../pact-version/{sha}/metadata/{m}`):
//! URL-safe base64 (no padding) of a Rack query. `s[][cv]=ID` names a
//! consumer version (by id) whose pact selected the content; `w=true`
//! marks a work-in-progress pact.

use base64::Engine;

fn encode(query: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(query)
}

fn pairs(metadata: &str) -> Vec<(String, String)> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(metadata.trim_end_matches('='))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(|query| {
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

/// Metadata naming a consumer version.
pub(crate) fn for_consumer_version(version_id: i64) -> String {
    encode(&format!("s[][cv]={version_id}"))
}

/// Metadata marking a WIP pact.
pub(crate) fn wip() -> String {
    encode("w=true")
}

/// Whether metadata marks a WIP pact.
pub(crate) fn is_wip(metadata: Option<&str>) -> bool {
    metadata.is_some_and(|m| pairs(m).iter().any(|(k, v)| k == "w" && v == "true"))
}

/// The consumer version ids metadata names.
pub(crate) fn consumer_versions(metadata: Option<&str>) -> Vec<i64> {
    metadata.map_or_else(Vec::new, |m| {
        pairs(m)
            .iter()
            .filter(|(k, _)| k == "s[][cv]")
            .filter_map(|(_, v)| v.parse().ok())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let m = for_consumer_version(42);
        assert_eq!(consumer_versions(Some(&m)), [42]);
        assert!(!is_wip(Some(&m)));
        assert!(is_wip(Some(&wip())));
        assert!(consumer_versions(Some("!!not base64")).is_empty());
        assert!(consumer_versions(None).is_empty());
    }
}
