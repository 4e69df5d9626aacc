//! Pinning the question of the day: `/pin on|off`, and what follows each
//! daily question sent in a chat that pins — pin it, unpin the one the
//! bot pinned the day before, and tell the admins (once) when the bot
//! lacks the right. The adapter only performs the pin and says how it
//! went ([`Pinned`]); the rules live here. A pin that fails never undoes
//! or repeats the post: the ledger was finished before the pin is tried.

use jiff::Timestamp;

use super::{DueKind, DueWork, Engine, Incoming, Lang, Result, i18n};
use crate::domain::{ChatId, MessageId, Platform};
use crate::post::Post;
use crate::store::PinRow;

/// A pin to perform: `message_id` pinned silently in `chat_id`, then
/// `unpin` (the bot's previous pin) unpinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinJob {
    pub chat_id: ChatId,
    pub message_id: MessageId,
    pub unpin: Option<MessageId>,
}

/// How a pin went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pinned {
    Done,
    /// The bot may not pin in this chat (a right is missing).
    NoRight,
    /// Refused for another reason (logged by the adapter).
    Failed,
    /// This adapter cannot pin.
    Unsupported,
}

impl Engine {
    /// `/pin`, `/pin on`, `/pin off`.
    pub(super) async fn pin_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let chat = incoming.place.chat_id;
        let text = match args {
            [] => i18n::feedback::pin_state(lang, self.pins(chat).await?),
            [_] if chat.platform == Platform::Console => i18n::feedback::pin_not_here(lang),
            [arg] if arg.eq_ignore_ascii_case("on") || arg.eq_ignore_ascii_case("off") => {
                let enabled = arg.eq_ignore_ascii_case("on");
                // Turning it on again: a missing right is worth one new word.
                self.write_pin(chat, enabled, incoming.now.as_second())
                    .await?;
                match enabled {
                    true => i18n::feedback::pin_on(lang, chat.platform),
                    false => i18n::feedback::pin_off(lang),
                }
            }
            _ => i18n::feedback::pin_usage(lang),
        };
        Ok(vec![Post::text(text)])
    }

    /// The `/settings` line on pinning.
    pub(super) async fn pin_line(&self, chat: ChatId, lang: Lang) -> Result<String> {
        let on = self.pins(chat).await?;
        let state = i18n::feedback::pin_state(lang, on);
        Ok(match lang {
            Lang::Zh => format!("{}：{state}", i18n::feedback::pin_label(lang)),
            Lang::En => format!("{}: {state}", i18n::feedback::pin_label(lang)),
        })
    }

    /// What to pin now that `work` went out as `message_id`: only a daily
    /// question, only in a chat that pins.
    pub async fn pin_job(&self, work: &DueWork, message_id: MessageId) -> Result<Option<PinJob>> {
        if work.kind != DueKind::Post {
            return Ok(None);
        }
        let chat_id = work.place.chat_id;
        // Most chats do not pin: for them, no read of the store at all.
        if !self.pins(chat_id).await? {
            return Ok(None);
        }
        let pin = self.store.pin(chat_id).await?;
        Ok(pin.enabled.then(|| PinJob {
            chat_id,
            message_id,
            unpin: pin.message_id.filter(|m| *m != message_id),
        }))
    }

    /// Records how `job` went. Returns a notice for the chat the first time
    /// the bot finds it may not pin (again after a pin that worked).
    pub async fn pin_outcome(
        &self,
        job: &PinJob,
        outcome: Pinned,
        now: Timestamp,
    ) -> Result<Option<Post>> {
        let chat = job.chat_id;
        let before = self.store.pin(chat).await?;
        let (after, tell) = match outcome {
            Pinned::Done => (
                PinRow {
                    message_id: Some(job.message_id),
                    warned: false,
                    ..before
                },
                false,
            ),
            Pinned::NoRight => (
                PinRow {
                    warned: true,
                    ..before
                },
                !before.warned,
            ),
            Pinned::Failed | Pinned::Unsupported => return Ok(None),
        };
        if after != before {
            // What pinning did, not the chat's choice: the cache holds none of it.
            self.store
                .save_pin_progress(chat, after.message_id, after.warned, now.as_second())
                .await?;
        }
        if !tell {
            if outcome == Pinned::NoRight {
                log::info!("chat {chat}: still no right to pin; the admins were told before");
            }
            return Ok(None);
        }
        log::warn!("chat {chat}: no right to pin the question of the day; telling the admins");
        let lang = self.chat_lang(chat).await?;
        let notice = i18n::feedback::pin_no_right(lang, chat.platform);
        Ok(Some(Post::text(notice)))
    }
}
