//! Accept and reject cases for the Telegram HTML validator.

use super::*;

fn accepts(html: &str, length: usize) {
    assert_eq!(validate(html), Ok(length), "{html}");
}

fn rejects(html: &str, wording: &str) {
    let err = validate(html).expect_err(html);
    assert!(
        err.message.contains(wording),
        "{html}: {} does not mention {wording}",
        err.message
    );
    assert!(
        err.to_string()
            .starts_with("Bad Request: can't parse entities: ")
    );
}

#[test]
fn plain_text_counts_code_points() {
    accepts("hello", 5);
    accepts("大模型训练", 5);
    accepts("😀 x", 3);
    accepts("", 0);
    accepts("a > b", 5);
    accepts("quote \" and ' are plain", 23);
}

#[test]
fn entities_count_as_one_character() {
    accepts("&lt;script&gt;", 8);
    accepts("&amp;&quot;", 2);
    accepts("&#60;&#x3C;&#X3c;", 3);
    assert_eq!(
        text_content("a &lt;b&gt; &amp; &#128512;").unwrap(),
        "a <b> & 😀"
    );
}

#[test]
fn every_supported_tag_is_accepted() {
    for tag in [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "tg-spoiler",
        "code",
        "pre",
        "blockquote",
    ] {
        accepts(&format!("<{tag}>x</{tag}>"), 1);
    }
    accepts("<span class=\"tg-spoiler\">secret</span>", 6);
    accepts("<a href=\"https://example.com/?a=1&amp;b=2\">link</a>", 4);
    accepts("<a href='tg://user?id=1'>me</a>", 2);
    accepts(
        "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
        1,
    );
    accepts(
        "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
        12,
    );
    accepts("<pre>  indented\n  code</pre>", 17);
    accepts("<blockquote expandable>long</blockquote>", 4);
    accepts("<B>upper</B>", 5);
}

#[test]
fn formatting_tags_nest_properly() {
    accepts("<b>bold <i>both</i></b> <u><s>x</s></u>", 11);
    accepts(
        "<blockquote><b>q</b> <a href=\"http://x\"><code>c</code></a></blockquote>",
        3,
    );
    accepts("<b><b>twice</b></b>", 5);
}

#[test]
fn unknown_tags_are_rejected() {
    rejects(
        "line<br>break",
        "Unsupported start tag \"br\" at byte offset 4",
    );
    rejects("<p>para</p>", "Unsupported start tag \"p\"");
    rejects("<ul><li>x</li></ul>", "Unsupported start tag \"ul\"");
    rejects("<h1>t</h1>", "Unsupported start tag \"h1\"");
    rejects("<script>x</script>", "Unsupported start tag \"script\"");
}

#[test]
fn tags_must_balance_and_nest() {
    rejects(
        "<b><i>x</b></i>",
        "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"",
    );
    rejects(
        "<b>open",
        "Can't find end tag corresponding to start tag \"b\"",
    );
    rejects("x</b>", "Unexpected end tag at byte offset 1");
    rejects("<strong>x</b>", "expected \"</strong>\"");
    rejects("<b", "Unclosed start tag at byte offset 0");
    rejects("<b>x</b", "Unclosed end tag");
    rejects("<b>x</>", "Unclosed end tag");
}

#[test]
fn bare_specials_are_rejected() {
    rejects("a < b", "Unexpected \"<\" at byte offset 2");
    rejects("1 <2", "Unexpected \"<\"");
    rejects("trailing <", "Unexpected \"<\"");
    rejects("R&D", "Bare \"&\"");
    rejects("a & b; c", "Unsupported character entity");
    rejects("&nbsp;", "Unsupported character entity");
    rejects("&#xZZ;", "Invalid numeric character entity");
    rejects("&#55296;", "Invalid numeric character entity");
    rejects("&#0;", "Invalid numeric character entity");
    rejects("&;", "Unsupported character entity");
}

#[test]
fn attributes_are_only_the_listed_ones() {
    rejects(
        "<b class=\"x\">y</b>",
        "Unsupported attribute \"class\" in the tag \"b\"",
    );
    rejects(
        "<a href=\"http://x\" title=\"t\">y</a>",
        "Unsupported attribute \"title\"",
    );
    rejects("<a>no href</a>", "non-empty href");
    rejects("<a href=\"\">empty</a>", "non-empty href");
    rejects(
        "<a href=\"http://x\" href=\"http://y\">two</a>",
        "Repeated attribute",
    );
    rejects("<span>plain span</span>", "class \"tg-spoiler\"");
    rejects("<span class=\"red\">x</span>", "class \"tg-spoiler\"");
    rejects(
        "<tg-emoji emoji-id=\"abc\">x</tg-emoji>",
        "numeric emoji-id",
    );
    rejects(
        "<blockquote expandable=\"yes\">x</blockquote>",
        "takes no value",
    );
    rejects("<a href=\"http://x?a&b\">y</a>", "Bare \"&\"");
    rejects(
        "<a href=\"http://x\">y<a/>",
        "Unexpected character in the tag \"a\"",
    );
    rejects("<a href=\"http://x>y</a>", "Unclosed start tag");
}

#[test]
fn nothing_nests_inside_code_or_pre_but_pre_code() {
    rejects(
        "<code><b>x</b></code>",
        "Tag \"b\" can't be nested inside \"code\"",
    );
    rejects("<pre><i>x</i></pre>", "can't be nested inside \"pre\"");
    rejects(
        "<pre><code><b>x</b></code></pre>",
        "can't be nested inside \"code\"",
    );
    rejects(
        "<code><code>x</code></code>",
        "can't be nested inside \"code\"",
    );
    rejects("<pre><pre>x</pre></pre>", "can't be nested inside \"pre\"");
    rejects(
        "<code class=\"language-rust\">x</code>",
        "class only inside \"pre\"",
    );
    rejects("<pre><code class=\"rust\">x</code></pre>", "\"language-");
    accepts("<pre><code>plain</code></pre>", 5);
    accepts("<pre>a &lt;b&gt;</pre>", 5);
}

#[test]
fn error_offsets_point_at_the_problem() {
    assert_eq!(validate("ab<br>").unwrap_err().offset, 2);
    assert_eq!(validate("ab&cd").unwrap_err().offset, 2);
    assert_eq!(validate("x<b>y").unwrap_err().offset, 1);
}

#[test]
fn message_text_must_be_within_1_to_4096() {
    assert_eq!(check_message_text("<b>hi</b>"), Ok(2));
    assert_eq!(check_message_text(&"字".repeat(4096)), Ok(4096));
    assert_eq!(check_message_text(&"&amp;".repeat(4096)), Ok(4096));
    let long = check_message_text(&"a".repeat(4097)).unwrap_err();
    assert_eq!(long.to_string(), "Bad Request: message is too long");
    for blank in ["", "<b></b>", " \n ", "<i> </i>"] {
        let empty = check_message_text(blank).unwrap_err();
        assert_eq!(
            empty.to_string(),
            "Bad Request: message text is empty",
            "{blank:?}"
        );
    }
    assert!(check_message_text("<b>x").is_err());
}
