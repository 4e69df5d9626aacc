//! The daily fan-out under faults: the real Telegram adapter in-process
//! against the strict fake, with hundreds of chats due at once while the
//! fake answers 500s, drops connections, floods 429s, or says a chat is
//! gone or moved. Each case checks every chat got exactly the posts it
//! should, and that the daily ledger ends with nothing left claimed.
//!
//! Figures are printed (`cargo test --test faults fan_out:: -- --nocapture`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::faults::*;
use crate::support::*;
use fake_bot_api::{ChatSpec, Fault, Outcome, User};
use jiff::{SignedDuration, Timestamp};
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::runtime::clock::Clock;
use studybot::store::{LedgerState, Store};

/// Long enough for a fan-out of 200 through 500s (teloxide sleeps 10 s on each).
const FAN_OUT_PATIENCE: Duration = Duration::from_secs(100);

fn ann() -> User {
    User::new(7, "Ann").with_language("zh-hans")
}

/// A fresh temp dir, its database URL and an open store on it.
async fn fresh_database() -> (Arc<tempfile::TempDir>, String, Store) {
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.expect("the database opens");
    (dir, database, store)
}

fn private_chats(ids: &[i64]) -> Vec<(i64, ChatKind)> {
    ids.iter().map(|&id| (id, ChatKind::Private)).collect()
}

