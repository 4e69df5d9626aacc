//! The real `studybot` binary killed with SIGKILL in the middle of a daily
//! fan-out to 200 chats, then started again on the same database: no chat
//! is skipped, and only sends in flight at the kill (at most `IN_FLIGHT`)
//! can repeat.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::support::faults::*;
use crate::support::*;
use fake_bot_api::FakeBotApi;
use studybot::domain::ChatKind;
use studybot::store::{LedgerState, Store};

const CHATS: usize = 200;

fn stderr_of(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Waits for `pred` or fails with the child's stderr.
async fn wait_or_fail(
    fake: &FakeBotApi,
    what: &str,
    log: &std::path::Path,
    pred: impl Fn(&FakeBotApi) -> bool,
) {
    let happened = fake.wait_until(Duration::from_secs(90), pred).await;
    assert!(
        happened,
        "{what} did not happen; studybot said:\n{}",
        stderr_of(log)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_fan_out_then_restart_skips_no_chat() {
    let fake = strict_fake().await;
    let chats = private_ids(20_001, CHATS);
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.expect("the database opens");
    let due: Vec<(i64, ChatKind)> = chats.iter().map(|&id| (id, ChatKind::Private)).collect();
    let date = make_due(&store, &due).await;
    let (first_log, second_log) = (dir.path().join("first.log"), dir.path().join("second.log"));
    let content = shipped_content();

    let started = Instant::now();
    let mut first = spawn_studybot(&fake, &database, &content, dir.path(), &first_log);
    wait_or_fail(&fake, "a third of the fan-out", &first_log, |f| {
        f.sent_count() >= CHATS / 3
    })
    .await;
    first.kill().expect("SIGKILL");
    first.wait().expect("the killed child is reaped");
    let at_kill = fake.sent_count();
    // Delivered but not yet recorded as done: exactly these will repeat.
    let claimed: HashSet<i64> = store
        .claimed_entries()
        .await
        .expect("ledger read")
        .iter()
        .map(|e| e.chat_id.id)
        .collect();
    let delivered: HashSet<i64> = fake.sent_messages().iter().map(|m| m.chat_id).collect();
    let mut unrecorded: Vec<i64> = delivered.intersection(&claimed).copied().collect();
    unrecorded.sort_unstable();

    let mut second = spawn_studybot(&fake, &database, &content, dir.path(), &second_log);
    wait_or_fail(&fake, "every chat's post", &second_log, |f| {
        chats_with(&posts_per_chat(f, &chats), 0).is_empty()
    })
    .await;
    let settled = wait_ledger_settled(&store, &chats, &date, Duration::from_secs(60)).await;
    terminate(&second);
    let status = wait_exit(&mut second, Duration::from_secs(30)).await;
    let elapsed = started.elapsed();
    assert!(
        settled,
        "claims left unfinished; studybot said:\n{}",
        stderr_of(&second_log)
    );
    assert!(
        status.is_some_and(|s| s.success()),
        "SIGTERM stops it cleanly ({status:?}):\n{}",
        stderr_of(&second_log)
    );

    let counts = posts_per_chat(&fake, &chats);
    let repeated = chats_with(&counts, 2);
    assert!(chats_with(&counts, 0).is_empty(), "no chat is skipped");
    assert_eq!(
        repeated.len() + chats_with(&counts, 1).len(),
        CHATS,
        "none posted 3 times: {counts:?}"
    );
    assert_eq!(
        repeated, unrecorded,
        "the repeats are the sends unrecorded at the kill"
    );
    assert!(
        repeated.len() <= IN_FLIGHT,
        "{} chats got their post twice; at most {IN_FLIGHT} sends are in flight: {repeated:?}",
        repeated.len()
    );
    let states = ledger_states(&store, &chats, &date).await;
    assert!(
        states.values().all(|s| *s == Some(LedgerState::Done)),
        "{states:?}"
    );
    assert!(
        stderr_of(&second_log).contains("resuming"),
        "the restart resumed the claims"
    );
    // The killed process's long poll may still be open at the fake when
    // the new one polls: the fake ends it with 409, as Telegram would. That
    // answer goes to a dead process; anything else rejected is a bug.
    let rejected: Vec<_> = fake
        .rejected()
        .into_iter()
        .filter(|r| !(r.method == "getupdates" && r.status == 409))
        .collect();
    assert!(rejected.is_empty(), "the fake rejected: {rejected:#?}");
    println!(
        "SIGKILL after {at_kill} of {CHATS} posts ({} claims left open, {} of them delivered); \
         after restart every chat posted, {} repeated (bound {IN_FLIGHT}); {elapsed:.1?}",
        claimed.len(),
        unrecorded.len(),
        repeated.len()
    );
}
