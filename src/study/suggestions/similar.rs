//! Is a suggested question one the bank (or the queue) has already?
//!
//! Texts are normalised first (case folded, full-width forms folded to
//! ASCII, everything but letters and digits dropped), so punctuation,
//! spacing and width never make two questions differ. Similarity is the
//! Dice coefficient of character bigrams: it needs no word splitting, so
//! it works alike for Chinese (where a bigram is a word or half of one)
//! and English (where it catches shared stems). Equal normalised texts are
//! duplicates; a Dice of at least [`NEAR`] is a near-duplicate the
//! moderators are shown.

use std::collections::HashSet;

/// The least similarity that counts as a near-duplicate. Rewordings of
/// one question score 0.63–0.93, different questions on one topic
/// 0.16–0.37 (the pairs in the tests, in both languages).
pub const NEAR: f64 = 0.55;

/// `text` case folded, full-width forms folded, only letters and digits.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(fold_width)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII, the ideographic space to a
/// space; the cheap part of NFKC that matters for typed questions.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn bigrams(normalised: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = normalised.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The Dice coefficient of the two normalised texts' bigram sets, 0–1.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a, b) = (bigrams(a), bigrams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(&b).count();
    (2 * shared) as f64 / (a.len() + b.len()) as f64
}

/// How a suggestion compares with one existing question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Likeness {
    Same,
    Near(f64),
    Different,
}

/// `candidate` (normalised) against `existing` (raw text).
pub fn likeness(candidate: &str, existing: &str) -> Likeness {
    let existing = normalise(existing);
    if candidate == existing {
        return Likeness::Same;
    }
    match similarity(candidate, &existing) {
        s if s >= NEAR => Likeness::Near(s),
        _ => Likeness::Different,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str) -> f64 {
        similarity(&normalise(a), &normalise(b))
    }

    #[test]
    fn punctuation_case_and_width_do_not_count() {
        assert_eq!(
            normalise("What is  Overfitting？"),
            normalise("what is overfitting?")
        );
        assert_eq!(normalise("ＲＡＧ 是什么？"), normalise("rag是什么"));
        assert_eq!(
            likeness(&normalise("什么是过拟合?"), "什么是过拟合？"),
            Likeness::Same
        );
    }

    #[test]
    fn rewordings_are_near_and_different_questions_are_not() {
        let near = [
            (
                "大模型训练中常见的技术挑战有哪些？",
                "大模型训练时常见的技术挑战都有哪些",
            ),
            ("什么是过拟合？如何避免？", "什么是过拟合，怎样避免过拟合？"),
            (
                "What is overfitting and how do you prevent it?",
                "What is overfitting, and how can you prevent it?",
            ),
            (
                "Explain the attention mechanism in transformers.",
                "Explain the attention mechanism of a transformer",
            ),
        ];
        for (a, b) in near {
            let s = score(a, b);
            assert!(s >= NEAR, "{a} / {b}: {s:.2}");
        }
        let different = [
            ("什么是过拟合？如何避免？", "什么是 dropout？它为什么有效？"),
            (
                "大模型训练中常见的技术挑战有哪些？",
                "大模型推理如何降低成本？",
            ),
            ("What is overfitting?", "What is dropout?"),
            (
                "Explain the attention mechanism in transformers.",
                "Explain how a tokenizer splits words.",
            ),
        ];
        for (a, b) in different {
            let s = score(a, b);
            assert!(s < NEAR, "{a} / {b}: {s:.2}");
        }
    }

    #[test]
    fn short_and_empty_texts_never_divide_by_zero() {
        assert_eq!(similarity("a", "b"), 0.0);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(likeness("", "?!"), Likeness::Same);
    }
}
