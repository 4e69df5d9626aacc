//! Who may change a chat's settings: in groups, its administrators.
//!
//! Asking Telegram (`getChatMember`) on every command would be slow and
//! count against limits, so answers are cached for a minute. Anonymous
//! administrators post as the group itself (`sender_chat`) and count as
//! administrators; in channels whoever can post is one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::UserId;

const TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct AdminCache {
    answers: Mutex<HashMap<(i64, u64), (bool, Instant)>>,
}

impl AdminCache {
    /// Whether `user` administers `chat`; a lookup that still fails after
    /// a few quick retries (`retry`) counts as no.
    pub async fn is_admin(&self, bot: &Bot, chat: ChatId, user: UserId) -> bool {
        let key = (chat.0, user.0);
        if let Some((answer, at)) = self.answers.lock().expect("admin cache").get(&key).copied()
            && at.elapsed() < TTL
        {
            return answer;
        }
        let what = format!("chat {}: getChatMember", chat.0);
        let asked = super::retry::quickly(&what, || bot.get_chat_member(chat, user).send());
        let answer = match asked.await {
            Ok(member) => member.is_privileged(),
            Err(e) => {
                log::warn!(
                    "chat {}: cannot check whether user {} is an administrator: {e}",
                    chat.0,
                    user.0
                );
                return false;
            }
        };
        let mut answers = self.answers.lock().expect("admin cache");
        answers.retain(|_, (_, at)| at.elapsed() < TTL);
        answers.insert(key, (answer, Instant::now()));
        answer
    }
}
