//! Replicas on one PostgreSQL database (STUDYBOT_TEST_POSTGRES): one leader
//! per seat, liveness from the sessions themselves, takeover after a
//! replica dies, a leader cut off by the server knows it lost, and bots in
//! other schemas never interfere. Each test works in a schema of its own.

use std::time::{Duration, Instant};

use crate::support::pg::TestSchema;
use sqlx::{Connection, PgConnection};
use studybot::replica::{Replica, Seat};
use tokio::sync::watch;

const TAKEOVER: Duration = Duration::from_secs(10);

#[tokio::test]
async fn the_test_url_puts_the_session_in_its_own_schema() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let mut connection = PgConnection::connect(&schema.url()).await.unwrap();
    let current: String = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(current, schema.name());
    connection.close().await.unwrap();
    schema.drop().await;
}

#[tokio::test]
async fn two_replicas_one_leader_and_the_other_takes_over_when_it_dies() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let a = Replica::join(&schema.url()).await.unwrap();
    let b = Replica::join(&schema.url()).await.unwrap();
    assert_ne!(a.id(), b.id());
    let mut members = vec![a.id(), b.id()];
    members.sort();
    assert_eq!(b.live_members().await.unwrap(), members);
    assert_eq!(*b.live_count().borrow(), 2, "b joined second and saw two");

    let seat = Seat::TelegramPolling;
    let patience = Duration::from_secs(5);
    let (led_a, led_b) = tokio::join!(
        tokio::time::timeout(patience, a.lead(seat)),
        tokio::time::timeout(patience, b.lead(seat)),
    );
    assert!(led_a.is_ok() != led_b.is_ok(), "exactly one replica leads");
    let (leader, follower) = if led_a.is_ok() { (a, b) } else { (b, a) };

    // The leader dies: its connection closes with no goodbye.
    let died = Instant::now();
    drop(leader);
    let took_over = tokio::time::timeout(TAKEOVER, follower.lead(seat)).await;
    assert!(took_over.is_ok(), "the follower did not take over in 10 s");
    println!("takeover after {:?}", died.elapsed());
    let mut live = follower.live_count();
    let one = tokio::time::timeout(TAKEOVER, live.wait_for(|n| *n == 1))
        .await
        .is_ok();
    assert!(one, "the live count did not fall to 1");
    assert_eq!(follower.live_members().await.unwrap(), [follower.id()]);
    follower.leave().await;
    schema.drop().await;
}

#[tokio::test]
async fn a_leader_whose_session_the_server_ends_knows_it_lost() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let replica = Replica::join(&schema.url()).await.unwrap();
    let mut leadership =
        tokio::time::timeout(Duration::from_secs(5), replica.lead(Seat::DiscordGateway))
            .await
            .expect("a lone replica leads at once");
    let terminated = terminate_session_of(&schema, &replica).await;
    assert!(terminated);
    let cut = Instant::now();
    let lost = tokio::time::timeout(Duration::from_secs(6), leadership.lost()).await;
    assert!(lost.is_ok(), "the leader did not notice its session ended");
    println!("the lead was known lost after {:?}", cut.elapsed());
    assert!(leadership.is_lost());
    // It comes back with the same id and may lead again.
    let again = tokio::time::timeout(TAKEOVER, replica.lead(Seat::DiscordGateway))
        .await
        .is_ok();
    assert!(again, "the replica did not lead again after reconnecting");
    assert_eq!(replica.live_members().await.unwrap(), [replica.id()]);
    replica.leave().await;
    schema.drop().await;
}

#[tokio::test]
async fn work_stops_when_the_lead_is_lost_and_starts_again_when_regained() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let replica = Replica::join(&schema.url()).await.unwrap();
    let (terms_tx, mut terms) = watch::channel((0u32, 0u32));
    let (stop, stopped) = watch::channel(false);
    let leading = replica.while_leading(Seat::TelegramPolling, stopped, |mut term| {
        let terms_tx = terms_tx.clone();
        async move {
            terms_tx.send_modify(|(started, _)| *started += 1);
            let _ = term.wait_for(|end| *end).await;
            terms_tx.send_modify(|(_, ended)| *ended += 1);
        }
    });
    let check = async {
        let first = tokio::time::timeout(Duration::from_secs(5), terms.wait_for(|t| t.0 == 1))
            .await
            .is_ok();
        assert!(first, "the work did not start");
        assert!(terminate_session_of(&schema, &replica).await);
        let ended = tokio::time::timeout(Duration::from_secs(6), terms.wait_for(|t| t.1 == 1))
            .await
            .is_ok();
        assert!(ended, "the work did not stop on losing the lead");
        let again = tokio::time::timeout(TAKEOVER, terms.wait_for(|t| t.0 == 2))
            .await
            .is_ok();
        assert!(again, "the work did not start again");
        stop.send(true).unwrap();
    };
    let ((), ()) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(leading, check)
    })
    .await
    .expect("while_leading returns after stop");
    assert_eq!(*terms.borrow(), (2, 2));
    // Stopping gave the seat back.
    let other = Replica::join(&schema.url()).await.unwrap();
    let led = tokio::time::timeout(Duration::from_secs(1), other.lead(Seat::TelegramPolling)).await;
    assert!(led.is_ok(), "the seat was not given back on stop");
    other.leave().await;
    replica.leave().await;
    schema.drop().await;
}

#[tokio::test]
async fn a_replica_that_leaves_hands_its_seat_over_at_once() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let a = Replica::join(&schema.url()).await.unwrap();
    let _leadership = a.lead(Seat::TelegramPolling).await;
    let b = Replica::join(&schema.url()).await.unwrap();
    a.leave().await;
    assert_eq!(b.live_members().await.unwrap(), [b.id()]);
    let led = tokio::time::timeout(Duration::from_secs(1), b.lead(Seat::TelegramPolling)).await;
    assert!(led.is_ok(), "the seat was still held after leave");
    b.leave().await;
    schema.drop().await;
}

#[tokio::test]
async fn replicas_in_two_schemas_do_not_see_each_other() {
    let (Some(one), Some(two)) = (TestSchema::create().await, TestSchema::create().await) else {
        return;
    };
    let a = Replica::join(&one.url()).await.unwrap();
    let b = Replica::join(&two.url()).await.unwrap();
    assert_ne!(a.namespace(), b.namespace());
    assert_eq!(a.live_members().await.unwrap(), [a.id()]);
    assert_eq!(b.live_members().await.unwrap(), [b.id()]);
    let patience = Duration::from_secs(1);
    let both = tokio::join!(
        tokio::time::timeout(patience, a.lead(Seat::TelegramPolling)),
        tokio::time::timeout(patience, b.lead(Seat::TelegramPolling)),
    );
    assert!(
        both.0.is_ok() && both.1.is_ok(),
        "each schema has its own leader"
    );
    a.leave().await;
    b.leave().await;
    one.drop().await;
    two.drop().await;
}

/// Ends `replica`'s session from another connection, as an operator's
/// `pg_terminate_backend` or a failover would.
async fn terminate_session_of(schema: &TestSchema, replica: &Replica) -> bool {
    let mut admin = PgConnection::connect(&schema.url()).await.unwrap();
    let classid = i64::from(u32::from_ne_bytes(replica.namespace().to_ne_bytes()));
    let terminated: Option<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_locks \
         WHERE locktype = 'advisory' AND objsubid = 2 \
           AND classid::int8 = $1 AND objid::int8 = $2",
    )
    .bind(classid)
    .bind(replica.id())
    .fetch_optional(&mut admin)
    .await
    .unwrap();
    admin.close().await.unwrap();
    terminated == Some(true)
}
