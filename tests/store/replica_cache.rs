//! The hot-read cache between replicas on one PostgreSQL database
//! (`STUDYBOT_TEST_POSTGRES`): a chat's language set through one replica
//! reaches the next daily post another replica claims, though that one had
//! the old language in its cache (the settings epoch says it moved).

use std::sync::Arc;

use crate::support::faults::make_due;
use crate::support::pg::TestSchema;
use crate::support::{bank, engine_config};
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind};
use studybot::replica::Replica;
use studybot::store::Store;
use studybot::study::{Engine, Incoming, Lang, Person, Place, i18n, parse};

const CHAT: i64 = 31;

async fn replica_engine(url: &str) -> (Engine, Arc<Replica>) {
    let replica = Arc::new(Replica::join(url).await.expect("the replica joins"));
    let store = Store::open(url).await.expect("the database opens");
    let engine = Engine::new(bank(), store, engine_config()).with_replica(replica.clone());
    (engine, replica)
}

fn private_turn() -> Incoming {
    Incoming {
        place: Place {
            chat_id: ChatId::telegram(CHAT),
            kind: ChatKind::Private,
            title: None,
            thread_id: None,
        },
        person: Person {
            user_id: Some(CHAT),
            is_admin: true,
            ..Person::default()
        },
        now: Timestamp::now(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_set_on_one_replica_reaches_the_daily_post_of_another() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let url = schema.url();
    let store = Store::open(&url).await.expect("the database opens");
    make_due(&store, &[(CHAT, ChatKind::Private)]).await;
    let (a, _replica_a) = replica_engine(&url).await;
    let (b, _replica_b) = replica_engine(&url).await;

    // b has the chat in its cache, in the default language.
    let seen = b.handle(&private_turn(), parse("/help", None)).await;
    assert_eq!(seen.lang, Lang::Zh);
    // The chat switches to English through a (the polling replica).
    let set = a.handle(&private_turn(), parse("/lang en", None)).await;
    assert_eq!(set.lang, Lang::En);

    let batch = b.due_batch(Timestamp::now(), 16).await.expect("b claims");
    assert_eq!(batch.work.len(), 1, "the day's question is due");
    let button = &batch.work[0].post.buttons[0].label;
    assert_eq!(
        button,
        i18n::show_answer_button(Lang::En),
        "b's daily post speaks the language a set"
    );
    store.close().await;
    schema.drop().await;
}
