//! The driver's tests: each post once at its instant, and posts finishing
//! together recorded together (the recorder's batches).

use super::*;
use std::sync::Mutex;

use crate::bank::Bank;
use crate::domain::ChatKind;
use crate::store::{LedgerKind, LedgerState, PlanRow, Store};
use crate::study::EngineConfig;

/// An adapter that records what it was handed.
#[derive(Default)]
struct Recorder(Mutex<Vec<(ChatId, String)>>);

impl Deliver for Recorder {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        let mut seen = self.0.lock().unwrap();
        seen.push((work.place.chat_id, work.question_id.clone()));
        Delivered::Sent {
            chat_id: work.place.chat_id,
            message_id: MessageId(seen.len() as i64),
            thread: None,
        }
    }
}

async fn engine_with_plans(chats: &[ChatId], at: &str) -> (Engine, Store) {
    let store = Store::in_memory().await.unwrap();
    for &chat in chats {
        store
            .upsert_chat(chat, ChatKind::Private, None, 0)
            .await
            .unwrap();
        let plan = PlanRow::every_day(chat, at, "UTC").unwrap();
        store.save_plan(&plan, 0).await.unwrap();
    }
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let bank = Arc::new(Bank::load(&content).unwrap());
    (
        Engine::new(bank, store.clone(), EngineConfig::default()),
        store,
    )
}

#[tokio::test]
async fn each_due_chat_gets_its_post_once_at_its_instant() {
    let chats = [1, 2, 3].map(ChatId::telegram);
    let (engine, _) = engine_with_plans(&chats, "09:00").await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:59:59.8Z".parse().unwrap());
    let recorder = Arc::new(Recorder::default());
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(run(
        engine.clone().with_clock(clock.clone()),
        recorder.clone(),
        stopped,
    ));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        recorder.0.lock().unwrap().is_empty(),
        "nothing before 09:00"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    stop.send(true).unwrap();
    task.await.unwrap();
    let mut seen: Vec<ChatId> = recorder.0.lock().unwrap().iter().map(|(c, _)| *c).collect();
    seen.sort();
    assert_eq!(seen, chats, "each chat once");
    // Recorded as sent: nothing is left to resume.
    let left = engine.unfinished_work(clock.now()).await.unwrap();
    assert!(left.is_empty());
}

/// An adapter whose sends take a while, so deliveries finish together.
#[derive(Default)]
struct Slow(Mutex<Vec<ChatId>>);

impl Deliver for Slow {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut seen = self.0.lock().unwrap();
        seen.push(work.place.chat_id);
        Delivered::Sent {
            chat_id: work.place.chat_id,
            message_id: MessageId(seen.len() as i64),
            thread: None,
        }
    }
}

#[tokio::test]
async fn posts_finishing_together_are_recorded_together_each_once() {
    let chats: Vec<ChatId> = (1..=40).map(ChatId::telegram).collect();
    let (engine, store) = engine_with_plans(&chats, "09:00").await;
    let clock = Clock::system();
    clock.set("2026-12-01T09:00:00Z".parse().unwrap());
    let adapter = Arc::new(Slow::default());
    let counts = Arc::new(RecordCounts::default());
    let (stop, stopped) = watch::channel(false);
    let driver = run_counted(
        engine.clone().with_clock(clock.clone()),
        adapter.clone(),
        stopped,
        counts.clone(),
    );
    let task = tokio::spawn(driver);
    for _ in 0..100 {
        if counts.read().1 == chats.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    task.await.unwrap();
    let mut seen = adapter.0.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, chats, "each chat once");
    let (transactions, items) = counts.read();
    assert_eq!(items, chats.len());
    assert!(
        transactions < items / 2,
        "{items} records in {transactions} transactions"
    );
    for &chat in &chats {
        let entry = store
            .entry(chat, jiff::civil::date(2026, 12, 1), LedgerKind::Post)
            .await
            .unwrap();
        let entry = entry.unwrap();
        let ask = store.current_ask(chat).await.unwrap().unwrap();
        assert_eq!(
            (entry.state, entry.ask_id),
            (LedgerState::Done, Some(ask.id))
        );
    }
}

#[test]
fn waits_are_bounded_and_never_negative() {
    let now = Timestamp::from_second(1_000_000).unwrap();
    let later = Timestamp::from_second(1_000_060).unwrap();
    assert_eq!(until(later, Some(now)), Duration::ZERO);
    assert_eq!(until(now, Some(later)), Duration::from_millis(60_001));
    assert_eq!(until(now, None), MAX_SLEEP);
    let far = Timestamp::from_second(9_000_000).unwrap();
    assert_eq!(until(now, Some(far)), MAX_SLEEP + Duration::from_millis(1));
}
