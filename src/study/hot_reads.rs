//! The engine's side of the hot-read cache (`hot`): the reads go through
//! it, and every engine-side write of a cached fact (a chat seen, its
//! language, gone, back or moved; its `/pin` choice) goes through here, so
//! the entry is updated in the same call as the store.
//!
//! Alone, the cache is all there is: no other process writes the database.
//! As one of several replicas, the store's settings epoch (raised in the
//! same transaction as each of those writes) is read at each claim batch,
//! at each membership or leadership change, and before a cached read when
//! the last reading is older than `hot::CHECK_EVERY`; when it moved, the
//! whole cache is dropped.

use std::time::Instant;

use super::hot::{Cached, ChatFacts};
use super::{Engine, Lang, Result};
use crate::domain::{ChatId, ChatKind};

impl Engine {
    /// The chat's kind, title, language and active flag (`None`: the bot
    /// has never seen it), from memory when it can.
    pub(super) async fn chat_facts(&self, id: ChatId) -> Result<Option<ChatFacts>> {
        self.keep_hot_coherent(false).await;
        let ticket = match self.hot.chat(id) {
            Cached::Hit(facts) => return Ok(facts),
            Cached::Miss(ticket) => ticket,
        };
        let facts = self.store.chat(id).await?.map(|row| ChatFacts::of(&row));
        self.hot.fill_chat(id, facts.clone(), ticket);
        Ok(facts)
    }

    /// Whether the chat pins its daily question (`/pin on`).
    pub(super) async fn pins(&self, id: ChatId) -> Result<bool> {
        self.keep_hot_coherent(false).await;
        let ticket = match self.hot.pin(id) {
            Cached::Hit(on) => return Ok(on),
            Cached::Miss(ticket) => ticket,
        };
        let on = self.store.pin(id).await?.enabled;
        self.hot.fill_pin(id, on, ticket);
        Ok(on)
    }

