//! The chat rows and `/pin` choices of many chats in one statement: what
//! the hot-read cache needs of the chats a claim batch is about to post to.
//! Read chat by chat, a cold cache cost two statements a post (the row for
//! the language and place, the pin choice): 600 of the 1,006 statements of
//! a 300-chat fan-out.

use std::collections::HashMap;

use sqlx::Row;

use super::chats::chat_row;
use super::sets::{ChatSet, ROWS_PER_STATEMENT};
use super::{ChatRow, Result, Store};
use crate::domain::ChatId;

/// A chat's row and whether it pins its daily question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatWithPin {
    pub row: ChatRow,
    pub pins: bool,
}

impl Store {
    /// The rows of those of `chats` the bot knows, each with its pin
    /// choice (off when it never chose); a chat without a row is absent.
    pub async fn chats_with_pins(&self, chats: &[ChatId]) -> Result<HashMap<ChatId, ChatWithPin>> {
        let mut found = HashMap::with_capacity(chats.len());
        for chunk in chats.chunks(ROWS_PER_STATEMENT) {
            let set = ChatSet::of(chunk.iter().copied());
            let sql = format!(
                "SELECT c.platform, c.id, c.kind, c.title, c.language, c.timezone, c.active,
                     p.enabled AS pin_enabled
                 FROM chats c LEFT JOIN pins p ON p.platform = c.platform AND p.chat_id = c.id
                 WHERE {}",
                set.condition_on("c", "id", 1)
            );
            let rows = set.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
            for r in rows {
                let row = chat_row(&r);
                let pins = r.get::<Option<i64>, _>("pin_enabled").unwrap_or(0) != 0;
                found.insert(row.id, ChatWithPin { row, pins });
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::testing::each_store;

    #[tokio::test]
    async fn rows_and_pins_of_many_chats_on_two_platforms() {
        each_store(async |store| {
            // More chats than one statement carries, on two platforms.
            let known: Vec<ChatId> = (1..=130)
                .map(|i| match i % 2 {
                    0 => ChatId::telegram(-i),
                    _ => ChatId::console(i),
                })
                .collect();
            for (i, &chat) in known.iter().enumerate() {
                let kind = if i % 3 == 0 {
                    ChatKind::Private
                } else {
                    ChatKind::Group
                };
                store.upsert_chat(chat, kind, None, 1).await.unwrap();
                if i % 5 == 0 {
                    store.save_pin_choice(chat, i % 10 == 0, 1).await.unwrap();
                }
            }
            let mut asked = known.clone();
            asked.push(ChatId::telegram(-999));
            let found = store.chats_with_pins(&asked).await.unwrap();
            assert_eq!(found.len(), known.len());
            assert!(!found.contains_key(&ChatId::telegram(-999)));
            for (i, chat) in known.iter().enumerate() {
                let one = &found[chat];
                assert_eq!(Some(&one.row), store.chat(*chat).await.unwrap().as_ref());
                assert_eq!(
                    one.pins,
                    store.pin(*chat).await.unwrap().enabled,
                    "chat {i}"
                );
            }
            assert_eq!(found.values().filter(|c| c.pins).count(), 13);
        })
        .await;
    }
}
