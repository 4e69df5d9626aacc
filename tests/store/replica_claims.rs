//! Daily claims between replicas on one PostgreSQL database
//! (`STUDYBOT_TEST_POSTGRES`), engine to engine in one process: a claim
//! held by a live replica is left to it; a replica that stops hands its
//! unsent claims back and another adopts them; the claims of a replica
//! that died are adopted by exactly one of the others.

// Shared with other test files; not every helper is used here.

use std::sync::Arc;

use crate::support::faults::{day, make_due};
use crate::support::pg::TestSchema;
use crate::support::{bank, engine_config};
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind};
use studybot::replica::Replica;
use studybot::store::{LedgerKind, Store};
use studybot::study::Engine;

const CHATS: i64 = 6;

async fn replica_engine(url: &str) -> (Engine, Arc<Replica>) {
    let replica = Arc::new(Replica::join(url).await.expect("the replica joins"));
    let store = Store::open(url).await.expect("the database opens");
    let engine = Engine::new(bank(), store, engine_config()).with_replica(replica.clone());
    (engine, replica)
}

async fn owners(store: &Store, date: &str) -> Vec<Option<i64>> {
    let mut owners = Vec::new();
    for id in 1..=CHATS {
        let entry = store
            .entry(ChatId::telegram(id), day(date), LedgerKind::Post)
            .await
            .expect("ledger read")
            .expect("a claim");
        owners.push(entry.owner);
    }
    owners
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_stay_with_a_live_replica_go_back_on_stop_and_are_adopted_once_after_a_death() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let url = schema.url();
    let store = Store::open(&url).await.expect("the database opens");
    let chats: Vec<(i64, ChatKind)> = (1..=CHATS).map(|id| (id, ChatKind::Private)).collect();
    let date = make_due(&store, &chats).await;
    let (a, replica_a) = replica_engine(&url).await;
    let (b, replica_b) = replica_engine(&url).await;
    let now = Timestamp::now();

    let claimed = a.due_batch(now, 16).await.expect("a claims");
    assert_eq!(claimed.work.len(), CHATS as usize, "a claims every post");
    assert_eq!(owners(&store, &date).await, vec![Some(replica_a.id()); 6]);
    let left = b.unfinished_work(now).await.expect("b looks");
    assert!(left.is_empty(), "b leaves a live replica's claims alone");

    assert_eq!(
        a.hand_back_claims().await.expect("a hands back"),
        CHATS as u64
    );
    assert_eq!(owners(&store, &date).await, vec![None; 6]);
    let adopted = b.unfinished_work(now).await.expect("b adopts");
    assert_eq!(
        adopted.len(),
        CHATS as usize,
        "b resumes what a handed back"
    );
    assert_eq!(owners(&store, &date).await, vec![Some(replica_b.id()); 6]);

    // b dies without handing anything back; two live replicas look at once.
    drop(b);
    Arc::into_inner(replica_b)
        .expect("one handle")
        .leave()
        .await;
    let (c, _replica_c) = replica_engine(&url).await;
    let (first, second) = tokio::join!(a.unfinished_work(now), c.unfinished_work(now));
    let (first, second) = (first.expect("a looks"), second.expect("c looks"));
    assert_eq!(
        first.len() + second.len(),
        CHATS as usize,
        "each dead claim adopted by exactly one: {} + {}",
        first.len(),
        second.len()
    );
    store.close().await;
    schema.drop().await;
}
