//! Multiple-choice questions: the engine's side of quizzes, whatever the
//! platform. A question with choices is posted with one button per choice
//! (platforms with native quiz polls post a poll instead, see `PostQuiz`);
//! each person's latest choice is kept until the reveal, which closes the
//! quiz and says how the group answered.

use jiff::Timestamp;

use super::{Engine, Incoming, Lang, Place, Reply, Result, i18n};
use crate::bank::rules::{
    MAX_EXPLANATION_CHARS, MAX_EXPLANATION_LINE_FEEDS, MAX_POLL_QUESTION_CHARS,
};
use crate::bank::{Question, Quiz};
use crate::domain::{MessageId, PersonId, Platform};
use crate::post::{Action, Block, Button, Post, PostQuiz, QuizPoll};
use crate::store::{Ask, PollRow, QuestionMessage};

/// Characters of a choice shown on its button (the whole text is in the
/// poll, or on the reveal).
const LABEL_CHARS: usize = 76;

/// The poll for a question: a short prompt (its first sentence), the
/// choices, and an explanation (the deck's, else the answer's first
/// sentence), all within Telegram's limits.
pub fn quiz_poll(question: &Question, quiz: &Quiz, lang: Lang) -> QuizPoll {
    let prompt = first_sentence(&question.question, MAX_POLL_QUESTION_CHARS)
        .unwrap_or_else(|| i18n::quiz::prompt(lang).to_string());
    let explanation = match &quiz.explanation {
        Some(text) => Some(fit_explanation(text)),
        None => first_sentence(&question.answer, MAX_EXPLANATION_CHARS),
    };
    QuizPoll {
        prompt,
        options: quiz.choices.clone(),
        correct: quiz.correct,
        explanation,
    }
}

/// One button per choice: "B. green".
pub fn choice_buttons(question: &Question, quiz: &Quiz) -> Vec<Button> {
    quiz.choices
        .iter()
        .enumerate()
        .map(|(i, text)| Button {
            label: format!("{}. {}", i18n::quiz::letter(i), cut(text, LABEL_CHARS)),
            action: Action::Choose {
                question_id: question.id.clone(),
                choice: u8::try_from(i).unwrap_or(u8::MAX),
            },
        })
        .collect()
}

/// The first line of Markdown `text` up to its first sentence end, with
/// Markdown marks removed, cut to `max` characters; `None` when empty.
fn first_sentence(text: &str, max: usize) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches(['-', '*', '+', '#', '>', ' ']);
    let plain: String = line.chars().filter(|c| !matches!(c, '*' | '`')).collect();
    let end = sentence_end(&plain).unwrap_or(plain.len());
    let sentence = plain[..end].trim();
    (!sentence.is_empty()).then(|| cut(sentence, max))
}

/// The byte index just after the first sentence end (`。？！` or `.?!`
/// followed by a space).
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        let end =
            matches!(c, '。' | '？' | '！') || (matches!(c, '.' | '?' | '!') && next_is_space);
        if end {
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// A deck's explanation is checked at load; this keeps the limits anyway.
fn fit_explanation(text: &str) -> String {
    let mut kept = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > MAX_EXPLANATION_LINE_FEEDS {
            break;
        }
        if i > 0 {
            kept.push('\n');
        }
        kept.push_str(line);
    }
    cut(&kept, MAX_EXPLANATION_CHARS)
}

/// `text` cut to `max` characters, on a character boundary, with `…`.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

impl Engine {
    /// A choice button was pressed on the question posted as `message_id`.
    pub(super) async fn press_choose(
        &self,
        incoming: &Incoming,
        lang: Lang,
        message_id: Option<MessageId>,
        question_id: &str,
        choice: u8,
    ) -> Result<Reply> {
        let note = |text: String| Reply {
            posts: Vec::new(),
            toast: Some(text),
            lang,
        };
        let chat_id = incoming.place.chat_id;
        let bank = self.bank();
        let quiz = bank.get(question_id).and_then(|q| q.quiz.as_ref());
        let ask = match message_id {
            Some(m) => self.store.ask_by_message(chat_id, m).await?,
            None => None,
        };
        let (Some(quiz), Some(ask), Some(user)) = (quiz, ask, incoming.person.user_id) else {
            return Ok(note(i18n::stale_button(lang).to_string()));
        };
        let choice = usize::from(choice);
        let Some(message_id) = ask.message_id.filter(|_| ask.question_id == question_id) else {
            return Ok(note(i18n::stale_button(lang).to_string()));
        };
        if choice >= quiz.choices.len() {
            return Ok(note(i18n::stale_button(lang).to_string()));
        }
        if ask.revealed_at.is_some() {
            return Ok(note(i18n::quiz::closed(lang).to_string()));
        }
        let question = QuestionMessage {
            chat_id,
            message_id,
        };
        let person = PersonId::new(chat_id.platform, user);
        let changed = self.store.choice_of(question, person).await?.is_some();
        let now = incoming.now.as_second();
        self.store.set_choice(question, person, choice, now).await?;
        Ok(note(i18n::quiz::chosen(lang, choice, changed)))
    }

