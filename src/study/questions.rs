//! Asking and revealing: `/ask`, `/answer`, the show-answer button,
//! `/topics`, and what is recorded once a question or answer went out.

use jiff::Timestamp;
use jiff::civil::Date;

use super::pick::pick;
use super::{Engine, Incoming, Lang, Place, Reply, Result, i18n};
use crate::bank::{Bank, Question};
use crate::domain::{ChatId, MessageId};
use crate::post::{Action, Block, Button, Picture, Post, PostKind, PostQuiz};
use crate::store::{Ask, LedgerKind, NewAsk, NewEntry};

/// A question as posted: title, deck and tags, the question, a button.
pub fn question_post(
    bank: &Bank,
    question: &Question,
    lang: Lang,
    daily_date: Option<Date>,
) -> Post {
    let deck_title = bank
        .deck(&question.deck)
        .map_or(question.deck.as_str(), |d| d.title.as_str());
    let tags: Vec<String> = question.tags.iter().map(|t| format!("#{t}")).collect();
    let mut about = deck_title.to_string();
    if !tags.is_empty() {
        about = format!("{about} · {}", tags.join(" "));
    }
    let mut blocks = Vec::with_capacity(4);
    if let Some(date) = daily_date {
        blocks.push(Block::Heading(i18n::daily_heading(lang, date)));
    }
    blocks.extend([
        Block::Heading(question.title.clone()),
        Block::Text(about),
        Block::Markdown(question.question.clone()),
    ]);
    let mut buttons = vec![Button {
        label: i18n::show_answer_button(lang).to_string(),
        action: Action::Reveal {
            question_id: question.id.clone(),
        },
    }];
    let quiz = question.quiz.as_ref().map(|quiz| {
        buttons.extend(super::quiz::choice_buttons(question, quiz));
        PostQuiz::Open(super::quiz::quiz_poll(question, quiz, lang))
    });
    Post {
        kind: PostKind::Question {
            question_id: question.id.clone(),
        },
        blocks,
        buttons,
        reply_to: None,
        quiz,
        picture: question.image.as_ref().map(Picture::of_question),
    }
}

/// A question's answer and analysis (the answer alone when it has none),
/// replying to `reply_to` if known, with a row of rating buttons: each
/// person rates their own recall.
pub fn reveal_post(question: &Question, lang: Lang, reply_to: Option<MessageId>) -> Post {
    let mut blocks = vec![
        Block::Heading(i18n::answer_heading(lang, &question.title)),
        Block::Markdown(question.answer.clone()),
    ];
    if let Some(analysis) = &question.analysis {
        blocks.push(Block::Heading(i18n::analysis_heading(lang).to_string()));
        blocks.push(Block::Markdown(analysis.clone()));
    }
    Post {
        kind: PostKind::Reveal {
            question_id: question.id.clone(),
        },
        blocks,
        buttons: with_report(
            super::review::rating_buttons(&question.id, lang, false),
            &question.id,
            lang,
        ),
        reply_to,
        quiz: None,
        picture: None,
    }
}

/// `buttons` and, after them, "report a problem" with this question.
fn with_report(mut buttons: Vec<Button>, question_id: &str, lang: Lang) -> Vec<Button> {
    buttons.push(Button {
        label: i18n::feedback::report_button(lang).to_string(),
        action: Action::Report {
            question_id: question_id.to_string(),
        },
    });
    buttons
}

pub(super) fn tag_list(bank: &Bank) -> String {
    let tags: Vec<String> = bank
        .tags()
        .iter()
        .map(|(tag, n)| format!("{tag} ({n})"))
        .collect();
    tags.join(", ")
}

