//! `studybot export`: a deck written back as Markdown in the seed's shape
//! (`# Title`, then `#### N. Title` sections with 题目/答案/解析 labels, or
//! Question/Answer/Analysis for other languages), so a deck can be edited
//! in any editor and imported again. A comment after each heading keeps
//! the question's id and tags, which importing reads back.

use super::{ImportedDeck, ImportedQuestion};
use crate::bank::Bank;

/// The deck `id` of a loaded bank, in the importer's terms.
pub fn deck_from_bank(bank: &Bank, id: &str) -> Option<ImportedDeck> {
    let deck = bank.deck(id)?;
    let questions = deck
        .question_ids
        .iter()
        .filter_map(|id| bank.get(id))
        .map(|q| ImportedQuestion {
            id: q.id.clone(),
            title: q.title.clone(),
            tags: q.tags.clone(),
            question: q.question.clone(),
            answer: q.answer.clone(),
            analysis: q.analysis.clone(),
            quiz: q.quiz.clone(),
            image: q.image.as_ref().map(|i| i.as_written().to_owned()),
        })
        .collect();
    Some(ImportedDeck {
        deck: deck.id.clone(),
        title: deck.title.clone(),
        language: deck.language.clone(),
        questions,
    })
}

/// The deck as a Markdown document that `import_markdown` reads back to
/// the same ids, text and tags.
pub fn to_markdown(deck: &ImportedDeck) -> String {
    let labels = if deck.language.starts_with("zh") {
        ["**题目：**", "**答案：**", "**解析：**"]
    } else {
        ["**Question:**", "**Answer:**", "**Analysis:**"]
    };
    // Level 1: a title heading is never read as a question, even one
    // ending in `?`.
    let mut out = format!("# {}\n", deck.title);
    for (n, question) in deck.questions.iter().enumerate() {
        out.push_str(&format!("\n#### {}. {}\n\n", n + 1, question.title));
        out.push_str(&format!(
            "<!-- id: {} | tags: {}{} -->\n\n",
            question.id,
            question.tags.join(", "),
            comment_extras(question)
        ));
        field(&mut out, labels[0], &question.question);
        if let Some(quiz) = &question.quiz {
            options(&mut out, &quiz.choices);
        }
        field(&mut out, labels[1], &question.answer);
        if let Some(analysis) = &question.analysis {
            field(&mut out, labels[2], analysis);
        }
    }
    out
}

/// What the comment keeps beside id and tags: the image, and for a quiz
/// the right choice's number and the explanation (JSON, so no `|` or `-->`
/// in it can end the field or the comment), which the text cannot say
/// without changing the answer.
fn comment_extras(question: &ImportedQuestion) -> String {
    let mut extras = String::new();
    if let Some(image) = &question.image {
        extras.push_str(&format!(" | image: {image}"));
    }
    if let Some(quiz) = &question.quiz {
        extras.push_str(&format!(" | correct: {}", quiz.correct + 1));
        if let Some(explanation) = &quiz.explanation {
            let json = serde_json::to_string(explanation).expect("a string is JSON");
            extras.push_str(&format!(" | explanation: {}", json.replace('>', "\\u003e")));
        }
    }
    extras
}

/// A quiz's choices as the options list import reads (`- A. …`).
fn options(out: &mut String, choices: &[String]) {
    for (i, choice) in choices.iter().enumerate() {
        let letter = char::from(b'A' + i as u8);
        out.push_str(&format!("- {letter}. {choice}\n"));
    }
    out.push('\n');
}

/// A label and its text: on the label's line when the text is one line,
/// else below it after a blank line.
fn field(out: &mut String, label: &str, text: &str) {
    if text.contains('\n') || text.starts_with([' ', '\t']) {
        out.push_str(&format!("{label}\n\n{text}\n\n"));
    } else {
        out.push_str(&format!("{label} {text}\n\n"));
    }
}
