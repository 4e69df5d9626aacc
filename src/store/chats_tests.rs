//! Chats as stored: settings kept, deactivation, a migrated group's
//! settings and round moved, and the first sight of a chat.

use super::*;
use crate::store::testing::each_store;

const G: ChatId = ChatId::telegram(-5);
const SUPER: ChatId = ChatId::telegram(-1005);

#[tokio::test]
async fn a_chat_keeps_its_settings_and_can_be_deactivated() {
    each_store(async |store| {
        let row = store
            .upsert_chat(G, ChatKind::Group, Some("g"), 1)
            .await
            .unwrap();
        assert!(row.active && row.language.is_none());
        store.set_language(G, Lang::En, 2).await.unwrap();
        store.deactivate_chat(G, 3).await.unwrap();
        let row = store.chat(G).await.unwrap().unwrap();
        assert_eq!((row.language, row.active), (Some(Lang::En), false));
        store.reactivate_chat(G, 4).await.unwrap();
        assert!(store.chat(G).await.unwrap().unwrap().active);
    })
    .await;
}

#[tokio::test]
async fn migration_moves_settings_and_round_to_the_new_id() {
    each_store(async |store| {
        store
            .upsert_chat(G, ChatKind::Group, Some("g"), 1)
            .await
            .unwrap();
        store.set_language(G, Lang::En, 1).await.unwrap();
        store.mark_seen(G, "q1").await.unwrap();
        // The new supergroup was seen first (its migration message).
        store
            .upsert_chat(SUPER, ChatKind::Supergroup, None, 2)
            .await
            .unwrap();
        assert!(store.migrate_chat(G, SUPER, 3).await.unwrap());
        assert!(store.chat(G).await.unwrap().is_none());
        let moved = store.chat(SUPER).await.unwrap().unwrap();
        assert_eq!(moved.language, Some(Lang::En));
        assert_eq!(moved.kind, ChatKind::Supergroup);
        assert!(store.seen(SUPER).await.unwrap().contains("q1"));
        // Twice is harmless.
        assert!(!store.migrate_chat(G, SUPER, 4).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_move_replaces_what_the_new_id_had_under_the_same_key() {
    use crate::store::{LedgerKind, NewEntry};
    each_store(async |store| {
        let entry = |chat_id, question_id| NewEntry {
            chat_id,
            local_date: jiff::civil::date(2026, 12, 1),
            kind: LedgerKind::Post,
            question_id,
            ask_id: None,
            at: 1,
        };
        for (chat, question) in [(G, "old"), (SUPER, "new")] {
            store
                .upsert_chat(chat, ChatKind::Group, None, 1)
                .await
                .unwrap();
            store.mark_seen(chat, "q1").await.unwrap();
            store.mark_seen(chat, question).await.unwrap();
            store.claim(&entry(chat, question)).await.unwrap();
        }
        assert!(store.migrate_chat(G, SUPER, 2).await.unwrap());
        let mut seen: Vec<String> = store.seen(SUPER).await.unwrap().into_iter().collect();
        seen.sort();
        assert_eq!(seen, vec!["new", "old", "q1"]);
        let post = store
            .entry(SUPER, jiff::civil::date(2026, 12, 1), LedgerKind::Post)
            .await
            .unwrap();
        assert_eq!(
            post.unwrap().question_id,
            "old",
            "the moved chat's entry wins"
        );
        assert!(store.seen(G).await.unwrap().is_empty());
        assert!(
            store
                .entry(G, jiff::civil::date(2026, 12, 1), LedgerKind::Post)
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn the_same_id_on_two_platforms_is_two_chats() {
    each_store(async |store| {
        let discord = ChatId::discord(5).unwrap();
        let telegram = ChatId::telegram(5);
        store
            .upsert_chat(telegram, ChatKind::Private, None, 1)
            .await
            .unwrap();
        store
            .upsert_chat(discord, ChatKind::Group, Some("study"), 1)
            .await
            .unwrap();
        store.set_language(discord, Lang::En, 2).await.unwrap();
        store.deactivate_chat(telegram, 3).await.unwrap();
        let t = store.chat(telegram).await.unwrap().unwrap();
        let d = store.chat(discord).await.unwrap().unwrap();
        assert_eq!((t.id, t.active, t.language), (telegram, false, None));
        assert_eq!(
            (d.id, d.active, d.language),
            (discord, true, Some(Lang::En))
        );
        // A move never crosses platforms.
        assert!(!store.migrate_chat(telegram, discord, 4).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_chat_first_seen_takes_the_language_given_and_keeps_the_one_it_has() {
    each_store(async |store| {
        let private = ChatId::telegram(7);
        let speaking = |lang, now| {
            store.upsert_chat_speaking(private, ChatKind::Private, None, Some(lang), now)
        };
        let row = speaking(Lang::En, 1).await.unwrap();
        assert_eq!(row.language, Some(Lang::En));
        // Seen again speaking another: the chat keeps the language it has.
        let row = speaking(Lang::Zh, 2).await.unwrap();
        assert_eq!(row.language, Some(Lang::En));
        assert_eq!(store.chat(private).await.unwrap().unwrap(), row);
        // Without one, a chat that has none still has none.
        let row = store
            .upsert_chat(G, ChatKind::Group, Some("g"), 3)
            .await
            .unwrap();
        assert_eq!(row.language, None);
    })
    .await;
}
