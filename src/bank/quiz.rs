//! The multiple-choice part of a question: `choices`, `correct` and
//! `explanation`, checked against Telegram's quiz-poll limits (the
//! strictest platform's) so that a deck that passes `check` can always be
//! posted as a poll. Every problem is reported at its own line and column.

use serde_yaml::Value;

use super::Quiz;
use super::locate::child;
use super::parse::{Walker, field, kind};
use super::rules::{
    MAX_CHOICE_CHARS, MAX_CHOICES, MAX_EXPLANATION_CHARS, MAX_EXPLANATION_LINE_FEEDS, MIN_CHOICES,
};

type Fields<'v> = [(&'v str, &'v Value)];

impl Walker<'_> {
    /// The question's quiz, if it has `choices` and they (and `correct`,
    /// and `explanation`) are all good; errors are recorded otherwise.
    pub(super) fn quiz(&mut self, fields: &Fields<'_>, path: &str) -> Option<Quiz> {
        let explanation = self.explanation(fields, path);
        let Some(value) = field(fields, "choices") else {
            for name in ["correct", "explanation"] {
                if field(fields, name).is_some() {
                    let message = format!("`{name}` belongs to a question with `choices`");
                    self.error(self.positions.key(&child(path, name)), message);
                }
            }
            return None;
        };
        let choices = self.choices(value, &child(path, "choices"));
        let correct = match field(fields, "correct") {
            Some(value) => self.correct(value, &child(path, "correct"), choices.as_deref()),
            None => {
                let message =
                    "`choices` needs `correct`: the right choice's text or its number (from 1)";
                self.error(self.positions.key(&child(path, "choices")), message.into());
                None
            }
        };
        Some(Quiz {
            choices: choices?,
            correct: correct?,
            explanation,
        })
    }

    fn explanation(&mut self, fields: &Fields<'_>, path: &str) -> Option<String> {
        let text = self.optional_text(fields, path, "explanation")?;
        let chars = text.chars().count();
        let feeds = text.matches('\n').count();
        let pos = self.positions.value(&child(path, "explanation"));
        if chars > MAX_EXPLANATION_CHARS {
            let message = format!(
                "`explanation` is {chars} characters long; a quiz allows {MAX_EXPLANATION_CHARS}"
            );
            self.error(pos, message);
        } else if feeds > MAX_EXPLANATION_LINE_FEEDS {
            let message = format!(
                "`explanation` has {feeds} line breaks; a quiz allows {MAX_EXPLANATION_LINE_FEEDS}"
            );
            self.error(pos, message);
        }
        Some(text)
    }

    /// The options, when every one is good.
    fn choices(&mut self, value: &Value, path: &str) -> Option<Vec<String>> {
        let items = match value {
            Value::Sequence(items) => items,
            other => {
                let message = format!("`choices` must be a list of options, found {}", kind(other));
                self.error(self.positions.value(path), message);
                return None;
            }
        };
        let mut ok = true;
        if !(MIN_CHOICES..=MAX_CHOICES).contains(&items.len()) {
            let message = format!(
                "`choices` has {} options; a quiz takes {MIN_CHOICES} to {MAX_CHOICES}",
                items.len()
            );
            self.error(self.positions.key(path), message);
            ok = false;
        }
        let mut choices: Vec<String> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match choice_text(item).and_then(|text| check_choice(&text, &choices).map(|_| text)) {
                Ok(text) => choices.push(text),
                Err(message) => {
                    let pos = self.tag_pos(path, index, item);
                    self.error(pos, message);
                    ok = false;
                }
            }
        }
        ok.then_some(choices)
    }

    /// The index of the right choice: `correct` is its text or its number.
    fn correct(&mut self, value: &Value, path: &str, choices: Option<&[String]>) -> Option<usize> {
        let pos = self.positions.value(path);
        let found = match value {
            Value::Number(n) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(n) if n >= 1 && choices.is_none_or(|c| n <= c.len()) => Ok(n - 1),
                _ => Err(format!(
                    "`correct` is {n}: use the number of a choice, from 1 to {}",
                    choices.map_or(MAX_CHOICES, <[String]>::len)
                )),
            },
            // Bad choices were reported; a text cannot be matched to them.
            Value::String(_) if choices.is_none() => Ok(0),
            Value::String(text) => {
                let text = text.trim();
                let by_text = choices.and_then(|c| c.iter().position(|choice| choice == text));
                let by_number = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1 && choices.is_some_and(|c| *n <= c.len()));
                match (by_text, by_number) {
                    (Some(index), _) => Ok(index),
                    (None, Some(n)) => Ok(n - 1),
                    (None, None) => Err(format!(
                        "`correct` is `{text}`, which is none of the choices: use one choice's exact text or its number (from 1)"
                    )),
                }
            }
            other => Err(format!(
                "`correct` must be a choice's text or its number, found {}",
                kind(other)
            )),
        };
        match found {
            // With bad choices only the shape of `correct` could be checked.
            Ok(index) => choices.map(|_| index),
            Err(message) => {
                self.error(pos, message);
                None
            }
        }
    }
}

/// An option's text; numbers (`- 1990`) are read as their text.
fn choice_text(item: &Value) -> Result<String, String> {
    match item {
        Value::String(text) => Ok(text.trim().to_owned()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("a choice must be text, found {}", kind(other))),
    }
}

fn check_choice(text: &str, before: &[String]) -> Result<(), String> {
    let chars = text.chars().count();
    if text.is_empty() {
        return Err("a choice is empty".into());
    }
    if chars > MAX_CHOICE_CHARS {
        return Err(format!(
            "a choice is {chars} characters long; a quiz allows {MAX_CHOICE_CHARS}"
        ));
    }
    if text.contains('\n') {
        return Err("a choice must fit on one line".into());
    }
    if before.iter().any(|b| b == text) {
        return Err(format!("duplicate choice `{text}`"));
    }
    Ok(())
}
