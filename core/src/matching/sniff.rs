//! Detecting a content type from bytes, for the `contentType` matcher.

/// Magic numbers of common binary formats.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\xFF\xD8\xFF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"RIFF", "image/webp"),
    (b"BM", "image/bmp"),
];

/// The content type the bytes look like.
pub(crate) fn detect(bytes: &[u8]) -> &'static str {
    if let Some((_, ct)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return ct;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return "application/octet-stream";
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with("<?xml")
        || trimmed.starts_with('<') && roxmltree::Document::parse(text).is_ok()
    {
        "application/xml"
    } else if serde_json::from_str::<serde_json::Value>(text).is_ok()
        && (trimmed.starts_with('{') || trimmed.starts_with('['))
    {
        "application/json"
    } else {
        "text/plain"
    }
}

/// True when `detected` and `expected` name the same media type (ignoring
/// parameters and case).
pub(crate) fn same_essence(detected: &str, expected: &str) -> bool {
    let essence = |s: &str| {
        s.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    essence(detected) == essence(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_types() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0rest"), "image/jpeg");
        assert_eq!(detect(b"%PDF-1.4"), "application/pdf");
        assert_eq!(detect(b"{\"a\":1}"), "application/json");
        assert_eq!(detect(b"<a/>"), "application/xml");
        assert_eq!(detect(b"hello"), "text/plain");
        assert_eq!(detect(&[0, 159, 146, 150]), "application/octet-stream");
        assert!(same_essence("image/jpeg", "Image/JPEG; q=1"));
    }
}
