//! Whole posts: blocks joined, escaped, split into messages Telegram takes.

use super::*;
use crate::post::{Block, Post, PostKind};

const SEED_ANSWER: &str = "大模型训练中常见的技术挑战包括：\n\n\
- **计算资源需求：** 大模型通常需要大量的计算资源进行训练，包括高性能的 CPU、GPU 和分布式计算架构。\n\
- **数据需求：** 大模型需要大量的数据来训练，同时需要处理数据清洗、预处理和数据增强等任务。\n\
- **模型参数量：** 大模型通常具有数十亿到千亿个参数，参数量的增加导致模型训练的时间和计算成本显著增加。\n";

fn reveal(blocks: Vec<Block>) -> Post {
    Post {
        kind: PostKind::Reveal {
            question_id: "training-challenges".to_string(),
        },
        blocks,
        buttons: Vec::new(),
        reply_to: Some(crate::domain::MessageId(7)),
        quiz: None,
        picture: None,
    }
}

fn assert_sendable(chunks: &[String]) {
    assert!(!chunks.is_empty());
    for chunk in chunks {
        if let Err(err) = fake_bot_api::html::check_message_text(chunk) {
            panic!("{chunk:?}: {err}");
        }
    }
}

#[test]
fn blocks_are_joined_by_a_blank_line() {
    let post = reveal(vec![
        Block::Heading("答案".to_string()),
        Block::Markdown(SEED_ANSWER.to_string()),
        Block::Text("第 1 题 / 8\n标签：training".to_string()),
    ]);
    let chunks = telegram_html(&post);
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0].starts_with(
        "<b>答案</b>\n\n大模型训练中常见的技术挑战包括：\n\n• <b>计算资源需求：</b> 大模型通常需要"
    ));
    assert!(chunks[0].ends_with("显著增加。\n\n第 1 题 / 8\n标签：training"));
    assert_sendable(&chunks);
}

#[test]
fn script_tags_come_out_escaped_from_every_block_kind() {
    for block in [
        Block::Heading("<script>x</script>".to_string()),
        Block::Markdown("<script>x</script>".to_string()),
        Block::Text("<script>x</script>".to_string()),
    ] {
        let chunks = telegram_html(&Post::notice(vec![block]));
        assert!(
            chunks[0].contains("&lt;script&gt;x&lt;/script&gt;"),
            "{chunks:?}"
        );
        assert_sendable(&chunks);
    }
}

#[test]
fn text_blocks_are_never_markdown() {
    let chunks = telegram_html(&Post::text(
        "**not bold** & <i>not italic</i>\r\nline two\n",
    ));
    assert_eq!(
        chunks,
        ["**not bold** &amp; &lt;i&gt;not italic&lt;/i&gt;\nline two"]
    );
}

#[test]
fn escape_covers_the_three_specials() {
    assert_eq!(
        escape("a < b > c & d \"e\""),
        "a &lt; b &gt; c &amp; d \"e\""
    );
    assert_eq!(
        escape_attribute("say \"hi\" & go"),
        "say &quot;hi&quot; &amp; go"
    );
}

#[test]
fn a_long_post_becomes_several_valid_messages() {
    let long_answer = SEED_ANSWER.repeat(40);
    let post = reveal(vec![
        Block::Heading("答案".to_string()),
        Block::Markdown(long_answer.clone()),
    ]);
    let chunks = telegram_html(&post);
    assert!(chunks.len() >= 2, "{} chunks", chunks.len());
    assert_sendable(&chunks);
    assert!(
        chunks
            .iter()
            .all(|chunk| !chunk.starts_with('\n') && !chunk.ends_with('\n'))
    );
    let text = |html: &str| {
        fake_bot_api::html::text_content(html)
            .unwrap()
            .split_whitespace()
            .collect::<String>()
    };
    let joined: String = chunks.iter().map(|chunk| text(chunk)).collect();
    let whole = text(&format!(
        "<b>答案</b>\n\n{}",
        markdown_to_html(&long_answer)
    ));
    assert_eq!(joined, whole);
}

#[test]
fn a_post_with_nothing_to_show_is_still_one_message() {
    assert_eq!(telegram_html(&Post::notice(Vec::new())), [NOTHING_TO_SHOW]);
    assert_eq!(telegram_html(&Post::text(" \n ")), [NOTHING_TO_SHOW]);
    assert_sendable(&telegram_html(&Post::notice(vec![Block::Markdown(
        "![](x.png)".to_string(),
    )])));
}

#[test]
fn plain_text_shows_the_same_structure() {
    let post = reveal(vec![
        Block::Heading("答案".to_string()),
        Block::Markdown("- **计算资源需求：** 需要 [GPU](https://x.example)".to_string()),
        Block::Text("<keep> & as is".to_string()),
    ]);
    assert_eq!(
        plain_text(&post, false),
        "答案\n\n• 计算资源需求： 需要 GPU (https://x.example)\n\n<keep> & as is"
    );
    assert_eq!(
        plain_text(&post, true),
        "\x1b[1m答案\x1b[0m\n\n• \x1b[1m计算资源需求：\x1b[0m 需要 GPU (https://x.example)\n\n<keep> & as is"
    );
}

#[test]
fn plain_text_never_carries_typed_escape_sequences() {
    let post = Post::notice(vec![
        Block::Heading("\x1b[2Jtitle".to_string()),
        Block::Text("\x1b[31mred".to_string()),
    ]);
    assert_eq!(plain_text(&post, true), "\x1b[1m[2Jtitle\x1b[0m\n\n[31mred");
}
