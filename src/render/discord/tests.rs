//! Discord Markdown by example: styles, escaping, lists, code, links, and splitting.

use super::*;
use crate::post::{Block, Post};

fn md(markdown: &str) -> String {
    markdown_to_discord(markdown)
}

#[test]
fn styles_map_to_discord_markers() {
    assert_eq!(
        md("**bold** and *italic* and ~~gone~~"),
        "**bold** and *italic* and ~~gone~~"
    );
    assert_eq!(md("use `a_b*c` here"), "use `a_b*c` here");
    assert_eq!(md("code with `` a`b ``"), "code with `` a`b ``");
    assert_eq!(md("# Title\n\ntext"), "**Title**\n\ntext");
}

#[test]
fn plain_text_is_escaped_but_mentions_stay_verbatim() {
    assert_eq!(escape_discord("a*b_c~d`e|f"), "a\\*b\\_c\\~d\\`e\\|f");
    assert_eq!(
        escape_discord("> not a quote\n# nor a heading"),
        "\\> not a quote\n\\# nor a heading"
    );
    assert_eq!(
        escape_discord("- not a list\n1. nor this\n2.5 stays\n  + nor this"),
        "\\- not a list\n1\\. nor this\n2.5 stays\n  \\+ nor this"
    );
    assert_eq!(escape_discord("[x](http://y)"), "\\[x\\](http://y)");
    assert_eq!(escape_discord("@everyone @here"), "@everyone @here");
    assert_eq!(escape_discord("<@123>"), "\\<@123\\>");
    let post = Post::notice(vec![Block::Text("@everyone look".into())]);
    assert_eq!(discord_messages(&post), ["@everyone look"]);
}

#[test]
fn lists_quotes_and_rules() {
    assert_eq!(
        md("- a\n- b\n  - c\n1. x\n2. y"),
        "- a\n- b\n  - c\n\n1. x\n2. y"
    );
    assert_eq!(
        md("> quoted\n> twice\n\nafter"),
        "> quoted\n> twice\n\nafter"
    );
    assert_eq!(md("a\n\n---\n\nb"), "a\n\n——\n\nb");
}

#[test]
fn fences_keep_code_raw_and_cannot_be_closed_early() {
    assert_eq!(
        md("```rust\nlet *x* = 1;\n```"),
        "```rust\nlet *x* = 1;\n```"
    );
    let tricky = md("```\na ``` b\n```");
    assert_eq!(tricky, format!("```\na ``{}` b\n```", '\u{200B}'));
    assert_eq!(
        md("> quote\n>\n> ```\n> code\n> ```"),
        "> quote\n\n```\ncode\n```"
    );
}

#[test]
fn links_are_masked_for_the_web_only() {
    assert_eq!(
        md("[docs](https://a.example/x_(y))"),
        "[docs](<https://a.example/x_%28y%29>)"
    );
    assert_eq!(md("<https://a.example>"), "<https://a.example>");
    assert_eq!(md("[run](javascript:alert(1))"), "run");
    assert_eq!(
        md("[**bold** link](https://a.example)"),
        "[bold link](<https://a.example>)"
    );
    assert_eq!(md("![alt text](p.png)"), "alt text");
}

#[test]
fn empty_styles_vanish() {
    assert_eq!(md("**![](p.png)**"), "");
    let post = Post::notice(vec![
        Block::Heading("  ".into()),
        Block::Markdown("**![](x)**".into()),
    ]);
    assert_eq!(discord_messages(&post), ["—"]);
}

#[test]
fn blocks_are_separated_by_a_blank_line() {
    let post = Post::notice(vec![
        Block::Heading("答案".into()),
        Block::Markdown("- **要点：** 说明".into()),
        Block::Text("第 1 题 / 8\n标签：training_set".into()),
    ]);
    assert_eq!(
        discord_messages(&post),
        ["**答案**\n\n- **要点：** 说明\n\n第 1 题 / 8\n标签：training\\_set"]
    );
}

#[test]
fn long_posts_split_at_paragraphs_within_the_limit() {
    let paragraph = "word ".repeat(150);
    let markdown = [paragraph.trim(); 5].join("\n\n");
    let parts = split_discord_markdown(&markdown, DISCORD_LIMIT);
    // 749 characters a paragraph: two fit in a message, three do not.
    assert!(parts.iter().all(|p| p.chars().count() <= DISCORD_LIMIT));
    let words: Vec<usize> = parts.iter().map(|p| p.matches("word").count()).collect();
    assert_eq!(words, [300, 300, 150]);
}

#[test]
fn a_split_fence_is_closed_and_reopened() {
    let code: String = (0..200).map(|i| format!("let x{i} = {i};\n")).collect();
    let parts = split_discord_markdown(&format!("```rust\n{code}```"), 1000);
    assert!(parts.len() > 1);
    for part in &parts {
        assert!(
            part.starts_with("```rust\n") && part.ends_with("\n```"),
            "{part}"
        );
        assert!(part.chars().count() <= 1000);
    }
    let lines: usize = parts.iter().map(|p| p.lines().count() - 2).sum();
    assert_eq!(lines, 200);
}

#[test]
fn a_split_style_is_closed_and_reopened_and_links_stay_whole() {
    let bold = format!("**{}**", "粗体".repeat(400));
    let parts = split_discord_markdown(&bold, 500);
    assert!(parts.len() > 1);
    assert!(
        parts
            .iter()
            .all(|p| p.starts_with("**") && p.ends_with("**") && p.chars().count() <= 500)
    );
    let link = "[a link](https://example.org/page) ";
    let parts = split_discord_markdown(&link.repeat(40), 500);
    for part in &parts {
        assert_eq!(
            part.matches("[a link](<https://example.org/page>)").count(),
            part.matches('[').count()
        );
    }
    assert_eq!(
        parts
            .iter()
            .map(|p| p.matches("[a link]").count())
            .sum::<usize>(),
        40
    );
}

#[test]
fn empty_list_items_show_nothing_and_nested_lists_keep_their_parent() {
    assert_eq!(md("- a\n-\n- c"), "- a\n- c");
    assert_eq!(md("- a\n- \n  - b"), "- a\n- \n  - b");
    assert_eq!(md("1. ```\n   code\n   ```"), "1. \n```\ncode\n```");
}
