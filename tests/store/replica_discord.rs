//! The Discord adapter as a replica (STUDYBOT_TEST_POSTGRES): two replicas
//! of one bot keep one gateway session between them (two would both get
//! every interaction); when its holder dies, the other opens its own.

use std::sync::Arc;
use std::time::Duration;

use crate::support::pg::TestSchema;
use crate::support::{PATIENCE, bank, engine_config, temp_db};
use fake_discord_api::FakeDiscord;
use studybot::discord::{self, Connection, DiscordError};
use studybot::replica::Replica;
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig};
use tokio::sync::watch;
use tokio::task::JoinHandle;

struct ReplicaBot {
    replica: Arc<Replica>,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), DiscordError>>,
    _dir: Arc<tempfile::TempDir>,
}

async fn start(fake: &FakeDiscord, url: &str) -> ReplicaBot {
    let _ = env_logger::builder().is_test(true).try_init();
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.expect("the database opens");
    let config = EngineConfig {
        default_zone: "UTC".to_string(),
        ..engine_config()
    };
    let engine = Engine::new(bank(), store, config);
    let replica = Arc::new(Replica::join(url).await.expect("the replica joins"));
    let connection = Connection {
        token: fake.token().to_string(),
        api_url: Some(fake.api_url()),
        gateway_url: None,
        guild_id: None,
    };
    let (stop, stopped) = watch::channel(false);
    let engine = engine.with_replica(replica.clone());
    let task = tokio::spawn(discord::serve(engine, connection, stopped));
    ReplicaBot {
        replica,
        stop,
        task,
        _dir: dir,
    }
}

#[tokio::test]
async fn one_gateway_session_between_replicas_and_a_new_one_when_its_holder_dies() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let fake = crate::support::discord::fake().await;
    let first = start(&fake, &schema.url()).await;
    let identified = fake
        .wait_until(PATIENCE, |f| f.gateway_counts().identifies == 1)
        .await;
    assert!(identified, "the first replica did not open the gateway");
    let second = start(&fake, &schema.url()).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let counts = fake.gateway_counts();
    assert_eq!((counts.identifies, counts.open), (1, 1), "one session only");

    // The holder dies: its socket closes, its PostgreSQL session ends. The
    // abort ends the gateway; the stop ends the tasks it spawned, which hold
    // the engine and with it the replica, whose last handle then goes.
    first.task.abort();
    let _ = first.stop.send(true);
    drop(first.replica);
    let took_over = fake
        .wait_until(Duration::from_secs(10), |f| {
            let counts = f.gateway_counts();
            counts.identifies == 2 && counts.open == 1
        })
        .await;
    assert!(
        took_over,
        "the second replica did not open the gateway in 10 s"
    );

    let _ = second.stop.send(true);
    let done = tokio::time::timeout(PATIENCE, second.task).await;
    done.expect("the bot stops in time")
        .expect("the bot task did not panic")
        .expect("the bot ran without error");
    Arc::into_inner(second.replica)
        .expect("the bot let go of its replica")
        .leave()
        .await;
    fake.shutdown();
    schema.drop().await;
}
