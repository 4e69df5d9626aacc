//! The modals of `/suggest`: the form (question and answer required,
//! analysis and tags optional, each input as long as the engine allows),
//! a moderator's edit (the same inputs, prefilled) and the reason for a
//! rejection; within Discord's limits (title and labels ≤ 45 characters,
//! `custom_id` ≤ 100, ≤ 5 rows, inputs ≤ 4,000).

use twilight_model::channel::message::Component;
use twilight_model::channel::message::component::{ActionRow, TextInput, TextInputStyle};
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

use crate::bank::rules::{
    MAX_SUGGESTED_ANALYSIS_CHARS, MAX_SUGGESTED_ANSWER_CHARS, MAX_SUGGESTED_QUESTION_CHARS,
};
use crate::store::SuggestionText;
use crate::study::Lang;
use crate::study::i18n::suggest::{self as words, Part};
use crate::study::i18n::suggest_desk as desk_words;

/// The modals' `custom_id`s: the new suggestion, and a moderator's edit or
/// reason for suggestion `<id>`.
pub const NEW: &str = "suggest:new";
pub const EDIT: &str = "suggest:edit:";
pub const REJECT: &str = "suggest:reject:";
/// The text inputs' `custom_id`s.
pub const QUESTION: &str = "question";
pub const ANSWER: &str = "answer";
pub const ANALYSIS: &str = "analysis";
pub const TAGS: &str = "tags";
pub const REASON: &str = "reason";
/// The longest reason a moderator may give.
const MAX_REASON_CHARS: usize = 500;
/// Enough for five tags of the bank's 32 bytes and their separators.
const MAX_TAGS_CHARS: usize = 200;

/// One text input in its own row; `max` is the engine's limit (Discord
/// allows 4,000).
fn input(id: &str, label: String, style: TextInputStyle, max: usize) -> Component {
    Component::ActionRow(ActionRow {
        components: vec![Component::TextInput(TextInput {
            custom_id: id.to_string(),
            label,
            max_length: u16::try_from(max.min(4000)).ok(),
            min_length: None,
            placeholder: None,
            required: Some(true),
            style,
            value: None,
        })],
    })
}

/// `row` with its text input optional.
fn optional(mut row: Component) -> Component {
    if let Component::ActionRow(ActionRow { components }) = &mut row
        && let Some(Component::TextInput(input)) = components.first_mut()
    {
        input.required = Some(false);
    }
    row
}

/// `row` with its text input prefilled.
fn prefilled(mut row: Component, value: &str) -> Component {
    if let Component::ActionRow(ActionRow { components }) = &mut row
        && let Some(Component::TextInput(input)) = components.first_mut()
    {
        input.value = Some(value.chars().take(4000).collect()).filter(|v: &String| !v.is_empty());
    }
    row
}

fn label(lang: Lang, part: Part) -> String {
    let name = words::part_name(lang, part);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The four parts' inputs.
fn parts(lang: Lang) -> [Component; 4] {
    use TextInputStyle::{Paragraph, Short};
    let tags_label = format!(
        "{} ({})",
        label(lang, Part::Tags),
        desk_words::tags_hint(lang)
    );
    [
        input(
            QUESTION,
            label(lang, Part::Question),
            Paragraph,
            MAX_SUGGESTED_QUESTION_CHARS,
        ),
        input(
            ANSWER,
            label(lang, Part::Answer),
            Paragraph,
            MAX_SUGGESTED_ANSWER_CHARS,
        ),
        optional(input(
            ANALYSIS,
            desk_words::optional(lang, &label(lang, Part::Analysis)),
            Paragraph,
            MAX_SUGGESTED_ANALYSIS_CHARS,
        )),
        optional(input(TAGS, cut(&tags_label, 45), Short, MAX_TAGS_CHARS)),
    ]
}

fn modal(custom_id: String, title: String, rows: Vec<Component>) -> InteractionResponse {
    InteractionResponse {
        kind: InteractionResponseType::Modal,
        data: Some(InteractionResponseData {
            custom_id: Some(custom_id),
            title: Some(cut(&title, 45)),
            components: Some(rows),
            ..Default::default()
        }),
    }
}

pub fn new_form(lang: Lang) -> InteractionResponse {
    let title = desk_words::form_title(lang).to_string();
    modal(NEW.to_string(), title, parts(lang).to_vec())
}

/// The suggestion's parts, prefilled, for a moderator to correct.
pub fn edit_form(id: i64, text: &SuggestionText, lang: Lang) -> InteractionResponse {
    let [question, answer, analysis, tags] = parts(lang);
    let rows = vec![
        prefilled(question, &text.question),
        prefilled(answer, &text.answer),
        prefilled(analysis, text.analysis.as_deref().unwrap_or("")),
        prefilled(tags, &text.tags.join(", ")),
    ];
    modal(
        format!("{EDIT}{id}"),
        desk_words::edit_title(lang, id),
        rows,
    )
}

pub fn reason_form(id: i64, lang: Lang) -> InteractionResponse {
    let reason = input(
        REASON,
        desk_words::reason_label(lang).to_string(),
        TextInputStyle::Paragraph,
        MAX_REASON_CHARS,
    );
    modal(
        format!("{REJECT}{id}"),
        desk_words::reject_title(lang, id),
        vec![reason],
    )
}

/// `text` in at most `max` characters.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(form: &InteractionResponse) -> Vec<TextInput> {
        let rows = form.data.as_ref().unwrap().components.clone().unwrap();
        rows.into_iter()
            .flat_map(|row| match row {
                Component::ActionRow(row) => row.components,
                _ => Vec::new(),
            })
            .filter_map(|c| match c {
                Component::TextInput(input) => Some(input),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_forms_fit_discords_limits_in_both_languages() {
        let text = SuggestionText {
            question: "Q".repeat(MAX_SUGGESTED_QUESTION_CHARS),
            answer: "A".into(),
            analysis: None,
            tags: vec!["ml".into()],
        };
        for lang in [Lang::Zh, Lang::En] {
            for form in [
                new_form(lang),
                edit_form(i64::MAX, &text, lang),
                reason_form(7, lang),
            ] {
                let data = form.data.as_ref().unwrap();
                assert!(data.title.as_ref().unwrap().chars().count() <= 45);
                assert!(data.custom_id.as_ref().unwrap().len() <= 100);
                let inputs = inputs(&form);
                assert!((1..=5).contains(&inputs.len()));
                for input in inputs {
                    assert!(
                        (1..=45).contains(&input.label.chars().count()),
                        "{}",
                        input.label
                    );
                    assert!(input.max_length.is_some_and(|m| (1..=4000).contains(&m)));
                }
            }
        }
    }

    #[test]
    fn an_edit_is_prefilled_and_only_question_and_answer_are_required() {
        let text = SuggestionText {
            question: "Why?".into(),
            answer: "Because.".into(),
            analysis: None,
            tags: vec!["ml".into(), "训练".into()],
        };
        let inputs = inputs(&edit_form(3, &text, Lang::En));
        let values: Vec<_> = inputs.iter().map(|i| i.value.as_deref()).collect();
        assert_eq!(
            values,
            [Some("Why?"), Some("Because."), None, Some("ml, 训练")]
        );
        let required: Vec<_> = inputs.iter().map(|i| i.required).collect();
        assert_eq!(required, [Some(true), Some(true), Some(false), Some(false)]);
        assert_eq!(inputs[0].max_length, Some(1000));
    }
}
