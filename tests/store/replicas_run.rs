//! Two real `studybot run` processes on one PostgreSQL database
//! (`STUDYBOT_TEST_POSTGRES`), through the strict fake Bot API: a daily
//! fan-out is split between them and each chat gets its post once, within
//! Telegram's 30 a second for the bot as a whole; when the polling leader
//! is SIGKILLed the other takes over polling within 10 s and adopts the
//! dead one's claims, so every chat still gets its post, repeated only for
//! the sends in flight at the kill.

// Shared with other test files; not every helper is used here.

use std::collections::HashMap;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::support::faults::*;
use crate::support::pg::TestSchema;
use crate::support::*;
use fake_bot_api::FakeBotApi;
use studybot::domain::{ChatId, ChatKind};
use studybot::store::{LedgerKind, Store};

const CHATS: usize = 300;

/// A `studybot run` child killed if the test ends (or fails) first, so a
/// failure leaves no bot running against a schema being dropped.
struct Running(Child);

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
const TAKEOVER: Duration = Duration::from_secs(10);

fn stderr_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Waits for `pred` or fails with both replicas' stderr.
async fn wait_or_fail(
    fake: &FakeBotApi,
    what: &str,
    logs: &[&Path],
    patience: Duration,
    pred: impl Fn(&FakeBotApi) -> bool,
) {
    if !fake.wait_until(patience, pred).await {
        let said: Vec<String> = logs.iter().map(|l| stderr_of(l)).collect();
        panic!(
            "{what} did not happen; the replicas said:\n{}",
            said.join("\n----\n")
        );
    }
}