impl Engine {
    /// Picks from `pool` for this chat, starting a new round over the pool
    /// when it is used up.
    pub(super) async fn pick_from<'a>(
        &self,
        chat_id: ChatId,
        pool: &[&'a Question],
    ) -> Result<Option<super::pick::Pick<'a>>> {
        let round = self.store.round(chat_id).await?;
        let picked = pick(pool, &round.seen, round.latest.as_deref(), &mut rand::rng());
        if let Some(p) = &picked
            && p.new_round
        {
            let ids: Vec<&str> = pool.iter().map(|q| q.id.as_str()).collect();
            self.store.forget_seen(chat_id, &ids).await?;
        }
        // Taken at once, not when the post went out: a daily post and an
        // /ask picking at the same moment must not get the same question.
        if let Some(p) = &picked {
            self.store.mark_seen(chat_id, &p.question.id).await?;
        }
        Ok(picked)
    }

    /// The reveal of an ask, or — when it was revealed already — a short
    /// pointer to that reveal, so a chat never gets the same answer twice.
    /// It replies to the question only within the same forum topic (a
    /// reply cannot cross topics).
    pub(super) async fn reveal_or_point(
        &self,
        ask: &Ask,
        lang: Lang,
        incoming: &Incoming,
    ) -> Result<Post> {
        let same_topic = ask.thread_id == incoming.place.thread_id;
        if ask.revealed_at.is_some() || !self.claim_reveal_by_hand(ask, incoming.now).await? {
            let mut post = Post::text(i18n::already_revealed(lang));
            post.reply_to = ask.reveal_message_id.filter(|_| same_topic);
            return Ok(post);
        }
        let reply_to = ask.message_id.filter(|_| same_topic);
        Ok(match self.bank().get(&ask.question_id) {
            Some(question) => {
                let post = reveal_post(question, lang, reply_to);
                self.with_quiz_results(post, question, Some(ask), lang)
                    .await?
            }
            // A reload took the question out of the bank since it was asked.
            None => Post::text(i18n::question_removed(lang)),
        })
    }

    /// A question of the day revealed by hand takes its day's reveal in the
    /// ledger, so the timed reveal does not follow it — and if the timed
    /// reveal is already on its way, the hand reveal yields (false).
    async fn claim_reveal_by_hand(&self, ask: &Ask, now: Timestamp) -> Result<bool> {
        let Some(date) = ask.daily_date else {
            return Ok(true);
        };
        let entry = NewEntry {
            chat_id: ask.chat_id,
            local_date: date,
            kind: LedgerKind::Reveal,
            question_id: &ask.question_id,
            ask_id: Some(ask.id),
            at: now.as_second(),
        };
        Ok(self.store.skip(&entry).await?)
    }

    pub(super) async fn press_reveal(
        &self,
        incoming: &Incoming,
        lang: Lang,
        message_id: Option<MessageId>,
        question_id: &str,
    ) -> Result<Reply> {
        let bank = self.bank();
        let Some(question) = bank.get(question_id) else {
            return Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::question_removed(lang).to_string()),
                lang,
            });
        };
        let ask = match message_id {
            Some(m) => self.store.ask_by_message(incoming.place.chat_id, m).await?,
            None => None,
        };
        if ask
            .as_ref()
            .is_some_and(|ask| ask.question_id != question_id)
        {
            // A forged or mismatched button: never reveal one question under
            // another's message, nor use up that message's reveal.
            return Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::stale_button(lang).to_string()),
                lang,
            });
        }
        let taken = match &ask {
            Some(ask) => {
                ask.revealed_at.is_some() || !self.claim_reveal_by_hand(ask, incoming.now).await?
            }
            None => false,
        };
        if taken {
            return Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::already_revealed(lang).to_string()),
                lang,
            });
        }
        let post = reveal_post(question, lang, message_id);
        let post = self
            .with_quiz_results(post, question, ask.as_ref(), lang)
            .await?;
        Ok(Reply {
            posts: vec![post],
            toast: None,
            lang,
        })
    }

    pub(super) async fn record_question(
        &self,
        place: &Place,
        question_id: &str,
        message_id: MessageId,
        now: Timestamp,
        daily_date: Option<Date>,
    ) -> Result<i64> {
        let ask = NewAsk {
            chat_id: place.chat_id,
            question_id,
            message_id: Some(message_id),
            thread_id: place.thread_id,
            asked_at: now.as_second(),
            daily_date,
        };
        Ok(self.store.record_ask(&ask).await?)
    }

    /// Marks the ask this reveal answered: the one replied to, else the
    /// current one if it is this question. A message the store does not
    /// know (posted before its records began) is not recorded.
    pub(super) async fn record_reveal(
        &self,
        chat_id: ChatId,
        question_id: &str,
        reply_to: Option<MessageId>,
        message_id: MessageId,
        now: Timestamp,
    ) -> Result<Option<i64>> {
        let ask = match reply_to {
            Some(m) => self.store.ask_by_message(chat_id, m).await?,
            None => self.store.current_ask(chat_id).await?,
        };
        let Some(ask) = ask.filter(|a| a.question_id == question_id) else {
            return Ok(None);
        };
        self.store
            .mark_revealed(ask.id, Some(message_id), now.as_second())
            .await?;
        Ok(Some(ask.id))
    }
}
