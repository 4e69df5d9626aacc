//! A reply never overtakes the record of its prompt.
//!
//! A prompt (a ForceReply asking for a report's line or a suggestion's next
//! part) is recorded once Telegram has given it a message id, by whichever
//! lane sent it (often a button presser's). The reply comes through the
//! chat's own lane, and a quick one could be handled before the record is
//! written, then found answering nothing and dropped. So each chat counts
//! its prompts between send and record; a reply in that chat first waits
//! (a few seconds at most) until none is left.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

/// How long a reply waits for its chat's prompts to be recorded.
const PATIENCE: Duration = Duration::from_secs(5);

/// Per chat, how many prompts are sent but not yet recorded.
#[derive(Debug, Default)]
pub struct PromptsInFlight {
    pending: Mutex<HashMap<i64, usize>>,
    recorded: Notify,
}

/// Held while one prompt of `chat` is between send and record.
pub struct Sending {
    prompts: Arc<PromptsInFlight>,
    chat: i64,
}

impl PromptsInFlight {
    /// Counts a prompt for `chat` until the guard is dropped.
    pub fn sending(self: &Arc<Self>, chat: i64) -> Sending {
        *self.lock().entry(chat).or_insert(0) += 1;
        Sending {
            prompts: Arc::clone(self),
            chat,
        }
    }

    /// Waits until no prompt of `chat` is between send and record (at
    /// most [`PATIENCE`]; a stuck send must not stall the chat).
    pub async fn settled(&self, chat: i64) {
        let waited = tokio::time::timeout(PATIENCE, async {
            loop {
                let recorded = self.recorded.notified();
                if !self.lock().contains_key(&chat) {
                    return;
                }
                recorded.await;
            }
        });
        if waited.await.is_err() {
            log::warn!("chat {chat}: a prompt was not recorded in {PATIENCE:?}; the reply goes on");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, usize>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        let mut pending = self.prompts.lock();
        if let Some(count) = pending.get_mut(&self.chat) {
            *count -= 1;
            if *count == 0 {
                pending.remove(&self.chat);
            }
        }
        drop(pending);
        self.prompts.recorded.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reply_waits_for_the_prompt_being_recorded_in_its_chat_only() {
        let prompts = Arc::new(PromptsInFlight::default());
        let sending = prompts.sending(7);
        // Another chat's reply does not wait.
        tokio::time::timeout(Duration::from_millis(100), prompts.settled(8))
            .await
            .expect("chat 8 has no prompt in flight");
        let waiting = tokio::spawn({
            let prompts = Arc::clone(&prompts);
            async move { prompts.settled(7).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the reply waits for the record");
        drop(sending);
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("the record releases it")
            .unwrap();
    }
}
