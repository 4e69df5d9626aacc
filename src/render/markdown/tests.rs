//! Each Markdown construct, as Telegram HTML and as terminal text.

use super::super::{markdown_to_html, writer::Flavor};
use super::render;

fn html(markdown: &str) -> String {
    markdown_to_html(markdown)
}

fn plain(markdown: &str) -> String {
    render(markdown, Flavor::Plain { ansi: false })
}

#[test]
fn paragraphs_are_separated_by_one_blank_line() {
    assert_eq!(html("one\n\n\n\ntwo\n\n"), "one\n\ntwo");
}

#[test]
fn inline_styles_become_tags() {
    assert_eq!(
        html("**b** *i* _i_ ~~s~~ `c`"),
        "<b>b</b> <i>i</i> <i>i</i> <s>s</s> <code>c</code>"
    );
    assert_eq!(html("***both***"), "<i><b>both</b></i>");
}

#[test]
fn code_inside_styles_or_links_is_plain_text() {
    assert_eq!(
        html("**bold `code`** `free`"),
        "<b>bold code</b> <code>free</code>"
    );
    assert_eq!(
        html("[`x` y](http://y.example)"),
        "<a href=\"http://y.example\">x y</a>"
    );
    assert_eq!(html("## `cargo test`"), "<b>cargo test</b>");
}

#[test]
fn a_seed_list_item_keeps_its_bold_label() {
    assert_eq!(
        html("- **计算资源需求：** 大模型通常需要大量的计算资源进行训练。"),
        "• <b>计算资源需求：</b> 大模型通常需要大量的计算资源进行训练。"
    );
}

#[test]
fn the_seed_nested_lists_are_indented_and_loose_items_spaced() {
    let markdown = "大模型创业面临的挑战和机遇包括：\n\n- **挑战：**\n  - 计算资源需求高：大模型训练需要大量的计算资源。\n  - 竞争激烈：初创企业需要找到差异化竞争的优势。\n\n- **机遇：**\n  - 开源生态：开源工具和框架的发展。\n";
    assert_eq!(
        html(markdown),
        "大模型创业面临的挑战和机遇包括：\n\n\
         • <b>挑战：</b>\n  \
         • 计算资源需求高：大模型训练需要大量的计算资源。\n  \
         • 竞争激烈：初创企业需要找到差异化竞争的优势。\n\n\
         • <b>机遇：</b>\n  \
         • 开源生态：开源工具和框架的发展。"
    );
}

#[test]
fn ordered_lists_count_from_their_start() {
    assert_eq!(html("1. one\n2. two\n3. three"), "1. one\n2. two\n3. three");
    assert_eq!(html("7. seven\n8. eight"), "7. seven\n8. eight");
    assert_eq!(html("1. a\n   - x\n2. b"), "1. a\n  • x\n2. b");
}

#[test]
fn list_continuation_lines_are_indented_under_the_text() {
    assert_eq!(
        html("- first line\n  second line"),
        "• first line\n  second line"
    );
    assert_eq!(html("text\n- item"), "text\n\n• item");
    assert_eq!(html("- item\n\nafter"), "• item\n\nafter");
}

#[test]
fn headings_are_bold_lines() {
    assert_eq!(html("# Title\nbody"), "<b>Title</b>\n\nbody");
    assert_eq!(html("### **bold** title"), "<b>bold title</b>");
}

#[test]
fn fenced_code_names_its_language() {
    assert_eq!(
        html("```rust\nfn main() {\n    x < y && z\n}\n```"),
        "<pre><code class=\"language-rust\">fn main() {\n    x &lt; y &amp;&amp; z\n}</code></pre>"
    );
    assert_eq!(html("```\nplain\n```"), "<pre>plain</pre>");
    assert_eq!(html("    indented"), "<pre>indented</pre>");
    assert_eq!(html("```a\"b\nx\n```"), "<pre>x</pre>");
}

#[test]
fn links_keep_only_safe_schemes() {
    assert_eq!(
        html("[docs](https://a.example/?q=1&r=\"2\")"),
        "<a href=\"https://a.example/?q=1&amp;r=&quot;2&quot;\">docs</a>"
    );
    assert_eq!(
        html("[me](tg://user?id=1)"),
        "<a href=\"tg://user?id=1\">me</a>"
    );
    assert_eq!(
        html("<someone@example.com>"),
        "<a href=\"mailto:someone@example.com\">someone@example.com</a>"
    );
    assert_eq!(html("[bad](javascript:alert(1))"), "bad");
    assert_eq!(html("[rel](/relative)"), "rel");
    assert_eq!(
        html("[](https://x.example)"),
        "<a href=\"https://x.example\">https://x.example</a>"
    );
}

#[test]
fn blockquotes_are_one_level_deep() {
    assert_eq!(
        html("> quoted\n> > deeper\n\nafter"),
        "<blockquote>quoted\n\ndeeper</blockquote>\n\nafter"
    );
    assert_eq!(html("> - a\n> - b"), "<blockquote>• a\n• b</blockquote>");
}

#[test]
fn breaks_images_and_rules() {
    assert_eq!(html("a\nb  \nc"), "a\nb\nc");
    assert_eq!(html("see ![a **diagram**](pic.png)"), "see a diagram");
    assert_eq!(html("above\n\n---\n\nbelow"), "above\n\n——\n\nbelow");
}

#[test]
fn raw_html_is_shown_as_text() {
    assert_eq!(
        html("<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert_eq!(
        html("a <b>not bold</b> & more"),
        "a &lt;b&gt;not bold&lt;/b&gt; &amp; more"
    );
    assert_eq!(
        html("<div>\nblock\n</div>\n\nnext"),
        "&lt;div&gt;\nblock\n&lt;/div&gt;\n\nnext"
    );
}

#[test]
fn output_never_ends_in_blank_lines() {
    for markdown in [
        "x\n\n\n",
        "- a\n\n",
        "> q\n>\n",
        "```\ncode\n\n\n```\n",
        "a  \n",
    ] {
        let rendered = html(markdown);
        assert_eq!(rendered.trim_end(), rendered, "{markdown:?}");
    }
}

#[test]
fn plain_text_has_the_same_shape_without_tags() {
    assert_eq!(plain("**b** *i* `c` ~~s~~"), "b i c s");
    assert_eq!(
        plain("- **挑战：**\n  - 竞争激烈"),
        "• 挑战：\n  • 竞争激烈"
    );
    assert_eq!(
        plain("[docs](https://a.example) <https://b.example>"),
        "docs (https://a.example) https://b.example"
    );
    assert_eq!(plain("> quoted\n\nafter"), "> quoted\n\nafter");
    assert_eq!(plain("<script>x</script> & y"), "<script>x</script> & y");
    assert_eq!(plain("```\nlet x = 1;\n```"), "let x = 1;");
}

#[test]
fn ansi_bold_marks_bold_only() {
    let ansi = render("**bold** and *italic*", Flavor::Plain { ansi: true });
    assert_eq!(ansi, "\x1b[1mbold\x1b[0m and italic");
    assert_eq!(
        render("# Heading", Flavor::Plain { ansi: true }),
        "\x1b[1mHeading\x1b[0m"
    );
}

#[test]
fn plain_text_drops_terminal_control_characters() {
    assert_eq!(plain("evil \x1b[31mred"), "evil [31mred");
}
