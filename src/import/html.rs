//! The HTML that flashcard fields hold (Anki stores every field as HTML;
//! spreadsheets exported from it keep it) as Markdown: `<br>`, `<div>` and
//! `<p>` as line breaks, `<b>`/`<i>`/`<code>` as emphasis and code, lists as
//! Markdown lists, `<img src>` as an image reference, entities decoded, and
//! every other tag dropped with its text kept. The tag set is small and
//! fixed, so a full HTML parser (html5ever, a long build on two cores) would
//! buy nothing here.

/// Markdown for an HTML fragment.
pub fn to_markdown(html: &str) -> String {
    to_markdown_with_images(html, "").0
}

/// Markdown for an HTML fragment whose local images are in `image_dir`
/// (`![](image_dir/name)`), and the names of those images.
pub fn to_markdown_with_images(html: &str, image_dir: &str) -> (String, Vec<String>) {
    let mut out = Writer {
        image_dir: image_dir.to_owned(),
        ..Writer::default()
    };
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.text(&rest[..open]);
        let after = &rest[open..];
        match after.find('>').filter(|_| looks_like_tag(after)) {
            Some(close) => {
                out.tag(&after[1..close]);
                rest = &after[close + 1..];
            }
            None => {
                out.text("<");
                rest = &after[1..];
            }
        }
    }
    out.text(rest);
    (tidy(&out.text), out.images)
}

/// Whether the field has HTML in it: a tag or an entity.
pub fn has_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "<br", "<div", "<p>", "<b>", "<i>", "<img", "<span", "<ul", "<ol", "<li", "<strong",
        "<em>", "<code", "<a ", "&nbsp;", "&amp;", "&lt;", "&gt;", "&quot;", "&#",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// `<b>`, `</div>`, `<img src=…>`, `<br/>`: a letter (or `/` then a
/// letter) right after the `<`.
fn looks_like_tag(s: &str) -> bool {
    let mut chars = s[1..].chars();
    match chars.next() {
        Some('/') => chars.next().is_some_and(|c| c.is_ascii_alphabetic()),
        Some(c) => c.is_ascii_alphabetic(),
        None => false,
    }
}

#[derive(Default)]
struct Writer {
    text: String,
    /// Open lists: true for numbered ones.
    lists: Vec<bool>,
    /// The `href` of each open link.
    links: Vec<String>,
    /// Where local images are, and the ones seen.
    image_dir: String,
    images: Vec<String>,
}

impl Writer {
    fn text(&mut self, raw: &str) {
        self.text.push_str(&decode_entities(raw));
    }

    fn tag(&mut self, inside: &str) {
        let closing = inside.starts_with('/');
        let inside = inside.trim_start_matches('/').trim_end_matches('/');
        let name_end = inside
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        let attrs = &inside[name_end..];
        match (name.as_str(), closing) {
            ("br", _) => self.text.push('\n'),
            ("div" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => self.line_break(),
            ("p", _) => self.paragraph(),
            ("b" | "strong", _) => self.text.push_str("**"),
            ("i" | "em", _) => self.text.push('*'),
            ("code", _) => self.text.push('`'),
            ("ul", false) => self.lists.push(false),
            ("ol", false) => self.lists.push(true),
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.line_break();
            }
            ("li", false) => {
                self.line_break();
                let indent = "  ".repeat(self.lists.len().saturating_sub(1));
                let marker = if self.lists.last() == Some(&true) {
                    "1. "
                } else {
                    "- "
                };
                self.text.push_str(&indent);
                self.text.push_str(marker);
            }
            ("img", false) => {
                if let Some(src) = attribute(attrs, "src") {
                    let alt = attribute(attrs, "alt").unwrap_or_default();
                    let local = !src.contains("://") && !src.starts_with("data:");
                    let path = if local && !self.image_dir.is_empty() {
                        self.images.push(src.clone());
                        format!("{}/{src}", self.image_dir)
                    } else {
                        src
                    };
                    self.text
                        .push_str(&format!("![{alt}]({})", path.replace(' ', "%20")));
                }
            }
            ("a", false) => {
                self.links
                    .push(attribute(attrs, "href").unwrap_or_default());
                self.text.push('[');
            }
            ("a", true) => {
                let href = self.links.pop().unwrap_or_default();
                self.text.push_str(&format!("]({href})"));
            }
            _ => {}
        }
    }

    fn line_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn paragraph(&mut self) {
        self.line_break();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }
}

/// An attribute's value: `src="a.png"`, `src='a.png'` or `src=a.png`.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower[..at].ends_with(char::is_whitespace);
        let rest = attrs[from..].trim_start();
        let (true, Some(value)) = (before_ok, rest.strip_prefix('=')) else {
            continue;
        };
        let value = value.trim_start();
        let text = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value.split(char::is_whitespace).next().unwrap_or_default(),
        };
        return Some(decode_entities(text));
    }
    None
}

/// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#39;` `&nbsp;` (a space) and
/// numeric references; anything else is left as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => None,
    };
    let numeric = || {
        let digits = name.strip_prefix('#')?;
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => digits.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')
    };
    named.or_else(numeric)
}

/// Trailing spaces off each line, at most one blank line in a row, no
/// blank lines around the whole.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anki_field_html_becomes_markdown() {
        assert_eq!(to_markdown("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(to_markdown("<div>one</div><div>two</div>"), "one\ntwo");
        assert_eq!(
            to_markdown("<b>bold</b> and <i>it</i>"),
            "**bold** and *it*"
        );
        assert_eq!(
            to_markdown("x&nbsp;&lt;T&gt; &amp; &#39;y&#x27;"),
            "x <T> & 'y'"
        );
        assert_eq!(
            to_markdown("List:<ul><li>a</li><li>b</li></ul>after"),
            "List:\n- a\n- b\nafter"
        );
        assert_eq!(to_markdown("<ol><li>a</li><li>b</li></ol>"), "1. a\n1. b");
        assert_eq!(
            to_markdown(r#"see <img src="cell diagram.png" alt="cell">"#),
            "see ![cell](cell%20diagram.png)"
        );
        assert_eq!(
            to_markdown(r#"<a href="https://x.org">x</a>"#),
            "[x](https://x.org)"
        );
        assert_eq!(to_markdown("<span style='c'>t</span>"), "t");
        assert_eq!(to_markdown("a < b and 1<2"), "a < b and 1<2");
        assert_eq!(to_markdown("&bogus; & &#0;"), "&bogus; & &#0;");
        assert_eq!(to_markdown("<p>one</p><p>two</p>"), "one\n\ntwo");
    }
}
