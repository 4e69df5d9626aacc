//! `/suggest` on Discord: the form is a modal (question, answer, optional
//! analysis and tags) sent whole to the engine, the server's moderators
//! decide in the channel an admin named (`/suggest moderation:here`) with
//! Approve / Edit / Reject buttons, Edit and Reject open modals of their
//! own (the suggestion prefilled; the reason), and the suggester hears the
//! outcome in a DM. Who may decide, the caps, limits and duplicates are the
//! engine's; this module turns them into Discord's interactions.

use std::future::Future;
use std::sync::Arc;

use twilight_model::application::interaction::modal::ModalInteractionData;
use twilight_model::application::interaction::{Interaction, InteractionData, InteractionType};
use twilight_model::channel::message::Component;
use twilight_model::channel::message::component::{ActionRow, TextInput, TextInputStyle};
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};
use twilight_model::id::Id;

use super::App;
use super::interaction::{self, Opening};
use crate::bank::rules::{
    MAX_SUGGESTED_ANALYSIS_CHARS, MAX_SUGGESTED_ANSWER_CHARS, MAX_SUGGESTED_QUESTION_CHARS,
};
use crate::domain::{ChatId, ChatKind, Platform};
use crate::post::{Action, SuggestAction, button};
use crate::runtime::driver::Delivered;
use crate::store::SuggestionText;
use crate::study::i18n::suggest::{self as words, Part};
use crate::study::i18n::suggest_desk as desk_words;
use crate::study::{
    Command, DeskCommand, Elsewhere, Engine, Incoming, Lang, Parsed, Place, Reply, SuggestOutcome,
    SuggestionForm,
};

/// The modals' `custom_id`s: the new suggestion, and a moderator's edit or
/// reason for suggestion `<id>`.
const NEW: &str = "suggest:new";
const EDIT: &str = "suggest:edit:";
const REJECT: &str = "suggest:reject:";
/// The text inputs' `custom_id`s.
const QUESTION: &str = "question";
const ANSWER: &str = "answer";
const ANALYSIS: &str = "analysis";
const TAGS: &str = "tags";
const REASON: &str = "reason";
/// The longest reason a moderator may give.
const MAX_REASON_CHARS: usize = 500;
/// Enough for five tags of the bank's 32 bytes and their separators.
const MAX_TAGS_CHARS: usize = 200;

/// Handles the interaction if it is `/suggest`'s (the command, a
/// moderator's button, or one of its modals); false if it is not.
pub(super) async fn handle(app: &Arc<App>, interaction: &Interaction, place: &Place) -> bool {
    let incoming = incoming(app, interaction, place);
    match (&interaction.kind, &interaction.data) {
        (InteractionType::ApplicationCommand, Some(InteractionData::ApplicationCommand(data)))
            if data.name == "suggest" =>
        {
            let args = match super::commands::parse(data) {
                Parsed::Command {
                    command: Command::Suggest { args },
                    ..
                } => args,
                _ => Vec::new(),
            };
            command(app, interaction, &incoming, &args).await;
        }
        (InteractionType::MessageComponent, Some(InteractionData::MessageComponent(data))) => {
            match button::decode(&data.custom_id) {
                Some(Action::Suggestion(action)) => {
                    press(app, interaction, &incoming, action).await
                }
                _ => return false,
            }
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data)))
            if data.custom_id.starts_with("suggest:") =>
        {
            submit(app, interaction, &incoming, data).await;
        }
        _ => return false,
    }
    true
}

/// The turn's who and where; `is_admin` is whether the member may manage
/// the server (the engine asks it of moderators and of naming the desk).
fn incoming(app: &App, interaction: &Interaction, place: &Place) -> Incoming {
    let mut person = interaction::person_of(interaction);
    person.is_admin = interaction::may_manage(interaction);
    Incoming {
        place: place.clone(),
        person,
        now: app.clock.now(),
    }
}

fn space_of(interaction: &Interaction) -> Option<i64> {
    interaction
        .guild_id
        .and_then(|g| i64::try_from(g.get()).ok())
}

/// Runs `work` and, if it takes longer than the engine's share of the 3
/// seconds, defers the interaction first. Returns how the answer opens.
async fn within<T>(
    app: &App,
    interaction: &Interaction,
    work: impl Future<Output = T>,
) -> (T, Opening) {
    let mut work = std::pin::pin!(work);
    match tokio::time::timeout(interaction::QUICK, &mut work).await {
        Ok(done) => (done, Opening::Respond),
        Err(_) => {
            let opening = interaction::defer(app, interaction).await;
            (work.await, opening)
        }
    }
}

/// `/suggest`: the form, or what the engine says instead.
async fn command(app: &Arc<App>, interaction: &Interaction, incoming: &Incoming, args: &[String]) {
    let space = space_of(interaction);
    let work = app.engine.suggest_at_desk(incoming, space, args);
    let (done, opening) = within(app, interaction, work).await;
    let reply = match done {
        Ok(DeskCommand::OpenForm(lang)) if opening == Opening::Respond => {
            return open(app, interaction, new_form(lang)).await;
        }
        Ok(DeskCommand::OpenForm(lang)) => note(desk_words::form_late(lang), lang),
        Ok(DeskCommand::Answer(reply)) => reply,
        Err(e) => failed(app, incoming, &e),
    };
    interaction::answer(app, interaction, &incoming.place, reply, opening).await;
}

