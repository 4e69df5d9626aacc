//! Words for multiple-choice questions: the choice buttons' notes and the
//! summary a reveal gives of how the group answered.

use super::{Lang, pick};

/// A choice's letter: A for the first, B for the second, …
pub fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The note after pressing a choice (never right or wrong: that waits for
/// the reveal).
pub fn chosen(lang: Lang, index: usize, changed: bool) -> String {
    let l = letter(index);
    match (lang, changed) {
        (Lang::Zh, false) => format!("已记下你的选择：{l}。公布答案时揭晓对错。"),
        (Lang::Zh, true) => format!("已改为 {l}。公布答案时揭晓对错。"),
        (Lang::En, false) => {
            format!("Your answer: {l}. You will see if it is right at the reveal.")
        }
        (Lang::En, true) => format!("Changed to {l}. You will see if it is right at the reveal."),
    }
}

/// A choice pressed after the reveal.
pub fn closed(lang: Lang) -> &'static str {
    pick(
        lang,
        "答案已公布，不能再作答了。",
        "The answer is out: answers are closed.",
    )
}

/// The right choice, on a reveal: "Right answer: B. green".
pub fn right_choice(lang: Lang, index: usize, text: &str) -> String {
    let l = letter(index);
    match lang {
        Lang::Zh => format!("正确答案：{l}. {text}"),
        Lang::En => format!("Right answer: {l}. {text}"),
    }
}

/// How the group answered: "7 answered, 5 right; most chose B".
pub fn summary(lang: Lang, answered: u64, right: u64, most: &[usize]) -> String {
    if answered == 0 {
        return pick(lang, "无人作答。", "No one answered.").to_string();
    }
    let sep = pick(lang, "、", " and ");
    let most: Vec<String> = most.iter().map(|&i| letter(i).to_string()).collect();
    let most = most.join(sep);
    match lang {
        Lang::Zh => format!("{answered} 人作答，{right} 人答对；最多人选 {most}"),
        Lang::En => format!("{answered} answered, {right} right; most chose {most}"),
    }
}

/// The poll's prompt when the question's text gives none.
pub fn prompt(lang: Lang) -> &'static str {
    pick(lang, "你的答案是？", "Your answer?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(
            summary(Lang::En, 7, 5, &[1]),
            "7 answered, 5 right; most chose B"
        );
        assert_eq!(
            summary(Lang::Zh, 7, 5, &[1]),
            "7 人作答，5 人答对；最多人选 B"
        );
        assert_eq!(
            summary(Lang::En, 2, 0, &[0, 2]),
            "2 answered, 0 right; most chose A and C"
        );
        assert_eq!(summary(Lang::En, 0, 0, &[]), "No one answered.");
        assert_eq!(letter(9), 'J');
    }
}
