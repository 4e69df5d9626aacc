//! Quiz polls on Telegram: the engine's `PostQuiz` becomes a `sendPoll`
//! (type quiz) after the question, and a `stopPoll` before the reveal.
//!
//! In groups the poll is not anonymous, so each answer arrives as a
//! `poll_answer` update and the engine can count it; channels allow only
//! anonymous polls (their reveal then names the right choice alone). A poll
//! that cannot be sent or stopped is logged: the question and its reveal
//! stand without it.

use teloxide::RequestError;
use teloxide::payloads::SendPollSetters;
use teloxide::prelude::*;
use teloxide::types::{InputPollOption, MessageId, PollType, ReplyParameters, ThreadId};
use tokio::time::Instant;

use super::send::Outbox;
use crate::domain::{self, ChatKind};
use crate::post::QuizPoll;
use crate::study::Place;

/// How often a poll is sent again after Telegram asked to wait.
const RETRIES: u32 = 3;

impl Outbox {
    /// Posts `poll` after the question posted as `question` in `chat_id`
    /// and tells the engine, so the answers can be counted.
    pub(super) async fn open_poll(
        &self,
        place: &Place,
        chat_id: i64,
        question: domain::MessageId,
        poll: &QuizPoll,
    ) {
        let anonymous = place.kind == ChatKind::Channel;
        let mut tries = 0;
        let sent = loop {
            let counted = self.limits.acquire(chat_id).await;
            let answer = self
                .poll_request(place, chat_id, question, poll, anonymous)
                .await;
            self.limits.settle(chat_id, counted, Instant::now());
            match answer {
                Err(RequestError::RetryAfter(wait)) if tries < RETRIES => {
                    tries += 1;
                    self.limits.too_many_requests(chat_id, wait.duration());
                }
                other => break other,
            }
        };
        let message = match sent {
            Ok(message) => message,
            Err(e) => return log::warn!("chat {chat_id}: the quiz poll was not sent: {e}"),
        };
        let Some(id) = message.poll().map(|p| p.id.0.clone()) else {
            return log::warn!("chat {chat_id}: Telegram answered a poll without one");
        };
        let place = Place {
            chat_id: domain::ChatId::telegram(chat_id),
            ..place.clone()
        };
        let poll_message = domain::MessageId::from(message.id.0);
        if let Err(e) = (self.engine)
            .poll_sent(&place, question, &id, poll_message, anonymous)
            .await
        {
            log::error!("chat {chat_id}: the poll went out, but could not be recorded: {e}");
        }
    }

    async fn poll_request(
        &self,
        place: &Place,
        chat_id: i64,
        question: domain::MessageId,
        poll: &QuizPoll,
        anonymous: bool,
    ) -> Result<Message, RequestError> {
        let options = poll.options.iter().map(|o| InputPollOption {
            text: o.clone(),
            formatting: None,
        });
        let mut request = self
            .bot
            .send_poll(ChatId(chat_id), poll.prompt.clone(), options)
            .type_(PollType::Quiz)
            .is_anonymous(anonymous)
            .correct_option_id(u8::try_from(poll.correct).unwrap_or(0));
        if let Some(explanation) = &poll.explanation {
            request = request.explanation(explanation.clone());
        }
        if let Some(thread) = place.thread_id.and_then(|t| i32::try_from(t).ok()) {
            request = request.message_thread_id(ThreadId(MessageId(thread)));
        }
        if let Some(question) = question.telegram() {
            request = request.reply_parameters(
                ReplyParameters::new(MessageId(question)).allow_sending_without_reply(),
            );
        }
        request.await
    }

    /// Closes the poll posted as `poll_message` (before its reveal).
    pub(super) async fn close_poll(&self, chat_id: i64, poll_message: domain::MessageId) {
        let Some(message) = poll_message.telegram() else {
            return;
        };
        if let Err(e) = self
            .bot
            .stop_poll(ChatId(chat_id), MessageId(message))
            .await
        {
            log::warn!("chat {chat_id}: could not close the quiz poll {message}: {e}");
        }
    }
}
