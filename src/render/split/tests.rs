//! Cuts at each kind of boundary, tags reopened, nothing lost.

use super::{split_html, split_html_after_first};

/// The text of HTML as Telegram counts it (tags removed, entities decoded).
fn text_of(html: &str) -> String {
    fake_bot_api::html::text_content(html).unwrap_or_else(|err| panic!("{html:?}: {err}"))
}

fn assert_valid_chunks(chunks: &[String], limit: usize) {
    assert!(!chunks.is_empty());
    for chunk in chunks {
        let length =
            fake_bot_api::html::validate(chunk).unwrap_or_else(|err| panic!("{chunk:?}: {err}"));
        assert!(length <= limit, "{chunk:?} has {length} > {limit}");
        assert!(!text_of(chunk).trim().is_empty(), "{chunk:?} is blank");
    }
}

#[test]
fn short_html_is_one_chunk() {
    assert_eq!(split_html("<b>hi</b> there", 4096), ["<b>hi</b> there"]);
}

#[test]
fn cuts_prefer_a_paragraph_break() {
    let html = "first paragraph here\n\nsecond line one\nsecond line two";
    let chunks = split_html(html, 40);
    assert_eq!(
        chunks,
        ["first paragraph here", "second line one\nsecond line two"]
    );
}

#[test]
fn cuts_fall_back_to_a_line_break() {
    let chunks = split_html("alpha beta gamma\ndelta epsilon", 20);
    assert_eq!(chunks, ["alpha beta gamma", "delta epsilon"]);
}

#[test]
fn cuts_fall_back_to_a_space() {
    let chunks = split_html("alpha beta gamma delta", 12);
    assert_eq!(chunks, ["alpha beta", "gamma delta"]);
}

#[test]
fn a_paragraph_break_in_the_first_half_loses_to_a_late_line_break() {
    let chunks = split_html("ab\n\ncdefghij\nklmnopqrstuvwxyz", 16);
    assert_eq!(chunks, ["ab\n\ncdefghij", "klmnopqrstuvwxyz"]);
}

#[test]
fn text_without_spaces_is_cut_between_characters() {
    let chunks = split_html("大模型训练中常见的技术挑战", 5);
    assert_eq!(chunks, ["大模型训练", "中常见的技", "术挑战"]);
}

#[test]
fn entities_are_never_cut_and_count_as_one() {
    let chunks = split_html("&lt;&amp;&gt;&lt;&amp;", 2);
    assert_eq!(chunks, ["&lt;&amp;", "&gt;&lt;", "&amp;"]);
}

#[test]
fn an_open_tag_is_closed_and_reopened_with_its_attributes() {
    let html = "<a href=\"https://x.example/?a=1&amp;b=2\"><b>one two three</b></a> four";
    let chunks = split_html(html, 8);
    assert_eq!(
        chunks,
        [
            "<a href=\"https://x.example/?a=1&amp;b=2\"><b>one two</b></a>",
            "<a href=\"https://x.example/?a=1&amp;b=2\"><b>three</b></a>",
            "four",
        ]
    );
    assert_valid_chunks(&chunks, 8);
}

#[test]
fn code_blocks_reopen_with_their_language_and_keep_indentation() {
    let html =
        "<pre><code class=\"language-rust\">fn main() {\n    one();\n    two();\n}</code></pre>";
    let chunks = split_html(html, 25);
    assert_eq!(
        chunks,
        [
            "<pre><code class=\"language-rust\">fn main() {\n    one();</code></pre>",
            "<pre><code class=\"language-rust\">    two();\n}</code></pre>",
        ]
    );
}

#[test]
fn tags_closing_at_a_hard_cut_stay_in_the_chunk() {
    assert_eq!(
        split_html("<i>abc</i><b>def</b>", 3),
        ["<i>abc</i>", "<b>def</b>"]
    );
}

#[test]
fn combined_characters_are_not_cut_apart() {
    assert_eq!(split_html("abce\u{301}", 4), ["abc", "e\u{301}"]);
    let family = "👨\u{200D}👩\u{200D}👧";
    assert_eq!(split_html(&format!("ab{family}"), 6), ["ab", family]);
}

#[test]
fn whitespace_only_chunks_are_dropped() {
    assert!(split_html("  \n\n <b> </b>\n", 10).is_empty());
    assert_eq!(split_html("\n\n  x  \n\n", 10), ["x"]);
    assert_eq!(split_html("one\n\n\n\n\n\n\n\n\n\ntwo", 3), ["one", "two"]);
}

#[test]
fn no_text_is_lost_or_repeated() {
    let html = "<b>bold start</b> then plain &amp; more\n\n<blockquote>quoted text that goes on</blockquote>\n\n• item one\n• item two";
    for limit in 1..60 {
        let chunks = split_html(html, limit);
        assert_valid_chunks(&chunks, limit);
        let joined: String = chunks.iter().map(|chunk| text_of(chunk)).collect();
        let squash = |text: &str| text.split_whitespace().collect::<String>();
        assert_eq!(squash(&joined), squash(&text_of(html)), "limit {limit}");
    }
}

#[test]
fn malformed_html_does_not_panic() {
    for html in [
        "</b>x",
        "<b>x",
        "a < b & c",
        "<a href=\"x>y",
        "&#xFFFFFFFF; &#99999999999;",
    ] {
        let chunks = split_html(html, 2);
        assert!(!chunks.is_empty(), "{html}");
    }
}

#[test]
fn a_caption_first_then_messages_lose_nothing_and_break_no_tag() {
    let paragraph = "<b>Week</b> 统计 &lt;7&gt; <i>of the group</i> and more words here";
    let html = vec![paragraph; 40].join("\n\n");
    let chunks = split_html_after_first(&html, 100, 400);
    assert!(chunks.len() > 2);
    assert!(text_of(&chunks[0]).chars().count() <= 100, "{}", chunks[0]);
    assert_valid_chunks(&chunks[1..], 400);
    assert_valid_chunks(&chunks[..1], 100);
    // Cut at paragraph breaks, so the pieces joined by one give the whole.
    let joined: Vec<String> = chunks.iter().map(|c| text_of(c)).collect();
    assert_eq!(joined.join("\n\n"), text_of(&html));
    // Without a smaller first limit, the first chunk would have been larger.
    assert!(split_html(&html, 400)[0].len() > chunks[0].len());
}