fn assert_exactly_one_each(fake: &fake_bot_api::FakeBotApi, chats: &[i64]) {
    let counts = posts_per_chat(fake, chats);
    let missing = chats_with(&counts, 0);
    let repeated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        missing.is_empty(),
        "{} chats got no post: {missing:?}",
        missing.len()
    );
    assert!(
        repeated.is_empty(),
        "chats posted more than once: {repeated:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_500s_and_dropped_connections_during_a_fan_out_of_200() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann()));
    let chats = private_ids(10_001, 200);
    let (dir, database, store) = fresh_database().await;
    let date = make_due(&store, &private_chats(&chats)).await;

    // Start half an hour early, so the bot's own start-up calls (getMe,
    // setMyCommands) run before the faults are switched on.
    let clock = Clock::system();
    clock.set(Timestamp::now() - SignedDuration::from_mins(30));
    let bot = TestBot::start_on(&fake, &database, clock.clone(), engine_config(), dir).await;
    assert_eq!(fake.sent_count(), 0, "nothing is due half an hour early");

    fake.set_random_faults(2024, 50);
    clock.set(Timestamp::now());
    let started = Instant::now();
    // Any plan change wakes the scheduler, which now finds the 200 due.
    let (later, _) = local_minute_and_date(Timestamp::now() + SignedDuration::from_hours(6));
    fake.push_message(7, Some(ann()), &format!("/daily {later}"), None);

    let settled = wait_ledger_settled(&store, &chats, &date, FAN_OUT_PATIENCE).await;
    let elapsed = started.elapsed();
    bot.stop().await;
    assert!(
        settled,
        "the fan-out did not finish: {:?}",
        posts_per_chat(&fake, &chats)
    );

    // The fake takes a fault *before* the method runs: a dropped
    // connection never delivered the message, so retrying it cannot
    // duplicate. Hence exactly one post per chat, no exceptions.
    assert_exactly_one_each(&fake, &chats);
    let states = ledger_states(&store, &chats, &date).await;
    assert!(
        states.values().all(|s| *s == Some(LedgerState::Done)),
        "{states:?}"
    );
    let sends = fake.requests_to("sendmessage");
    let errors_500 = sends
        .iter()
        .filter(|r| r.outcome == Outcome::Fault && r.status == 500)
        .count();
    let drops = sends
        .iter()
        .filter(|r| r.outcome == Outcome::Dropped)
        .count();
    assert!(
        errors_500 > 0 && drops > 0,
        "the seed must hit sends with both faults"
    );
    assert_nothing_rejected(&fake);
    println!(
        "fan-out of 200 at 5% faults: {} sendMessage calls, {errors_500} × 500, {drops} dropped, \
         {} × 429; every chat exactly 1 post; {elapsed:.1?}",
        sends.len(),
        fake.count_429()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_429s_pauses_every_chat_then_nothing_is_dropped() {
    const RETRY_AFTER: Duration = Duration::from_secs(2);
    const BURST: usize = 6;
    let fake = strict_fake().await;
    let chats = private_ids(11_001, 120);
    let (dir, database, store) = fresh_database().await;
    let date = make_due(&store, &private_chats(&chats)).await;
    let started = Instant::now();
    let bot = TestBot::start_on(&fake, &database, Clock::system(), engine_config(), dir).await;

    // Mid fan-out, the next sends of six chats answer 429 retry_after 2.
    let midway = fake.wait_until(PATIENCE, |f| f.sent_count() >= 30).await;
    assert!(midway, "the fan-out did not start");
    fake.fail_next(
        "sendMessage",
        None,
        Fault::RetryAfter(RETRY_AFTER.as_secs() as u32),
        BURST,
    );

    let settled = wait_ledger_settled(&store, &chats, &date, FAN_OUT_PATIENCE).await;
    let elapsed = started.elapsed();
    bot.stop().await;
    assert!(
        settled,
        "the fan-out did not finish: {:?}",
        posts_per_chat(&fake, &chats)
    );
    assert_exactly_one_each(&fake, &chats);

    let sends = fake.requests_to("sendmessage");
    let burst: Vec<_> = sends
        .iter()
        .filter(|r| r.outcome == Outcome::Fault)
        .collect();
    assert_eq!(burst.len(), BURST, "every scripted 429 was met");
    // Each chat told to wait did wait before trying again.
    for hit in &burst {
        let retry = sends
            .iter()
            .find(|r| r.body["chat_id"] == hit.body["chat_id"] && r.at > hit.at)
            .expect("the chat was retried");
        assert!(
            retry.at.duration_since(hit.at) >= RETRY_AFTER,
            "retried before retry_after"
        );
    }
    // Three chats hit within a second: the whole bot pauses. Only sends
    // already past the limiter (at most IN_FLIGHT − 3) may land in the
    // pause; without it, ~60 would at 30 a second.
    let third = burst[2].at;
    let during = sends
        .iter()
        .filter(|r| r.outcome == Outcome::Ok && r.at > third && r.at < third + RETRY_AFTER)
        .count();
    assert!(
        during <= IN_FLIGHT - 3,
        "{during} messages went out during the pause"
    );
    assert_nothing_rejected(&fake);
    println!(
        "429 burst: {BURST} scripted 429s mid fan-out of 120; {during} sends landed during the \
         {RETRY_AFTER:?} pause; {} × 429 from rate limits; every chat exactly 1 post; {elapsed:.1?}",
        fake.count_429() - BURST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_chats_go_inactive_and_a_migrated_group_follows_its_plan() {
    let fake = strict_fake().await;
    let private = private_ids(12_001, 30);
    let groups: Vec<i64> = (1..=10).map(|i| -12_000 - i).collect();
    let (blocked, kicked) = (&private[..3], &groups[..2]);
    let migrated = groups[9];
    let moved_to = -1_000_000_012_010;
    for &group in &groups {
        fake.add_chat(ChatSpec::group(group, &format!("Group {group}")));
    }
    fake.add_chat(ChatSpec::supergroup(moved_to, "Group, upgraded", false));
    for &chat in blocked {
        fake.set_forbidden(chat, "Forbidden: bot was blocked by the user");
    }
    for &chat in kicked {
        fake.set_forbidden(chat, "Forbidden: bot was kicked from the group chat");
    }
    fake.set_migrated(migrated, moved_to);

    let (dir, database, store) = fresh_database().await;
    let mut due = private_chats(&private);
    due.extend(groups.iter().map(|&g| (g, ChatKind::Group)));
    let date = make_due(&store, &due).await;
    let plan_before = store
        .plan(ChatId::telegram(migrated))
        .await
        .unwrap()
        .expect("a plan");
    let bot = TestBot::start_on(&fake, &database, Clock::system(), engine_config(), dir).await;

    let mut final_ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
    final_ids.retain(|&id| id != migrated);
    final_ids.push(moved_to);
    let settled = wait_ledger_settled(&store, &final_ids, &date, FAN_OUT_PATIENCE).await;
    bot.stop().await;
    assert!(settled, "the fan-out did not finish");

    let gone: Vec<i64> = blocked.iter().chain(kicked).copied().collect();
    for &chat in &gone {
        assert_eq!(
            send_attempts(&fake, chat),
            1,
            "chat {chat}: Forbidden is not retried"
        );
        assert!(messages_in(&fake, chat).is_empty());
        let row = store
            .chat(ChatId::telegram(chat))
            .await
            .unwrap()
            .expect("chat kept");
        assert!(!row.active, "chat {chat} is inactive");
        assert!(
            store
                .plan(ChatId::telegram(chat))
                .await
                .unwrap()
                .unwrap()
                .paused,
            "chat {chat}: plan paused"
        );
    }
    let states = ledger_states(&store, &gone, &date).await;
    assert!(
        states.values().all(|s| *s == Some(LedgerState::Skipped)),
        "{states:?}"
    );

    assert_eq!(send_attempts(&fake, migrated), 1, "one try at the old id");
    assert_eq!(
        messages_in(&fake, moved_to).len(),
        1,
        "the post arrived in the supergroup once"
    );
    assert_eq!(
        store.plan(ChatId::telegram(migrated)).await.unwrap(),
        None,
        "no plan left at the old id"
    );
    let moved = store
        .plan(ChatId::telegram(moved_to))
        .await
        .unwrap()
        .expect("the plan moved");
    assert_eq!(
        (moved.plan.time, moved.plan.zone_name),
        (plan_before.plan.time, plan_before.plan.zone_name)
    );
    assert_eq!(
        store
            .chat(ChatId::telegram(moved_to))
            .await
            .unwrap()
            .unwrap()
            .kind,
        ChatKind::Supergroup
    );

    let delivered: Vec<i64> = final_ids
        .iter()
        .copied()
        .filter(|id| !gone.contains(id))
        .collect();
    assert_exactly_one_each(&fake, &delivered);
    let states = ledger_states(&store, &delivered, &date).await;
    assert!(
        states.values().all(|s| *s == Some(LedgerState::Done)),
        "{states:?}"
    );
    assert_nothing_rejected(&fake);
    println!(
        "Forbidden/migration: {} chats gone (1 attempt each), 1 moved to {moved_to}, {} delivered once",
        gone.len(),
        delivered.len()
    );
}

/// A group's two migration messages are handled concurrently (they are in
/// different chats): the first moves the chat while an `/ask` reply
/// delivered just before is still being recorded under the old id; the
/// second must then move that late ask too. (Seen as a rare failure of
/// `telegram_bot::a_migrated_group_keeps_its_question_under_the_new_id`:
/// "/answer" in the supergroup found no question.)
#[tokio::test]
async fn an_ask_recorded_after_the_first_move_follows_the_second() {
    let store = Store::in_memory().await.unwrap();
    let (old, new) = (
        ChatId::telegram(-2002),
        ChatId::telegram(-1_000_000_002_002),
    );
    store
        .upsert_chat(old, ChatKind::Group, Some("g"), 1)
        .await
        .unwrap();
    assert!(
        store.migrate_chat(old, new, 2).await.unwrap(),
        "the first message moves the chat"
    );
    let late = studybot::store::NewAsk {
        chat_id: old,
        question_id: "training-challenges",
        message_id: Some(MessageId(42)),
        thread_id: None,
        asked_at: 3,
        daily_date: None,
    };
    store.record_ask(&late).await.unwrap();
    store.mark_seen(old, "training-challenges").await.unwrap();
    store.migrate_chat(old, new, 4).await.unwrap();
    let current = store.current_ask(new).await.unwrap();
    assert_eq!(
        current.map(|a| a.message_id),
        Some(Some(MessageId(42))),
        "the late ask moved to the new id"
    );
    assert!(
        store
            .seen(new)
            .await
            .unwrap()
            .contains("training-challenges")
    );
    assert!(
        store.current_ask(old).await.unwrap().is_none(),
        "nothing left at the old id"
    );
}