/// Approve, Edit or Reject under a suggestion in the desk.
async fn press(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    action: SuggestAction,
) {
    let (id, editing) = match action {
        SuggestAction::Approve { id } => {
            let work = app.engine.approve_at_desk(incoming, id, None);
            let (done, opening) = within(app, interaction, work).await;
            return decided(app, interaction, incoming, done, opening).await;
        }
        SuggestAction::Edit { id } => (id, true),
        SuggestAction::Reject { id } => (id, false),
        // The private form's buttons are Telegram's.
        _ => {
            let lang = app.engine.config().default_lang;
            let reply = note(crate::study::i18n::stale_button(lang), lang);
            return interaction::answer(app, interaction, &incoming.place, reply, Opening::Respond)
                .await;
        }
    };
    let work = app.engine.suggestion_to_decide(incoming, id);
    let (done, opening) = within(app, interaction, work).await;
    let reply = match done {
        Ok(Ok((text, lang))) if opening == Opening::Respond => {
            let form = match editing {
                true => edit_form(id, &text, lang),
                false => reason_form(id, lang),
            };
            return open(app, interaction, form).await;
        }
        Ok(Ok((_, lang))) => note(desk_words::form_late(lang), lang),
        Ok(Err(refusal)) => refusal,
        Err(e) => failed(app, incoming, &e),
    };
    interaction::answer(app, interaction, &incoming.place, reply, opening).await;
}

/// A submitted form: a new suggestion, a moderator's edit or reason.
async fn submit(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    data: &ModalInteractionData,
) {
    let value = |field: &str| field_value(data, field);
    let form = SuggestionForm {
        question: value(QUESTION),
        answer: value(ANSWER),
        analysis: value(ANALYSIS),
        tags: value(TAGS),
    };
    let id_after = |prefix: &str| data.custom_id.strip_prefix(prefix)?.parse::<i64>().ok();
    let engine = &app.engine;
    let work = async {
        if data.custom_id == NEW {
            let space = space_of(interaction);
            Some(engine.submit_suggestion(incoming, space, &form).await)
        } else if let Some(id) = id_after(EDIT) {
            Some(engine.approve_at_desk(incoming, id, Some(&form)).await)
        } else if let Some(id) = id_after(REJECT) {
            Some(engine.reject_at_desk(incoming, id, &value(REASON)).await)
        } else {
            None
        }
    };
    let (done, opening) = within(app, interaction, work).await;
    let done = done.unwrap_or_else(|| {
        let lang = engine.config().default_lang;
        let stale = crate::study::i18n::stale_button(lang);
        Ok(SuggestOutcome {
            reply: note(stale, lang),
            elsewhere: Vec::new(),
        })
    });
    decided(app, interaction, incoming, done, opening).await;
}

/// Answers the presser (the desk sees a decision; notes are theirs alone)
/// and delivers what goes elsewhere: the suggestion to the desk, the
/// outcome to the suggester.
async fn decided(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    done: crate::study::Result<SuggestOutcome>,
    opening: Opening,
) {
    let outcome = match done {
        Ok(outcome) => outcome,
        Err(e) => {
            let reply = failed(app, incoming, &e);
            return interaction::answer(app, interaction, &incoming.place, reply, opening).await;
        }
    };
    interaction::answer(app, interaction, &incoming.place, outcome.reply, opening).await;
    for item in outcome.elsewhere {
        deliver(app, item).await;
    }
}

/// Sends one post elsewhere: to a channel, or to the suggester's DM (an
/// outcome), which is then marked told.
async fn deliver(app: &App, item: Elsewhere) {
    let chat = match item.tells {
        None => item.chat,
        Some(_) => match dm_of(app, item.chat).await {
            Some(dm) => dm,
            None => return,
        },
    };
    let place = Place {
        chat_id: chat,
        kind: item.tells.map_or(ChatKind::Group, |_| ChatKind::Private),
        title: None,
        thread_id: None,
    };
    match app.outbox.deliver(&place, &item.post).await {
        Delivered::Sent { .. } => {
            if let Some(id) = item.tells
                && let Err(e) = app.engine.suggestion_told(Platform::Discord, id).await
            {
                log::error!("suggestion {id}: told, but could not record it: {e}");
            }
        }
        other => log::warn!("chat {chat}: a suggestion's post did not go out: {other:?}"),
    }
}

/// The DM channel of the person `user` (a suggester's id as a chat id).
async fn dm_of(app: &App, user: ChatId) -> Option<ChatId> {
    let user = u64::try_from(user.id).ok().and_then(Id::new_checked)?;
    match app.outbox.open_dm(user).await {
        Ok(dm) => Some(dm),
        Err(_) => {
            log::warn!("user {user}: no DM for a suggestion's outcome; /suggest status shows it");
            None
        }
    }
}

/// Answers with `form` (callback type 9).
async fn open(app: &App, interaction: &Interaction, form: InteractionResponse) {
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &form)
        .await
    {
        log::warn!("could not open a /suggest form: {e}");
    }
}

fn field_value(data: &ModalInteractionData, field: &str) -> String {
    data.components
        .iter()
        .flat_map(|row| &row.components)
        .find(|c| c.custom_id == field)
        .and_then(|c| c.value.clone())
        .unwrap_or_default()
}

fn note(text: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: Vec::new(),
        toast: Some(text.into()),
        lang,
    }
}

fn failed(app: &App, incoming: &Incoming, error: &crate::study::StudyError) -> Reply {
    log::error!("chat {}: /suggest failed: {error}", incoming.place.chat_id);
    let lang = app.engine.config().default_lang;
    Reply {
        posts: vec![Engine::error_post(lang)],
        toast: None,
        lang,
    }
}

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

fn new_form(lang: Lang) -> InteractionResponse {
    let title = desk_words::form_title(lang).to_string();
    modal(NEW.to_string(), title, parts(lang).to_vec())
}

/// The suggestion's parts, prefilled, for a moderator to correct.
fn edit_form(id: i64, text: &SuggestionText, lang: Lang) -> InteractionResponse {
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

fn reason_form(id: i64, lang: Lang) -> InteractionResponse {
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
