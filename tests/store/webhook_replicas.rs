//! Two replicas behind one load balancer: two `studybot run` processes in webhook mode on one
//! PostgreSQL database, the fake Bot API spreading deliveries over both. Every `/ask` is
//! answered exactly once, and both replicas take a share.
//!
//! Needs `STUDYBOT_TEST_POSTGRES` (e.g. postgres://postgres@127.0.0.1:5432/test); without it
//! the test says so and passes. It works in a schema of its own, dropped afterwards.

use std::collections::BTreeMap;
use std::process::Child;
use std::time::Duration;

use crate::support::process::stop;
use crate::support::webhook::{free_addr, spawn_webhook_bot, wait_until_served};
use crate::support::*;
use fake_bot_api::User;
use studybot::store::testing::{PgSchema, postgres_url};

const ASKS: i64 = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_webhook_replicas_answer_each_ask_once_between_them() {
    let Some(server) = postgres_url() else {
        return;
    };
    let schema = PgSchema::create(&server).await.expect("a fresh schema");
    let database = schema.url().to_string();
    schema
        .run_then_drop(serve_asks_with_two_replicas(&database))
        .await;
}

async fn serve_asks_with_two_replicas(database: &str) {
    let fake = strict_fake().await;
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let addrs = [free_addr(), free_addr()];
    assert_ne!(addrs[0], addrs[1]);
    let backends: Vec<String> = addrs.iter().map(|addr| format!("http://{addr}")).collect();
    let mut replicas = Replicas(
        dirs.iter()
            .zip(addrs)
            .map(|(dir, addr)| spawn_webhook_bot(&fake, database, dir.path(), addr))
            .collect(),
    );
    for addr in addrs {
        wait_until_served(&fake, 2, addr).await;
    }
    let secrets: Vec<_> = fake
        .requests_to("setWebhook")
        .iter()
        .map(|r| r.body["secret_token"].clone())
        .collect();
    assert_eq!(secrets[0], secrets[1], "the replicas agree on the secret");
    fake.route_webhook_to(backends.clone());

    let chats: Vec<i64> = (1..=ASKS).map(|i| 500 + i).collect();
    for &chat in &chats {
        let user = User::new(chat, "Ann").with_language("en");
        fake.push_message(chat, Some(user), "/ask", None);
    }
    let answered = fake
        .wait_until(Duration::from_secs(60), |f| {
            chats.iter().all(|&c| !messages_in(f, c).is_empty())
        })
        .await;
    let missing: Vec<i64> = chats
        .iter()
        .copied()
        .filter(|&c| messages_in(&fake, c).is_empty())
        .collect();
    assert!(answered, "unanswered chats: {missing:?}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for &chat in &chats {
        assert_eq!(
            messages_in(&fake, chat).len(),
            1,
            "chat {chat}: exactly one answer"
        );
    }
    let mut served: BTreeMap<String, usize> = BTreeMap::new();
    for delivery in fake.webhook_deliveries().iter().filter(|d| d.succeeded()) {
        *served.entry(delivery.backend.clone()).or_default() += 1;
    }
    println!("deliveries per replica: {served:?}");
    assert_eq!(served.values().sum::<usize>(), chats.len());
    for backend in &backends {
        assert!(
            served.get(backend).is_some_and(|&n| n > 0),
            "{backend} got none: {served:?}"
        );
    }
    assert!(
        fake.requests_to("getUpdates").is_empty(),
        "no replica polls"
    );
    assert_nothing_rejected(&fake);
    for replica in &mut replicas.0 {
        stop(&fake, replica).await;
    }
}

/// The replicas' processes, killed if the test ends before stopping them.
struct Replicas(Vec<Child>);

impl Drop for Replicas {
    fn drop(&mut self) {
        for child in &mut self.0 {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}
