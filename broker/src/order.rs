//! Version ordering: semver order when version numbers are semver, else
//! creation order.
//!
//! [`semver_key`] encodes a semver number as text that sorts, byte by byte,
//! the way semver precedence does, so the database can order and index it.
//! A pacticipant whose version numbers are all semver has its versions
//! ordered by that key (then by creation); as soon as one number is not
//! semver, its versions are ordered by creation alone.

use semver::Version;

/// The sortable key of a semver version number, or `""` when the number is
/// not semver. Build metadata is ignored, as semver precedence does.
pub(crate) fn semver_key(number: &str) -> String {
    let Ok(version) = Version::parse(number) else {
        return String::new();
    };
    let mut key = String::new();
    for part in [version.major, version.minor, version.patch] {
        key.push_str(&format!("{part:020}."));
    }
    if version.pre.is_empty() {
        // A release sorts after all of its pre-releases.
        key.push('~');
        return key;
    }
    key.push('-');
    for identifier in version.pre.as_str().split('.') {
        if identifier.bytes().all(|b| b.is_ascii_digit()) {
            // Numeric identifiers: by length, then digits; below alphanumerics.
            key.push_str(&format!("0{:03}{identifier}", identifier.len()));
        } else {
            key.push('1');
            key.push_str(identifier);
        }
        // Lower than every character an identifier may hold, so a shorter
        // list of equal identifiers sorts first.
        key.push('!');
    }
    key
}

#[cfg(test)]
mod tests {
    use super::semver_key;

    #[test]
    fn keys_sort_like_semver_precedence() {
        let ordered = [
            "0.9.0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.2.0",
            "1.10.0",
            "10.0.0",
        ];
        for pair in ordered.windows(2) {
            assert!(
                semver_key(pair[0]) < semver_key(pair[1]),
                "{} should sort before {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn non_semver_has_no_key_and_build_metadata_is_ignored() {
        assert_eq!(semver_key("abc123"), "");
        assert_eq!(semver_key("1.0"), "");
        assert_eq!(semver_key("1.0.0+build.5"), semver_key("1.0.0"));
    }
}
