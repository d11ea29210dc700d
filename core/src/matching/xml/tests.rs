use super::*;
use crate::model::{DocPath, Matcher, Pattern};

fn rules(list: &[(&str, Matcher)]) -> RuleCategory {
    let mut category = RuleCategory::default();
    for (path, matcher) in list {
        category.add(DocPath::parse(path).unwrap(), matcher.clone());
    }
    category
}

fn run(rules: &RuleCategory, extra: ExtraKeys, expected: &str, actual: &str) -> Vec<String> {
    compare(
        &BodyContent::Text(expected.into()),
        &BodyContent::Text(actual.into()),
        Some(rules),
        extra,
    )
    .into_iter()
    .map(|m| format!("{} {}", m.path, m.message))
    .collect()
}

fn response(expected: &str, actual: &str) -> Vec<String> {
    run(
        &RuleCategory::default(),
        ExtraKeys::Allowed,
        expected,
        actual,
    )
}

fn request(expected: &str, actual: &str) -> Vec<String> {
    run(
        &RuleCategory::default(),
        ExtraKeys::Forbidden,
        expected,
        actual,
    )
}

fn regex(source: &str) -> Matcher {
    Matcher::Regex(Pattern::new(source).unwrap())
}

#[test]
fn namespace_uris_count_and_prefixes_do_not() {
    let expected =
        r#"<a:root xmlns:a="urn:x" xmlns:n="urn:n" n:id="1"><a:item>1</a:item></a:root>"#;
    let prefixed =
        r#"<b:root xmlns:b="urn:x" xmlns:m="urn:n" m:id="1"><b:item>1</b:item></b:root>"#;
    let default = r#"<root xmlns="urn:x" xmlns:m="urn:n" m:id="1"><item>1</item></root>"#;
    assert!(request(expected, prefixed).is_empty());
    assert!(request(expected, default).is_empty());
    let other_child = r#"<a:root xmlns:a="urn:x" xmlns:n="urn:n" n:id="1"><item>1</item></a:root>"#;
    assert_eq!(
        response(expected, other_child),
        ["$.a:root.a:item Expected element <a:item>1</a:item> but it was missing"]
    );
    assert_eq!(
        response("<root/>", r#"<root xmlns="urn:x"/>"#),
        ["$ Expected root element <root> with no namespace but received <root> in namespace 'urn:x'"]
    );
    let other_attribute = r#"<a:root xmlns:a="urn:x" n:id="1" xmlns:n="urn:other"/>"#;
    assert_eq!(
        response(
            r#"<a:root xmlns:a="urn:x" n:id="1" xmlns:n="urn:n"/>"#,
            other_attribute
        ),
        ["$.a:root['@n:id'] Expected attribute @n:id='1' but it was missing"]
    );
}

#[test]
fn cdata_is_text() {
    let expected = "<a><![CDATA[x < y]]></a>";
    assert!(response(expected, "<a>x &lt; y</a>").is_empty());
    assert!(response(expected, "<a>  <![CDATA[x < y]]>\n</a>").is_empty());
    assert_eq!(
        response(expected, "<a><![CDATA[x > y]]></a>"),
        ["$.a.#text Expected text 'x < y' but received 'x > y'"]
    );
}

#[test]
fn attributes_compare_by_value_or_by_their_rules() {
    let r = rules(&[
        ("$.alligator['@age']", Matcher::Integer),
        ("$.alligator.@name", regex("[A-Z][a-z]+")),
    ]);
    let expected = r#"<alligator name="Mary" age="3" colour="green"/>"#;
    let run = |actual| run(&r, ExtraKeys::Allowed, expected, actual);
    assert!(run(r#"<alligator colour="green" age="12" name="Fred"/>"#).is_empty());
    assert_eq!(
        run(r#"<alligator name="fred" age="old" colour="grey"/>"#),
        [
            "$.alligator['@name'] Expected 'fred' to match '[A-Z][a-z]+'",
            "$.alligator['@age'] Expected 'old' (String) to be an integer",
            "$.alligator['@colour'] Expected @colour='green' but received @colour='grey'",
        ]
    );
}

#[test]
fn unexpected_attributes_and_elements_fail_requests_only() {
    let expected = r#"<a x="1"><b>1</b></a>"#;
    let actual = r#"<a x="1" y="2"><b>1</b><b>2</b><c/></a>"#;
    assert!(response(expected, actual).is_empty());
    assert_eq!(
        request(expected, actual),
        [
            "$.a['@y'] Unexpected attribute @y='2'",
            "$.a.b[1] Unexpected element <b>2</b>",
            "$.a.c Unexpected element <c/>",
        ]
    );
    assert_eq!(
        request("<a/>", "<a>text</a>"),
        ["$.a.#text Expected no text but received 'text'"]
    );
}

#[test]
fn same_named_children_compare_in_order_others_in_any_order() {
    let expected = "<a><b>1</b><c/><b>2</b></a>";
    assert!(request(expected, "<a><c/><b>1</b><b>2</b></a>").is_empty());
    assert_eq!(
        request(expected, "<a><b>2</b><b>1</b><c/></a>"),
        [
            "$.a.b[0].#text Expected text '1' but received '2'",
            "$.a.b[1].#text Expected text '2' but received '1'",
        ]
    );
    assert_eq!(
        response(expected, "<a><b>1</b><c/></a>"),
        ["$.a.b[1] Expected element <b>2</b> but it was missing"]
    );
}

#[test]
fn type_rules_loosen_the_count_and_use_the_first_child_as_template() {
    let r = rules(&[
        ("$.people.person", Matcher::MinMaxType(1, 3)),
        ("$.people.person.#text", regex("[A-Z][a-z]+")),
    ]);
    let expected = r#"<people><person id="1">Fred</person></people>"#;
    let run = |actual| run(&r, ExtraKeys::Forbidden, expected, actual);
    assert!(
        run(r#"<people><person id="7">Ann</person><person id="8">Bob</person></people>"#)
            .is_empty()
    );
    assert_eq!(
        run(r#"<people><person id="1">Ann</person><person id="2">bob</person></people>"#),
        ["$.people.person[1].#text Expected 'bob' to match '[A-Z][a-z]+'"]
    );
    assert_eq!(
        run("<people/>"),
        [
            "$.people.person Expected at least 1 <person> element but received 0",
            r#"$.people.person Expected element <person id="1">Fred</person> but it was missing"#,
        ]
    );
    let four = r#"<people><person id="1">Al</person><person id="1">Bo</person><person id="1">Cy</person><person id="1">Di</person></people>"#;
    assert_eq!(
        run(four),
        ["$.people.person Expected at most 3 <person> elements but received 4"]
    );
}

#[test]
fn an_optional_group_may_be_absent() {
    let r = rules(&[("$.a.b", Matcher::MinType(0))]);
    assert!(run(&r, ExtraKeys::Forbidden, "<a><b/></a>", "<a/>").is_empty());
}

#[test]
fn a_regex_on_an_element_applies_to_its_text() {
    let r = rules(&[("$.a.colour", regex("red|blue"))]);
    let expected = "<a><colour>red</colour></a>";
    assert!(run(
        &r,
        ExtraKeys::Forbidden,
        expected,
        "<a><colour>blue</colour></a>"
    )
    .is_empty());
    assert_eq!(
        run(
            &r,
            ExtraKeys::Forbidden,
            expected,
            "<a><colour>green</colour></a>"
        ),
        ["$.a.colour.#text Expected 'green' to match 'red|blue'"]
    );
    let container = rules(&[("$.a", Matcher::Type)]);
    assert!(run(
        &container,
        ExtraKeys::Forbidden,
        expected,
        "<a><colour>x</colour></a>"
    )
    .is_empty());
}

#[test]
fn malformed_documents_are_reported_with_their_position() {
    let broken = response("<a><b></a>", "<a>\n  <b></c>\n</a>");
    assert_eq!(
        broken,
        [
            "$ The expected body could not be parsed as XML: expected 'b' tag, not 'a' at 1:7",
            "$ The actual body could not be parsed as XML: expected 'b' tag, not 'c' at 2:6",
        ]
    );
    assert_eq!(
        response("<a/>", "  "),
        ["$ The actual body could not be parsed as XML: the body is empty"]
    );
    let bytes = compare(
        &BodyContent::Text("<a/>".into()),
        &BodyContent::Bytes(vec![0xff, 0xfe]),
        None,
        ExtraKeys::Allowed,
    );
    assert!(bytes[0].message.ends_with("it is not UTF-8 text"));
}

#[test]
fn deep_documents_are_reported_not_overflowed() {
    let depth = 50_000;
    let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let mismatches = response(&doc, &doc);
    assert_eq!(mismatches.len(), 1);
    assert!(mismatches[0].contains("nests deeper than 128 elements"));
}

#[test]
fn unicode_names_and_text() {
    let expected = r#"<straße größe="groß"><名前>ワニ</名前></straße>"#;
    assert!(request(expected, expected).is_empty());
    assert_eq!(
        request(
            expected,
            r#"<straße größe="klein"><名前>鰐</名前></straße>"#
        ),
        [
            "$.straße['@größe'] Expected @größe='groß' but received @größe='klein'",
            "$.straße.名前.#text Expected text 'ワニ' but received '鰐'",
        ]
    );
    let r = rules(&[("$.straße.名前", Matcher::Type)]);
    assert!(run(
        &r,
        ExtraKeys::Forbidden,
        expected,
        r#"<straße größe="groß"><名前>鰐</名前></straße>"#
    )
    .is_empty());
}

#[test]
fn a_different_root_is_one_mismatch() {
    assert_eq!(
        response("<a><b/></a>", "<z><b/></z>"),
        ["$ Expected root element <a> with no namespace but received <z> with no namespace"]
    );
}

#[test]
fn comments_and_processing_instructions_are_ignored() {
    let expected = "<?xml version='1.0'?><a><!-- note --><b>1</b></a>";
    assert!(request(expected, "<a><?pi x?><b>1<!-- x --></b></a>").is_empty());
}
