//! Self-rating and personal review in the engine: the row of rating
//! buttons under every reveal, a press that rates, and `/review`, which
//! serves a person's due cards one at a time in private. The rules (how a
//! rating moves a card) are `learn`'s; this file turns them into posts and
//! toasts. Nothing here is shown to anyone but the person it is about,
//! except the rating buttons themselves.

use jiff::Timestamp;

use super::questions::{question_post, reveal_post};
use super::{Engine, Incoming, Lang, Reply, Result, i18n};
use crate::domain::{MessageId, PersonId};
use crate::learn::{self, Rating, Review};
use crate::post::{Action, Block, Button, Post, PostKind};
use crate::store::{NewReview, ReviewRow};

/// The row of rating buttons under a reveal: Again, Hard, Good, Easy.
pub fn rating_buttons(question_id: &str, lang: Lang, in_review: bool) -> Vec<Button> {
    Rating::ALL
        .into_iter()
        .map(|rating| Button {
            label: i18n::learn::rating(lang, rating).to_string(),
            action: Action::Rate {
                question_id: question_id.to_string(),
                rating,
                in_review,
            },
        })
        .collect()
}

/// Who pressed or typed, on their platform; `None` when the platform did
/// not say (an anonymous group admin, a channel).
pub(super) fn person_of(incoming: &Incoming) -> Option<PersonId> {
    let id = incoming.person.user_id?;
    Some(PersonId::new(incoming.place.chat_id.platform, id))
}

/// Whole days from `now` to `due`, at least one.
fn days_until(due: i64, now: Timestamp) -> i64 {
    let seconds = (due - now.as_second()).max(0) as f64;
    ((seconds / 86_400.0).round() as i64).max(1)
}

fn toast(toast: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: Vec::new(),
        toast: Some(toast.into()),
        lang,
    }
}

/// Stored reviews as the scheduler's, oldest first.
fn schedule(rows: &[ReviewRow]) -> Option<crate::store::Schedule> {
    let reviews: Vec<Review> = rows
        .iter()
        .filter_map(|r| Rating::from_grade(r.grade).map(|rating| Review { at: r.at, rating }))
        .collect();
    learn::replay(&reviews).map(|r| (r.card, r.was_due))
}

impl Engine {
    /// A rating button pressed on message `message_id`.
    pub(super) async fn press_rate(
        &self,
        incoming: &Incoming,
        lang: Lang,
        message_id: Option<MessageId>,
        question_id: &str,
        rating: Rating,
        in_review: bool,
    ) -> Result<Reply> {
        let Some(person) = person_of(incoming) else {
            return Ok(toast(i18n::learn::anonymous(lang), lang));
        };
        let Some(message_id) = message_id else {
            return Ok(toast(i18n::stale_button(lang), lang));
        };
        // A card for a question a reload removed could never be reviewed.
        if self.bank().get(question_id).is_none() {
            return Ok(toast(i18n::question_removed(lang), lang));
        }
        let review = NewReview {
            person,
            name: incoming.person.name.as_deref(),
            chat: incoming.place.chat_id,
            message_id: message_id.0,
            question_id,
            grade: i64::from(rating.grade()),
            at: incoming.now.as_second(),
        };
        let Some(rated) = self.store.rate(&review, schedule).await? else {
            return Ok(toast(i18n::stale_button(lang), lang));
        };
        let days = days_until(rated.card.due, incoming.now);
        let changed = rated.replaced && !rated.unchanged;
        let mut reply = toast(i18n::learn::rated(lang, rating, days, changed), lang);
        // A changed mind is not a new answer: the next card came already.
        if in_review && !rated.replaced {
            reply.posts = self.next_card(person, lang, incoming.now, true).await?;
        }
        Ok(reply)
    }

    /// The person's most overdue card as a question with a show-answer
    /// button, or when the next one is due.
    pub(super) async fn next_card(
        &self,
        person: PersonId,
        lang: Lang,
        now: Timestamp,
        after_a_card: bool,
    ) -> Result<Vec<Post>> {
        let now_s = now.as_second();
        // Cards of questions that left the bank are skipped, not served.
        let due = self.store.due_cards(person, now_s, 50).await?;
        let bank = self.bank();
        let card = due.iter().find_map(|(id, _)| bank.get(id));
        let Some(question) = card else {
            let text = match self.store.next_due(person).await? {
                None => i18n::learn::no_cards(lang).to_string(),
                Some(next) => {
                    let zone = self.zone_of(person).await?;
                    let date = learn::stats::local_date(next.max(now_s), &zone).to_string();
                    if after_a_card {
                        i18n::learn::all_done(lang, &date)
                    } else {
                        i18n::learn::nothing_due(lang, &date)
                    }
                }
            };
            return Ok(vec![Post::text(text)]);
        };
        let count = self.store.count_due(person, &[now_s]).await?[0];
        let mut post = question_post(&bank, question, lang, None);
        post.kind = PostKind::Notice;
        // A card is a private self-test: no poll, no choices to count.
        post.quiz = None;
        post.blocks
            .insert(0, Block::Text(i18n::learn::review_heading(lang, count)));
        post.buttons = vec![Button {
            label: i18n::show_answer_button(lang).to_string(),
            action: Action::ShowCard {
                question_id: question.id.clone(),
            },
        }];
        Ok(vec![post])
    }

    /// The show-answer button of a card in `/review`: its answer, with
    /// rating buttons that bring the next card.
    pub(super) fn show_card(
        &self,
        lang: Lang,
        message_id: Option<MessageId>,
        question_id: &str,
    ) -> Reply {
        let bank = self.bank();
        let Some(question) = bank.get(question_id) else {
            return toast(i18n::question_removed(lang), lang);
        };
        let mut post = reveal_post(question, lang, message_id);
        // A private answer: not the reveal of a chat's question.
        post.kind = PostKind::Notice;
        post.buttons = rating_buttons(question_id, lang, true);
        Reply {
            posts: vec![post],
            toast: None,
            lang,
        }
    }
}