    /// The platform posted a native poll (`poll_id`, as message
    /// `poll_message`) after the question posted as `question_message`.
    pub async fn poll_sent(
        &self,
        place: &Place,
        question_message: MessageId,
        poll_id: &str,
        poll_message: MessageId,
        anonymous: bool,
    ) -> Result<()> {
        let poll = PollRow {
            question: QuestionMessage {
                chat_id: place.chat_id,
                message_id: question_message,
            },
            poll_message_id: poll_message,
            anonymous,
        };
        Ok(self.store.record_poll(poll_id, &poll).await?)
    }

    /// A person answered a native poll: `choices` empty means they took
    /// their vote back. Answers to unknown polls, or after the reveal, are
    /// ignored.
    pub async fn poll_answer(
        &self,
        platform: Platform,
        poll_id: &str,
        user_id: i64,
        choices: &[usize],
        now: Timestamp,
    ) -> Result<()> {
        crate::ops::telemetry::update(platform, "poll_answer");
        let Some(poll) = self.store.poll(platform, poll_id).await? else {
            log::debug!("an answer to poll {poll_id}, which is not ours");
            return Ok(());
        };
        let question = poll.question;
        let ask = (self.store)
            .ask_by_message(question.chat_id, question.message_id)
            .await?;
        if ask.is_some_and(|a| a.revealed_at.is_some()) {
            return Ok(());
        }
        let person = PersonId::new(platform, user_id);
        match choices.first() {
            Some(&choice) => {
                (self.store)
                    .set_choice(question, person, choice, now.as_second())
                    .await?
            }
            None => self.store.clear_choice(question, person).await?,
        }
        Ok(())
    }

    /// Adds to a reveal of a question with choices the right choice, how
    /// the group answered `ask` (when known), and the poll to close.
    pub(super) async fn with_quiz_results(
        &self,
        mut post: Post,
        question: &Question,
        ask: Option<&Ask>,
        lang: Lang,
    ) -> Result<Post> {
        let Some(quiz) = &question.quiz else {
            return Ok(post);
        };
        let right = i18n::quiz::right_choice(lang, quiz.correct, &quiz.choices[quiz.correct]);
        let mut lines = vec![right];
        let asked = ask.and_then(|a| {
            a.message_id.map(|message_id| QuestionMessage {
                chat_id: a.chat_id,
                message_id,
            })
        });
        if let Some(asked) = asked {
            let poll = self.store.poll_of(asked).await?;
            if let Some(poll) = &poll {
                post.quiz = Some(PostQuiz::Close {
                    poll_message: poll.poll_message_id,
                });
            }
            // An anonymous poll tells no one's answer: nothing to count.
            if !poll.is_some_and(|p| p.anonymous) {
                let counts = self.store.choice_counts(asked).await?;
                lines.push(summary(lang, quiz.correct, &counts));
            }
        }
        post.blocks.insert(1, Block::Text(lines.join("\n")));
        Ok(post)
    }
}

/// "7 answered, 5 right; most chose B" from (choice, count) pairs.
fn summary(lang: Lang, correct: usize, counts: &[(usize, u64)]) -> String {
    let answered = counts.iter().map(|(_, n)| n).sum();
    let right = counts
        .iter()
        .find(|(c, _)| *c == correct)
        .map_or(0, |(_, n)| *n);
    let top = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let most: Vec<usize> = counts
        .iter()
        .filter(|(_, n)| *n == top && top > 0)
        .map(|(c, _)| *c)
        .collect();
    i18n::quiz::summary(lang, answered, right, &most)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_the_first_sentence_within_the_limit() {
        let text = "大模型如何解决过拟合？请举例说明。\n\n更多";
        assert_eq!(
            first_sentence(text, 300).as_deref(),
            Some("大模型如何解决过拟合？")
        );
        let text = "What does **dropout** do? Think of `p`.";
        assert_eq!(
            first_sentence(text, 300).as_deref(),
            Some("What does dropout do?")
        );
        let long = "词".repeat(500);
        let cut = first_sentence(&long, 300).unwrap();
        assert_eq!(cut.chars().count(), 300);
        assert!(cut.ends_with('…'));
        assert_eq!(first_sentence("  \n", 300), None);
        assert_eq!(
            first_sentence("- **Dropout** zeroes units. Then more.", 200).as_deref(),
            Some("Dropout zeroes units.")
        );
    }

    #[test]
    fn explanations_keep_two_line_feeds() {
        assert_eq!(fit_explanation("a\nb\nc\nd"), "a\nb\nc");
        assert_eq!(fit_explanation(&"x".repeat(250)).chars().count(), 200);
    }

    #[test]
    fn summaries_count_right_and_the_most_chosen() {
        let counts = [(0, 1), (1, 5), (2, 1)];
        assert_eq!(
            summary(Lang::En, 1, &counts),
            "7 answered, 5 right; most chose B"
        );
        assert_eq!(summary(Lang::En, 1, &[]), "No one answered.");
    }
}
