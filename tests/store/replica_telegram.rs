//! The Telegram adapter as a replica (STUDYBOT_TEST_POSTGRES): only the
//! leading replica long-polls; when it dies the other starts polling, and a
//! leader cut off from the database stops polling before polling again.
//! Each replica talks to a fake of its own, so the fake's records say which
//! one polled.

use std::sync::Arc;
use std::time::Duration;

use crate::support::pg::TestSchema;
use crate::support::{PATIENCE, bank, engine_config, fake_with, quick_polls, temp_db};
use fake_bot_api::FakeBotApi;
use sqlx::{Connection as _, PgConnection};
use studybot::replica::Replica;
use studybot::store::Store;
use studybot::study::Engine;
use studybot::telegram::{self, Connection, LimitConfig, TelegramError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

const TAKEOVER: Duration = Duration::from_secs(10);

/// One replica's bot: its fake, its task and the way to stop it.
struct ReplicaBot {
    fake: FakeBotApi,
    replica: Arc<Replica>,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), TelegramError>>,
    _dir: Arc<tempfile::TempDir>,
}

impl ReplicaBot {
    async fn start(url: &str) -> ReplicaBot {
        let _ = env_logger::builder().is_test(true).try_init();
        let fake = fake_with(quick_polls()).await;
        let (dir, database) = temp_db();
        let store = Store::open(&database).await.expect("the database opens");
        let engine = Engine::new(bank(), store, engine_config());
        let replica = Arc::new(Replica::join(url).await.expect("the replica joins"));
        let connection = Connection {
            token: fake.token().to_string(),
            api_url: Some(fake.api_url()),
            limits: LimitConfig::default(),
            webhook: None,
        };
        let (stop, stopped) = watch::channel(false);
        let engine = engine.with_replica(replica.clone());
        let task = tokio::spawn(telegram::serve(engine, connection, stopped));
        ReplicaBot {
            fake,
            replica,
            stop,
            task,
            _dir: dir,
        }
    }

    fn polls(&self) -> usize {
        self.fake.requests_to("getupdates").len()
    }

    /// Polling terms started: each one asks for the webhook first.
    fn terms(&self) -> usize {
        self.fake.requests_to("getwebhookinfo").len()
    }

    async fn wait_polling(&self, within: Duration) -> bool {
        let before = self.polls();
        self.fake
            .wait_until(within, |f| f.requests_to("getupdates").len() > before)
            .await
    }

    /// Dies as under SIGKILL: nothing is handed back. The abort ends the
    /// polling; the stop ends the tasks it spawned, which hold the engine
    /// and with it the replica, whose session then ends with them.
    fn kill(self) {
        self.task.abort();
        let _ = self.stop.send(true);
        self.fake.shutdown();
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        self.fake.release_pollers();
        let done = tokio::time::timeout(PATIENCE, self.task).await;
        done.expect("the bot stops in time")
            .expect("the bot task did not panic")
            .expect("the bot ran without error");
        let replica = Arc::into_inner(self.replica).expect("the bot let go of its replica");
        replica.leave().await;
    }
}

#[tokio::test]
async fn only_the_leader_polls_and_the_other_takes_over_when_it_dies() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let first = ReplicaBot::start(&schema.url()).await;
    assert!(
        first.wait_polling(PATIENCE).await,
        "the first replica did not poll"
    );
    let second = ReplicaBot::start(&schema.url()).await;
    // It connected (getMe) but stands by while the first leads.
    let connected = second
        .fake
        .wait_until(PATIENCE, |f| !f.requests_to("getme").is_empty())
        .await;
    assert!(connected);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        second.polls(),
        0,
        "the second replica polled beside the leader"
    );
    assert!(
        first.wait_polling(PATIENCE).await,
        "the leader stopped polling"
    );

    let died = std::time::Instant::now();
    first.kill();
    assert!(
        second.wait_polling(TAKEOVER).await,
        "the second replica did not take over within 10 s"
    );
    println!(
        "the second replica polled {:?} after the leader died",
        died.elapsed()
    );
    second.stop().await;
    schema.drop().await;
}

#[tokio::test]
async fn a_leader_whose_session_ends_stops_polling_before_the_next_one_starts() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let old = ReplicaBot::start(&schema.url()).await;
    assert!(
        old.wait_polling(PATIENCE).await,
        "the first replica did not poll"
    );
    let new = ReplicaBot::start(&schema.url()).await;
    // The old leader's session ends, and its id stays taken (as by a
    // session PostgreSQL has not reaped yet), so it cannot lead again.
    let mut admin = PgConnection::connect(&schema.url()).await.unwrap();
    // One statement: the admin queues for the id before the old session is
    // gone, so the old replica cannot take it back first.
    let id = i32::try_from(old.replica.id()).unwrap();
    let terminated: Option<(bool, String)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid), pg_advisory_lock($1, $2)::text FROM pg_locks \
         WHERE locktype = 'advisory' AND objsubid = 2 \
           AND classid::int8 = $3 AND objid::int8 = $4",
    )
    .bind(old.replica.namespace())
    .bind(id)
    .bind(classid(&old.replica))
    .bind(old.replica.id())
    .fetch_optional(&mut admin)
    .await
    .unwrap();
    assert_eq!(terminated.map(|t| t.0), Some(true));
    assert!(
        new.wait_polling(TAKEOVER).await,
        "the new leader did not poll"
    );
    let last_old = old.fake.requests_to("getupdates").last().unwrap().at;
    let first_new = new.fake.requests_to("getupdates").first().unwrap().at;
    assert!(
        last_old < first_new,
        "the old leader polled after the new one began"
    );
    println!("polling paused {:?} between leaders", first_new - last_old);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        old.fake.requests_to("getupdates").last().unwrap().at,
        last_old
    );
    new.stop().await;
    old.stop().await;
    admin.close().await.unwrap();
    schema.drop().await;
}

fn classid(replica: &Replica) -> i64 {
    i64::from(u32::from_ne_bytes(replica.namespace().to_ne_bytes()))
}

#[tokio::test]
async fn a_leader_cut_off_from_the_database_stops_polling_and_polls_again() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let bot = ReplicaBot::start(&schema.url()).await;
    assert!(bot.wait_polling(PATIENCE).await, "the replica did not poll");
    assert_eq!(bot.terms(), 1);
    let mut admin = PgConnection::connect(&schema.url()).await.unwrap();
    let terminated: Option<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_locks \
         WHERE locktype = 'advisory' AND objsubid = 2 \
           AND classid::int8 = $1 AND objid::int8 = $2",
    )
    .bind(classid(&bot.replica))
    .bind(bot.replica.id())
    .fetch_optional(&mut admin)
    .await
    .unwrap();
    assert_eq!(terminated, Some(true));
    admin.close().await.unwrap();
    // Polling stopped (the term ended) and a new term began once the
    // replica led again.
    let again = bot
        .fake
        .wait_until(TAKEOVER, |f| f.requests_to("getwebhookinfo").len() == 2);
    assert!(again.await, "polling did not stop and start again");
    assert!(
        bot.wait_polling(PATIENCE).await,
        "the replica did not poll again"
    );
    bot.stop().await;
    schema.drop().await;
}