    /// Reads into the cache what it lacks of `chats` (their rows and pin
    /// choices), set-wise: a claim batch's posts are about to ask for each,
    /// and one by one a cold cache costs two statements a post.
    pub(super) async fn warm_hot(&self, chats: &[ChatId]) -> Result<()> {
        self.keep_hot_coherent(false).await;
        let mut missing = Vec::new();
        for &id in chats {
            let chat = match self.hot.chat(id) {
                Cached::Hit(_) => None,
                Cached::Miss(ticket) => Some(ticket),
            };
            let pin = match self.hot.pin(id) {
                Cached::Hit(_) => None,
                Cached::Miss(ticket) => Some(ticket),
            };
            if chat.is_some() || pin.is_some() {
                missing.push((id, chat, pin));
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let ids: Vec<ChatId> = missing.iter().map(|(id, _, _)| *id).collect();
        let found = self.store.chats_with_pins(&ids).await?;
        for (id, chat, pin) in missing {
            let known = found.get(&id);
            if let Some(ticket) = chat {
                let facts = known.map(|k| ChatFacts::of(&k.row));
                self.hot.fill_chat(id, facts, ticket);
            }
            // A chat without a row is left to `pins`, which reads its own.
            if let (Some(ticket), Some(known)) = (pin, known) {
                self.hot.fill_pin(id, known.pins, ticket);
            }
        }
        Ok(())
    }

    /// On a replica, reads the settings epoch if it is time to (`force`:
    /// now, as at each claim batch) and drops the cache if it moved. A bot
    /// alone never reads it.
    pub(super) async fn keep_hot_coherent(&self, force: bool) {
        let Some(replica) = &self.replica else {
            return;
        };
        let changes = replica.changes();
        if !force && !self.hot.needs_check(changes, Instant::now()) {
            return;
        }
        match self.store.settings_epoch().await {
            Ok(epoch) => {
                if self.hot.observed(epoch, changes, Instant::now()) {
                    log::debug!("settings epoch {epoch}: the hot-read cache was dropped");
                }
            }
            Err(e) => {
                // Not knowing, trust nothing: the reads go to the store.
                log::warn!("cannot read the settings epoch ({e}); the hot-read cache is dropped");
                self.hot.clear();
            }
        }
    }

    /// Records that the bot saw the chat (its kind, its title if known),
    /// and gives it `language` if it has none yet.
    pub(super) async fn write_chat_seen(
        &self,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        language: Option<Lang>,
        now: i64,
    ) -> Result<ChatFacts> {
        let upsert = self
            .store
            .upsert_chat_speaking(id, kind, title, language, now);
        match upsert.await {
            Ok(row) => {
                let facts = ChatFacts::of(&row);
                self.hot.set_chat(id, facts.clone());
                Ok(facts)
            }
            Err(e) => Err(self.unsure_of(id, e)),
        }
    }

    /// A chat's first row. Its commit may not have reached the disk
    /// (`Store::first_sight_of_chat`), so the cache forgets the chat rather
    /// than keep it: the next message reads the row, and writes it again
    /// if a server crash lost it.
    pub(super) async fn write_chat_first_seen(
        &self,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        language: Option<Lang>,
        now: i64,
    ) -> Result<ChatFacts> {
        let written = self
            .store
            .first_sight_of_chat(id, kind, title, language, now)
            .await;
        self.hot.forget(id);
        Ok(ChatFacts::of(&written?))
    }

    /// Sets the chat's language.
    pub(super) async fn write_language(&self, id: ChatId, lang: Lang, now: i64) -> Result<()> {
        match self.store.set_language(id, lang, now).await {
            Ok(()) => self.hot.change_chat(id, |f| f.language = Some(lang)),
            Err(e) => return Err(self.unsure_of(id, e)),
        }
        Ok(())
    }

    /// Marks the chat gone (its plan paused) or back (its plan running).
    pub(super) async fn write_active(&self, id: ChatId, active: bool, now: i64) -> Result<()> {
        let done = match active {
            true => self.store.reactivate_chat(id, now).await,
            false => self.store.deactivate_chat(id, now).await,
        };
        match done {
            Ok(()) => self.hot.change_chat(id, |f| f.active = active),
            Err(e) => return Err(self.unsure_of(id, e)),
        }
        Ok(())
    }

    /// Moves the chat `from` to `to` (a group become a supergroup): what
    /// is known of either is read again.
    pub(super) async fn write_move(&self, from: ChatId, to: ChatId, now: i64) -> Result<bool> {
        let moved = self.store.migrate_chat(from, to, now).await;
        self.hot.forget(from);
        self.hot.forget(to);
        Ok(moved?)
    }

    /// Saves the chat's `/pin` choice (the pinned message left as it is).
    pub(super) async fn write_pin(&self, id: ChatId, enabled: bool, now: i64) -> Result<()> {
        match self.store.save_pin_choice(id, enabled, now).await {
            Ok(()) => self.hot.set_pin(id, enabled),
            Err(e) => return Err(self.unsure_of(id, e)),
        }
        Ok(())
    }

    /// A write failed, perhaps after it was committed: the chat is read
    /// again next time.
    fn unsure_of(&self, id: ChatId, e: crate::store::StoreError) -> super::StudyError {
        self.hot.forget(id);
        e.into()
    }
}

#[cfg(test)]
mod tests {
    //! Each kind of writer: read through the engine (filling the cache),
    //! write through the engine, read again and see the new value.

    use std::sync::Arc;

    use jiff::Timestamp;

    use super::*;
    use crate::bank::Bank;
    use crate::store::Store;
    use crate::study::{EngineConfig, Incoming, Person, Place, parse};

    const GROUP: ChatId = ChatId::telegram(-42);

    async fn engine() -> Engine {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let bank = Arc::new(Bank::load(&content).unwrap());
        let store = Store::in_memory().await.unwrap();
        Engine::new(bank, store, EngineConfig::default())
    }

    fn from(chat_id: ChatId, kind: ChatKind, title: Option<&str>) -> Incoming {
        Incoming {
            place: Place {
                chat_id,
                kind,
                title: title.map(str::to_string),
                thread_id: None,
            },
            person: Person {
                user_id: Some(7),
                is_admin: true,
                ..Person::default()
            },
            now: Timestamp::from_second(1_800_000_000).unwrap(),
        }
    }

    async fn say(engine: &Engine, incoming: &Incoming, text: &str) {
        let reply = engine.handle(incoming, parse(text, None)).await;
        assert!(!reply.posts.is_empty(), "{text} got no answer");
    }

    #[tokio::test]
    async fn lang_is_read_again_after_it_is_set() {
        let engine = engine().await;
        let group = from(GROUP, ChatKind::Group, Some("g"));
        say(&engine, &group, "/help").await;
        assert_eq!(engine.chat_lang(GROUP).await.unwrap(), Lang::Zh);
        say(&engine, &group, "/lang en").await;
        assert_eq!(engine.chat_lang(GROUP).await.unwrap(), Lang::En);
        assert_eq!(engine.lang_of(&group).await.unwrap(), Lang::En);
    }

    #[tokio::test]
    async fn a_chat_seen_with_a_new_title_and_kind_is_read_again() {
        let engine = engine().await;
        say(&engine, &from(GROUP, ChatKind::Group, Some("old")), "/help").await;
        let facts = engine.chat_facts(GROUP).await.unwrap().unwrap();
        assert_eq!(facts.title.as_deref(), Some("old"));
        say(
            &engine,
            &from(GROUP, ChatKind::Supergroup, Some("new")),
            "/help",
        )
        .await;
        let facts = engine.chat_facts(GROUP).await.unwrap().unwrap();
        assert_eq!(
            (facts.kind, facts.title.as_deref()),
            (ChatKind::Supergroup, Some("new"))
        );
    }

    #[tokio::test]
    async fn a_private_chat_first_seen_keeps_its_persons_language() {
        let engine = engine().await;
        let chat = ChatId::telegram(7);
        assert!(engine.chat_facts(chat).await.unwrap().is_none());
        let mut private = from(chat, ChatKind::Private, None);
        private.person.language_code = Some("en-US".to_string());
        say(&engine, &private, "/help").await;
        let facts = engine.chat_facts(chat).await.unwrap().unwrap();
        assert_eq!(facts.language, Some(Lang::En));
        // A daily post has no person: it reads the chat's own language.
        assert_eq!(engine.chat_lang(chat).await.unwrap(), Lang::En);
    }

    #[tokio::test]
    async fn a_chats_first_row_is_read_again_so_one_a_crash_lost_is_written_again() {
        let engine = engine().await;
        let group = from(GROUP, ChatKind::Group, Some("g"));
        say(&engine, &group, "/help").await;
        // As a PostgreSQL crash may lose a commit that did not wait for
        // the disk (`Store::first_sight_of_chat`).
        engine
            .store
            .run_sql_for_tests("DELETE FROM chats")
            .await
            .unwrap();
        say(&engine, &group, "/help").await;
        let row = engine.store.chat(GROUP).await.unwrap();
        assert_eq!(row.map(|r| r.title), Some(Some("g".to_string())));
        // Read from the store once more; from then on the cache keeps it.
        say(&engine, &group, "/help").await;
        engine
            .store
            .run_sql_for_tests("DELETE FROM chats")
            .await
            .unwrap();
        say(&engine, &group, "/help").await;
        assert!(engine.store.chat(GROUP).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_chat_gone_and_back_is_read_again_and_its_plan_runs_again() {
        let engine = engine().await;
        let group = from(GROUP, ChatKind::Group, Some("g"));
        say(&engine, &group, "/daily 09:00").await;
        assert!(engine.chat_facts(GROUP).await.unwrap().unwrap().active);
        engine.chat_gone(GROUP, group.now).await.unwrap();
        assert!(!engine.chat_facts(GROUP).await.unwrap().unwrap().active);
        assert!(engine.planned_chats().await.unwrap().is_empty());
        say(&engine, &group, "/help").await;
        assert!(engine.chat_facts(GROUP).await.unwrap().unwrap().active);
        assert_eq!(engine.planned_chats().await.unwrap(), vec![GROUP]);
    }

    #[tokio::test]
    async fn a_moved_chat_is_read_again_under_both_ids() {
        let engine = engine().await;
        let supergroup = ChatId::telegram(-1_000_000_000_042);
        let group = from(GROUP, ChatKind::Group, Some("g"));
        say(&engine, &group, "/lang en").await;
        assert!(engine.chat_facts(supergroup).await.unwrap().is_none());
        assert!(
            engine
                .chat_moved(GROUP, supergroup, group.now)
                .await
                .unwrap()
        );
        let moved = engine.chat_facts(supergroup).await.unwrap().unwrap();
        assert_eq!(
            (moved.kind, moved.language),
            (ChatKind::Supergroup, Some(Lang::En))
        );
        assert!(engine.chat_facts(GROUP).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn the_pin_choice_is_read_again_after_pin_on_and_off() {
        let engine = engine().await;
        let group = from(GROUP, ChatKind::Group, Some("g"));
        say(&engine, &group, "/help").await;
        assert!(!engine.pins(GROUP).await.unwrap());
        say(&engine, &group, "/pin on").await;
        assert!(engine.pins(GROUP).await.unwrap());
        say(&engine, &group, "/pin off").await;
        assert!(!engine.pins(GROUP).await.unwrap());
    }

    #[tokio::test]
    async fn warming_fills_rows_and_pin_choices_of_a_batch_as_stored() {
        let engine = engine().await;
        let (english, pinning, unknown) = (GROUP, ChatId::telegram(-43), ChatId::telegram(-44));
        let now = 1_800_000_000;
        for chat in [english, pinning] {
            (engine.store)
                .upsert_chat(chat, ChatKind::Supergroup, Some("g"), now)
                .await
                .unwrap();
        }
        engine
            .store
            .set_language(english, Lang::En, now)
            .await
            .unwrap();
        engine
            .store
            .save_pin_choice(pinning, true, now)
            .await
            .unwrap();
        assert!(matches!(engine.hot.chat(english), Cached::Miss(_)));

        engine.warm_hot(&[english, pinning, unknown]).await.unwrap();
        let Cached::Hit(Some(facts)) = engine.hot.chat(english) else {
            panic!("the English chat was not warmed");
        };
        assert_eq!(
            (facts.kind, facts.language),
            (ChatKind::Supergroup, Some(Lang::En))
        );
        assert!(matches!(engine.hot.pin(english), Cached::Hit(false)));
        assert!(matches!(engine.hot.pin(pinning), Cached::Hit(true)));
        // A chat the bot never saw is known to have no row; its pin is left
        // to its own read.
        assert!(matches!(engine.hot.chat(unknown), Cached::Hit(None)));
        assert!(matches!(engine.hot.pin(unknown), Cached::Miss(_)));
    }

    #[tokio::test]
    async fn a_chat_the_operators_file_adds_is_read_again() {
        let engine = engine().await;
        let chat = ChatId::telegram(-77);
        assert!(engine.chat_facts(chat).await.unwrap().is_none());
        let text = "[[chats]]\nid = -77\ntime = \"09:00\"\nzone = \"UTC\"\n";
        let path = std::path::Path::new("studybot.toml");
        let config = crate::config::operator::OperatorConfig::parse(path, text).unwrap();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        engine.apply_operator_chats(&config, now).await.unwrap();
        let facts = engine.chat_facts(chat).await.unwrap().unwrap();
        assert_eq!((facts.kind, facts.active), (ChatKind::Group, true));
        assert_eq!(engine.planned_chats().await.unwrap(), vec![chat]);
    }
}
