//! Webhook mode end to end: the real `studybot run` with `STUDYBOT_WEBHOOK_URL`, the fake
//! Bot API posting updates to its `STUDYBOT_HTTP` side as a load balancer in front of the
//! https URL would. Updates are answered exactly once and never polled for; a request without
//! the secret is refused and changes nothing; a bot started in polling mode afterwards deletes
//! the webhook and polls; a wrong setting stops the bot before it reaches Telegram.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use crate::support::process::{bot_command, stop};
use crate::support::webhook::{
    WEBHOOK_URL, free_addr, request, spawn_webhook_bot, wait_until_served,
};
use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, User};
use serde_json::{Value, json};
use studybot::config::webhook::derived_secret;

fn kinds(list: &Value) -> BTreeSet<String> {
    let list = list.as_array().expect("allowed_updates is a list");
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn ann(chat: i64) -> User {
    User::new(chat, "Ann").with_language("en")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_answers_each_ask_once_and_never_polls() {
    let fake = strict_fake().await;
    let (dir, database) = temp_db();
    let http = free_addr();
    fake.route_webhook_to([format!("http://{http}")]);
    let mut bot = spawn_webhook_bot(&fake, &database, dir.path(), http);
    wait_until_served(&fake, 1, http).await;
    let set = fake.webhook().expect("a webhook is set");
    assert_eq!(set.url, WEBHOOK_URL);
    assert_eq!(set.secret_token, Some(derived_secret(fake.token())));
    assert_eq!(set.max_connections, 40);
    let call = &fake.requests_to("setWebhook")[0];
    assert_eq!(call.body["drop_pending_updates"], "false", "{call:#?}");
    let allowed: BTreeSet<String> = set.allowed_updates.unwrap().into_iter().collect();
    for kind in [
        "message",
        "channel_post",
        "callback_query",
        "my_chat_member",
        "poll_answer",
    ] {
        assert!(allowed.contains(kind), "{kind} missing from {allowed:?}");
    }

    let chats: Vec<i64> = (101..=108).collect();
    for &chat in &chats {
        fake.push_message(chat, Some(ann(chat)), "/ask", None);
    }
    let answered = fake
        .wait_until(PATIENCE, |f| {
            chats.iter().all(|&c| !messages_in(f, c).is_empty())
        })
        .await;
    assert!(
        answered,
        "not every /ask was answered: {:#?}",
        fake.sent_messages()
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    for &chat in &chats {
        assert_eq!(
            messages_in(&fake, chat).len(),
            1,
            "chat {chat}: exactly one answer"
        );
    }
    let deliveries = fake.webhook_deliveries();
    assert_eq!(
        deliveries.len(),
        chats.len(),
        "each update posted once: {deliveries:#?}"
    );
    assert!(deliveries.iter().all(|d| d.succeeded()));
    assert!(
        fake.requests_to("getUpdates").is_empty(),
        "a webhook bot never polls"
    );
    assert_nothing_rejected(&fake);
    let (status, body) = request(http, "GET", "/readyz", &[], "").await.unwrap();
    assert_eq!((status, body.as_str()), (200, "ready\n"));

    stop(&fake, &mut bot).await;
    assert!(bot.try_wait().unwrap().is_some_and(|s| s.success()));
    assert!(
        fake.requests_to("deleteWebhook").is_empty(),
        "other replicas may serve it"
    );
    assert!(fake.webhook().is_some(), "the webhook stays set");
}

/// A private message `/ask` from `chat`, as Telegram would post it.
fn ask_update(update_id: i64, chat: i64) -> String {
    let user = json!({ "id": chat, "is_bot": false, "first_name": "Eve", "language_code": "en" });
    json!({
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": jiff::Timestamp::now().as_second(),
            "chat": { "id": chat, "type": "private", "first_name": "Eve" },
            "from": user,
            "text": "/ask",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 4 }],
        }
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_the_secret_are_refused_and_change_nothing() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private(201, Some("en")));
    let (dir, database) = temp_db();
    let http = free_addr();
    let mut bot = spawn_webhook_bot(&fake, &database, dir.path(), http);
    wait_until_served(&fake, 1, http).await;
    let secret = derived_secret(fake.token());
    let header = "X-Telegram-Bot-Api-Secret-Token";
    let wrong = format!("{}x", &secret[..secret.len() - 1]);
    for headers in [
        vec![],
        vec![(header, wrong.as_str())],
        vec![(header, "not valid!")],
    ] {
        let (status, _) = request(http, "POST", "/tg/hook", &headers, &ask_update(9001, 201))
            .await
            .unwrap();
        assert!(
            [400, 401, 403].contains(&status),
            "{headers:?} got {status}"
        );
    }
    let (status, _) = request(http, "GET", "/tg/hook", &[(header, &secret)], "")
        .await
        .unwrap();
    assert_eq!(status, 405, "only a POST is an update");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        messages_in(&fake, 201).is_empty(),
        "a refused update is not handled"
    );
    assert_eq!(fake.sent_count(), 0);

    // The same update with the secret is handled: the refusals above were the secret's.
    let (status, _) = request(
        http,
        "POST",
        "/tg/hook",
        &[(header, &secret)],
        &ask_update(9002, 201),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(
        fake.wait_until(PATIENCE, |f| messages_in(f, 201).len() == 1)
            .await
    );
    stop(&fake, &mut bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_after_webhook_mode_deletes_the_webhook_and_polls() {
    let fake = strict_fake().await;
    let (dir, database) = temp_db();
    let http = free_addr();
    let mut hooked = spawn_webhook_bot(&fake, &database, dir.path(), http);
    wait_until_served(&fake, 1, http).await;
    stop(&fake, &mut hooked).await;
    let set = fake.webhook().expect("the webhook stays set");
    // Arrives while nobody serves the webhook: kept for whoever comes next.
    fake.push_message(301, Some(ann(301)), "/ask", None);

    let bot = TestBot::start(&fake).await;
    let deletes = fake.requests_to("deleteWebhook");
    assert_eq!(deletes.len(), 1, "{deletes:#?}");
    assert_eq!(deletes[0].body["drop_pending_updates"], false);
    assert!(fake.webhook().is_none());
    assert_eq!(bot.wait_for_messages(301, 1).await.len(), 1);
    let polls = fake.requests_to("getUpdates");
    assert!(polls.iter().all(|p| p.status == 200), "no 409: {polls:#?}");
    let hinted = polls
        .iter()
        .find(|p| p.body.get("allowed_updates").is_some())
        .expect("the first poll names the update kinds");
    assert_eq!(
        kinds(&hinted.body["allowed_updates"]),
        set.allowed_updates.unwrap().into_iter().collect(),
        "the webhook asks for what polling asks for"
    );
    bot.stop().await;
    assert_nothing_rejected(&fake);
}

/// `studybot run` with `env` added: its exit status and standard error.
async fn run_with(fake: &FakeBotApi, env: &[(&str, &str)]) -> (bool, String) {
    let (dir, database) = temp_db();
    let mut command = bot_command(fake, &database, dir.path());
    command.stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("studybot runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_webhook_settings_stop_the_bot_with_a_clear_message() {
    let fake = fake_with(Default::default()).await;
    let http = free_addr().to_string();
    let cases: [(Vec<(&str, &str)>, &str); 4] = [
        (
            vec![
                ("STUDYBOT_HTTP", &http),
                ("STUDYBOT_WEBHOOK_URL", "http://bot.example.com/hook"),
            ],
            "STUDYBOT_WEBHOOK_URL must be an https URL",
        ),
        (
            vec![
                ("STUDYBOT_HTTP", &http),
                ("STUDYBOT_WEBHOOK_URL", "https://bot.example.com:9000/"),
            ],
            "port 443, 80, 88 or 8443",
        ),
        (
            vec![("STUDYBOT_WEBHOOK_URL", WEBHOOK_URL)],
            "STUDYBOT_WEBHOOK_URL needs STUDYBOT_HTTP",
        ),
        (
            vec![
                ("STUDYBOT_HTTP", &http),
                ("STUDYBOT_WEBHOOK_URL", WEBHOOK_URL),
                ("STUDYBOT_WEBHOOK_SECRET", "not a secret!"),
            ],
            "STUDYBOT_WEBHOOK_SECRET must be 1 to 256 characters",
        ),
    ];
    for (env, needle) in cases {
        let (success, stderr) = run_with(&fake, &env).await;
        assert!(!success, "{env:?} started");
        assert!(stderr.contains(needle), "{env:?}: {stderr}");
        assert!(
            !stderr.contains("not a secret!") && !stderr.contains(fake.token()),
            "{stderr}"
        );
    }
    assert_eq!(fake.request_count(), 0, "nothing reached Telegram");
}
