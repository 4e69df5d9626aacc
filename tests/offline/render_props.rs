//! Properties of rendering over generated Markdown and text: every chunk is
//! HTML Telegram accepts, within the limit, not blank, and the chunks
//! together hold exactly the text of the whole post.

use fake_bot_api::html::{check_message_text, text_content, validate};
use proptest::prelude::*;
use studybot::post::{Block, Post};
use studybot::render::{
    TELEGRAM_LIMIT, escape, markdown_to_html, plain_text, split_html, telegram_html,
};

/// Pieces the bank's Markdown is made of, and pieces that break naive
/// renderers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}",
        3 => prop::sample::select(vec!["大模型", "训练", "计算资源需求：", "，", "。", "😀", "e\u{301}"]).prop_map(String::from),
        3 => prop::sample::select(vec![
            " ", " ", "**", "*", "_", "`", "~~", "- ", "  - ", "    - ", "1. ", "2. ", "> ", "# ", "```", "```rust\n",
            "\n", "\n", "\n\n", "<", ">", "&", "&amp;", "<b>", "</i>", "<script>", "\"", "\\", "---\n",
            "[a](http://x)", "[b](javascript:x)", "![alt](p.png)", "<https://y.example>", "\t",
        ])
        .prop_map(String::from),
        1 => (1usize..300).prop_map(|n| "x".repeat(n)),
        1 => (1usize..200).prop_map(|n| "字".repeat(n)),
    ]
}

fn markdown(max_fragments: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..max_fragments).prop_map(|pieces| pieces.concat())
}

/// Text with whitespace removed: what must survive splitting unchanged.
fn visible(html: &str) -> String {
    let text = text_content(html).unwrap_or_else(|err| panic!("{html:?}: {err}"));
    text.split_whitespace().collect()
}

fn assert_chunks_hold(chunks: &[String], whole_html: &str, limit: usize) {
    assert!(!chunks.is_empty() || visible(whole_html).is_empty());
    for chunk in chunks {
        let length = validate(chunk).unwrap_or_else(|err| panic!("{chunk:?}: {err}"));
        assert!(length <= limit, "{length} > {limit}: {chunk:?}");
        assert!(!visible(chunk).is_empty(), "blank chunk {chunk:?}");
    }
    let joined: String = chunks.iter().map(|chunk| visible(chunk)).collect();
    assert_eq!(joined, visible(whole_html));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdown_renders_to_html_telegram_accepts(markdown in markdown(40)) {
        let html = markdown_to_html(&markdown);
        prop_assert!(validate(&html).is_ok(), "{:?} -> {:?}: {:?}", markdown, html, validate(&html));
        prop_assert_eq!(html.trim_end(), html.as_str());
        prop_assert!(!html.contains("<br") && !html.contains("<p>") && !html.contains("<li>"));
    }

    #[test]
    fn small_limits_split_markdown_html_without_loss(markdown in markdown(40), limit in 20usize..200) {
        let html = markdown_to_html(&markdown);
        assert_chunks_hold(&split_html(&html, limit), &html, limit);
    }

    #[test]
    fn tiny_limits_still_make_valid_chunks(markdown in markdown(12), limit in 1usize..20) {
        let html = markdown_to_html(&markdown);
        assert_chunks_hold(&split_html(&html, limit), &html, limit);
    }

    #[test]
    fn escaped_plain_text_splits_without_loss(text in any::<String>(), limit in 20usize..200) {
        let html = escape(&text);
        assert_chunks_hold(&split_html(&html, limit), &html, limit);
    }

    #[test]
    fn plain_text_without_ansi_has_no_escape_sequences(markdown in markdown(30), text in any::<String>()) {
        let post = Post::notice(vec![Block::Heading(text.clone()), Block::Markdown(markdown), Block::Text(text)]);
        prop_assert!(!plain_text(&post, false).contains('\x1b'));
        prop_assert!(plain_text(&post, true).chars().all(|c| c == '\x1b' || c == '\n' || c == '\t' || !c.is_control()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn posts_become_sendable_messages(
        heading in "[^\u{0}]{0,40}",
        markdown in markdown(200),
        text in any::<String>(),
        repeat in 1usize..12,
    ) {
        let markdown = markdown.repeat(repeat);
        let post = Post::notice(vec![
            Block::Heading(heading.clone()),
            Block::Markdown(markdown.clone()),
            Block::Text(text.clone()),
        ]);
        let chunks = telegram_html(&post);
        prop_assert!(!chunks.is_empty());
        for chunk in &chunks {
            let checked = check_message_text(chunk);
            prop_assert!(checked.is_ok(), "{:?}: {:?}", chunk, checked);
            prop_assert!(checked.unwrap_or_default() <= TELEGRAM_LIMIT);
        }
        let expected = [
            visible(&format!("<b>{}</b>", escape(&heading))),
            visible(&markdown_to_html(&markdown)),
            visible(&escape(&text)),
        ]
        .concat();
        let joined: String = chunks.iter().map(|chunk| visible(chunk)).collect();
        if expected.is_empty() {
            prop_assert_eq!(chunks.len(), 1);
        } else {
            prop_assert_eq!(joined, expected);
        }
    }
}
