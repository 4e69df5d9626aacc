//! Properties of Discord rendering over generated Markdown and text: every message is within
//! Discord's 2,000 characters, shows something, has balanced fences, and the messages
//! together hold exactly the text of the whole post (nothing lost, nothing doubled).

use proptest::prelude::*;
use studybot::post::{Block, Post};
use studybot::render::{
    DISCORD_LIMIT, discord_markdown, discord_messages, escape_discord, markdown_to_discord,
    split_discord_markdown,
};

/// Pieces the bank's Markdown is made of, and pieces that break naive renderers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}",
        3 => prop::sample::select(vec!["大模型", "训练", "计算资源需求：", "，", "。", "😀", "e\u{301}", "@everyone", "<@123>"]).prop_map(String::from),
        3 => prop::sample::select(vec![
            " ", " ", "**", "*", "_", "__", "`", "``", "~~", "||", "- ", "  - ", "    - ", "1. ", "2. ", "> ", "# ", "```", "```rust\n",
            "\n", "\n", "\n\n", "<", ">", "&", "[", "]", "(", ")", "\\", "---\n", "#",
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

fn is_fence_line(line: &str) -> bool {
    line.starts_with("```")
}

/// What a reader sees, as far as splitting can change it: fence lines, whitespace, markup
/// characters and escapes left out (a cut adds and removes only those).
fn visible(discord: &str) -> String {
    discord
        .lines()
        .filter(|line| !is_fence_line(line))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}' && !"\\*_~`|<>[]()#".contains(*c))
        .collect()
}

fn assert_messages_hold(messages: &[String], whole: &str, limit: usize) {
    assert!(
        !messages.is_empty() || visible(whole).is_empty(),
        "{whole:?}"
    );
    for message in messages {
        assert!(
            message.chars().count() <= limit,
            "{} > {limit}: {message:?}",
            message.chars().count()
        );
        let shown = message
            .lines()
            .filter(|l| !is_fence_line(l))
            .any(|l| l.chars().any(|c| !c.is_whitespace() && c != '\u{200B}'));
        assert!(shown, "blank message {message:?}");
        let fences = message.lines().filter(|l| is_fence_line(l)).count();
        assert_eq!(fences % 2, 0, "unbalanced fences in {message:?}");
    }
    let joined: String = messages.iter().map(|m| visible(m)).collect();
    assert_eq!(joined, visible(whole));
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdown_splits_without_loss(markdown in markdown(60), limit in 500usize..2000) {
        let whole = markdown_to_discord(&markdown);
        assert_messages_hold(&split_discord_markdown(&markdown, limit), &whole, limit);
    }

    #[test]
    fn fences_in_the_whole_rendering_are_balanced(markdown in markdown(40)) {
        let whole = markdown_to_discord(&markdown);
        prop_assert_eq!(whole.lines().filter(|l| is_fence_line(l)).count() % 2, 0, "{:?}", whole);
        prop_assert_eq!(whole.trim_end(), whole.as_str());
    }

    #[test]
    fn escaped_text_reads_back_as_written(text in "[^\\p{Cc}]{0,200}") {
        let escaped = escape_discord(&text);
        prop_assert_eq!(unescape(&escaped), text.clone());
        // Every markup character is escaped; mentions are left as written.
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            if c == '\\' { chars.next(); continue; }
            prop_assert!(!"*_~`|<>[]#".contains(c), "{:?} -> {:?}", text, escaped);
        }
        prop_assert_eq!(escaped.matches("@everyone").count(), text.matches("@everyone").count());
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
        let post = Post::notice(vec![
            Block::Heading(heading),
            Block::Markdown(markdown.repeat(repeat)),
            Block::Text(text),
        ]);
        let messages = discord_messages(&post);
        let whole = discord_markdown(&post);
        if visible(&whole).is_empty() {
            prop_assert!(messages.len() == 1);
        } else {
            assert_messages_hold(&messages, &whole, DISCORD_LIMIT);
        }
    }
}