/// Waits until the log at `path` has a line containing `needle`.
async fn wait_log(path: &Path, needle: &str, patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if stderr_of(path).contains(needle) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// How many of the day's posts each replica (ledger owner) sent.
async fn posts_by_owner(store: &Store, chats: &[i64], date: &str) -> HashMap<Option<i64>, usize> {
    let mut by_owner = HashMap::new();
    for &chat in chats {
        let entry = store
            .entry(ChatId::telegram(chat), day(date), LedgerKind::Post)
            .await
            .expect("ledger read");
        if let Some(entry) = entry {
            *by_owner.entry(entry.owner).or_insert(0) += 1;
        }
    }
    by_owner
}

struct Replicas {
    schema: TestSchema,
    store: Store,
    date: String,
    chats: Vec<i64>,
    dir: tempfile::TempDir,
}

impl Replicas {
    /// A schema with `CHATS` private chats due now, or `None` when skipped.
    async fn due_now(first_chat: i64) -> Option<Replicas> {
        let schema = TestSchema::create().await?;
        let store = Store::open(&schema.url())
            .await
            .expect("the database opens");
        let chats = private_ids(first_chat, CHATS);
        let due: Vec<(i64, ChatKind)> = chats.iter().map(|&id| (id, ChatKind::Private)).collect();
        let date = make_due(&store, &due).await;
        let dir = tempfile::tempdir().expect("a temp dir");
        Some(Replicas {
            schema,
            store,
            date,
            chats,
            dir,
        })
    }

    fn spawn(&self, fake: &FakeBotApi, name: &str) -> (Running, std::path::PathBuf) {
        let log = self.dir.path().join(format!("{name}.log"));
        let child = spawn_studybot(
            fake,
            &self.schema.url(),
            &shipped_content(),
            self.dir.path(),
            &log,
        );
        (Running(child), log)
    }

    async fn finish(self) {
        self.store.close().await;
        self.schema.drop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_split_a_300_chat_fan_out_and_post_each_chat_once() {
    let Some(run) = Replicas::due_now(40_001).await else {
        return;
    };
    // Looked at first a few seconds from now, when both replicas are up:
    // neither has a head start.
    let at = jiff::Timestamp::now().as_second() + 8;
    for &chat in &run.chats {
        run.store
            .set_next_due(ChatId::telegram(chat), at)
            .await
            .expect("the instant is stored");
    }
    let fake = strict_fake().await;
    let (mut a, a_log) = run.spawn(&fake, "a");
    let (mut b, b_log) = run.spawn(&fake, "b");
    let logs = [a_log.as_path(), b_log.as_path()];
    wait_or_fail(
        &fake,
        "every chat's post",
        &logs,
        Duration::from_secs(90),
        |f| chats_with(&posts_per_chat(f, &run.chats), 0).is_empty(),
    )
    .await;
    let settled =
        wait_ledger_settled(&run.store, &run.chats, &run.date, Duration::from_secs(30)).await;
    terminate(&a);
    terminate(&b);
    let (a_status, b_status) = (
        wait_exit(&mut a, Duration::from_secs(30)).await,
        wait_exit(&mut b, Duration::from_secs(30)).await,
    );
    assert!(
        settled,
        "claims left open:\n{}",
        stderr_of(&a_log) + &stderr_of(&b_log)
    );
    assert!(
        a_status.is_some_and(|s| s.success()),
        "a stops cleanly: {}",
        stderr_of(&a_log)
    );
    assert!(
        b_status.is_some_and(|s| s.success()),
        "b stops cleanly: {}",
        stderr_of(&b_log)
    );

    let counts = posts_per_chat(&fake, &run.chats);
    assert_eq!(
        chats_with(&counts, 1).len(),
        CHATS,
        "each chat exactly once: {counts:?}"
    );
    let by_owner = posts_by_owner(&run.store, &run.chats, &run.date).await;
    let owners: Vec<usize> = by_owner
        .iter()
        .filter(|(owner, _)| owner.is_some())
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(owners.len(), 2, "both replicas sent posts: {by_owner:?}");
    assert!(
        owners.iter().all(|&n| n >= CHATS / 10),
        "the work is split: {by_owner:?}"
    );
    assert_eq!(
        fake.count_429(),
        0,
        "the two replicas share Telegram's 30 a second"
    );
    assert_nothing_rejected(&fake);
    println!("300-chat fan-out over two replicas: posts per replica {owners:?}");
    run.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_the_polling_leader_hands_polling_and_its_claims_to_the_other() {
    let Some(run) = Replicas::due_now(50_001).await else {
        return;
    };
    let fake = strict_fake().await;
    let (mut leader, leader_log) = run.spawn(&fake, "leader");
    assert!(
        wait_log(&leader_log, LEADS, Duration::from_secs(30)).await,
        "the first replica did not lead:\n{}",
        stderr_of(&leader_log)
    );
    let (mut other, other_log) = run.spawn(&fake, "other");
    let logs = [leader_log.as_path(), other_log.as_path()];
    wait_or_fail(
        &fake,
        "a third of the fan-out",
        &logs,
        Duration::from_secs(60),
        |f| f.sent_count() >= CHATS / 3,
    )
    .await;
    leader.kill().expect("SIGKILL");
    leader.wait().expect("the killed child is reaped");
    let killed = Instant::now();
    let at_kill = fake.sent_count();

    // A person asks right after the kill: only a new poller can hear it.
    let asker = 59_999;
    fake.add_chat(fake_bot_api::ChatSpec::private(asker, Some("zh-hans")));
    fake.push_message(asker, None, "/ask", None);
    wait_or_fail(
        &fake,
        "the /ask answered after the kill",
        &logs,
        TAKEOVER,
        |f| !messages_in(f, asker).is_empty(),
    )
    .await;
    let takeover = killed.elapsed();

    wait_or_fail(
        &fake,
        "every chat's post",
        &logs,
        Duration::from_secs(90),
        |f| chats_with(&posts_per_chat(f, &run.chats), 0).is_empty(),
    )
    .await;
    let settled =
        wait_ledger_settled(&run.store, &run.chats, &run.date, Duration::from_secs(30)).await;
    terminate(&other);
    let status = wait_exit(&mut other, Duration::from_secs(30)).await;
    assert!(settled, "claims left open:\n{}", stderr_of(&other_log));
    assert!(
        status.is_some_and(|s| s.success()),
        "{}",
        stderr_of(&other_log)
    );

    let counts = posts_per_chat(&fake, &run.chats);
    let repeated = chats_with(&counts, 2);
    assert_eq!(
        chats_with(&counts, 1).len() + repeated.len(),
        CHATS,
        "every chat posted, none three times: {counts:?}"
    );
    assert!(
        repeated.len() <= IN_FLIGHT,
        "{} chats posted twice; at most {IN_FLIGHT} sends were in flight",
        repeated.len()
    );
    assert_eq!(messages_in(&fake, asker).len(), 1, "the /ask answered once");
    assert_nothing_rejected_but_stale_polls(&fake);
    println!(
        "SIGKILL of the leader after {at_kill} of {CHATS} posts: the other answered an /ask \
         {takeover:.1?} later; {} chats posted twice (bound {IN_FLIGHT}); 429s: {}",
        repeated.len(),
        fake.count_429()
    );
    run.finish().await;
}

/// The log line a replica writes when it starts polling as the leader.
const LEADS: &str = "leads Telegram polling";

/// Only answers to dead or superseded long polls may have been refused.
fn assert_nothing_rejected_but_stale_polls(fake: &FakeBotApi) {
    let rejected: Vec<_> = fake
        .rejected()
        .into_iter()
        .filter(|r| !(r.method == "getupdates" && r.status == 409))
        .collect();
    assert!(rejected.is_empty(), "the fake rejected: {rejected:#?}");
}
