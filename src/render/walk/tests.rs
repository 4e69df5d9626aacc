//! The walk as a new flavour sees it: a flavour that records every call.

use super::{Context, Flavour, Gap, Style, walk};

#[derive(Default)]
struct Record(Vec<String>);

impl Record {
    fn log(&mut self, line: String) {
        self.0.push(line);
    }
}

impl Flavour for Record {
    const BULLET: &'static str = "* ";

    fn request_gap(&mut self, gap: Gap) {
        self.log(format!("gap {gap:?}"));
    }
    fn mark_block_start(&mut self) {
        self.log("block start".into());
    }
    fn set_indent(&mut self, levels: usize) {
        self.log(format!("indent {levels}"));
    }
    fn text(&mut self, text: &str) {
        self.log(format!("text {text:?}"));
    }
    fn line_break(&mut self) {
        self.log("break".into());
    }
    fn inline_code(&mut self, code: &str, context: &Context) {
        self.log(format!("code {code:?} styled {}", context.styled()));
    }
    fn open_style(&mut self, style: Style, context: &Context) {
        self.log(format!("open {style:?} {}", context.depth(style)));
    }
    fn close_style(&mut self, style: Style, context: &Context) {
        self.log(format!("close {style:?} {}", context.depth(style)));
    }
    fn start_quote(&mut self, context: &Context) {
        self.log(format!("quote {}", context.quotes));
    }
    fn end_quote(&mut self, context: &Context) {
        self.log(format!("end quote {}", context.quotes));
    }
    fn code_block(&mut self, language: Option<&str>, code: &str) {
        self.log(format!("code block {language:?} {code:?}"));
    }
    fn html_block(&mut self, html: &str) {
        self.log(format!("html {html:?}"));
    }
    fn item_marker(&mut self, levels: usize, marker: &str) {
        self.log(format!("item {levels} {marker:?}"));
    }
    fn start_link(&mut self, url: String, context: &Context) {
        self.log(format!("link {url:?} images {}", context.images));
    }
    fn end_link(&mut self) {
        self.log("end link".into());
    }
}

fn calls(markdown: &str) -> Vec<String> {
    let mut record = Record::default();
    walk(markdown, &mut record);
    record.0
}

#[test]
fn list_items_are_numbered_from_the_first_and_use_the_flavours_bullet() {
    assert_eq!(
        calls("3. a\n4. b\n   - c"),
        [
            "gap Blank",
            "gap Line",
            "item 0 \"3. \"",
            "indent 1",
            "block start",
            "text \"a\"",
            "gap Line",
            "item 0 \"4. \"",
            "indent 1",
            "block start",
            "text \"b\"",
            "gap Line",
            "gap Line",
            "item 1 \"* \"",
            "indent 2",
            "block start",
            "text \"c\"",
            "indent 1",
            "indent 0",
        ]
    );
}

#[test]
fn items_of_a_loose_list_are_a_blank_line_apart() {
    let gaps: Vec<String> = calls("- a\n\n- b")
        .into_iter()
        .filter(|call| call.starts_with("gap"))
        .collect();
    assert_eq!(
        gaps,
        ["gap Blank", "gap Line", "gap Line", "gap Blank", "gap Line"]
    );
}

#[test]
fn styles_are_counted_by_kind_while_open() {
    assert_eq!(
        calls("# *a **b** `c`*"),
        [
            "gap Blank",
            "open Bold 1",
            "open Italic 1",
            "text \"a \"",
            "open Bold 2",
            "text \"b\"",
            "close Bold 2",
            "text \" \"",
            "code \"c\" styled true",
            "close Italic 1",
            "close Bold 1",
        ]
    );
    assert_eq!(calls("`c`"), ["gap Blank", "code \"c\" styled false"]);
}

#[test]
fn code_and_html_blocks_arrive_whole() {
    assert_eq!(
        calls("```Rust extra\nfn x() {}\n\n```\n\n```a{b}\ny\n```\n\n<div>\none\n</div>\n"),
        [
            "gap Blank",
            "code block Some(\"rust\") \"fn x() {}\\n\\n\"",
            "gap Blank",
            "code block None \"y\\n\"",
            "gap Blank",
            "html \"<div>\\none\\n</div>\\n\"",
        ]
    );
}

#[test]
fn quotes_count_their_depth_and_links_know_images() {
    assert_eq!(
        calls("> > [![i](p.png)](http://x) <a@b.example>"),
        [
            "gap Blank",
            "quote 1",
            "block start",
            "gap Blank",
            "quote 2",
            "block start",
            "gap Blank",
            "link \"http://x\" images 0",
            "text \"i\"",
            "end link",
            "text \" \"",
            "link \"mailto:a@b.example\" images 0",
            "text \"a@b.example\"",
            "end link",
            "end quote 1",
            "end quote 0",
        ]
    );
}

#[test]
fn a_rule_is_a_block_of_its_own() {
    assert_eq!(
        calls("a\n\n---\n\nb"),
        [
            "gap Blank",
            "text \"a\"",
            "gap Blank",
            "text \"——\"",
            "gap Blank",
            "text \"b\""
        ]
    );
}
