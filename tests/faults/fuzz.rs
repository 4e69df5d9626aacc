//! 10,000 random and malformed updates through the real dispatcher: odd
//! commands and arguments, huge and hostile text, forged button data,
//! presses on missing messages, edits, stickers, joins, messages without a
//! sender, channel posts and update kinds nobody knows. The bot must not
//! panic, must not let a non-admin change a group's settings, must send
//! nothing Telegram would refuse, and must still answer afterwards.
//!
//! One test per binary: the panic hook below counts every panic in it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::faults::fuzz::*;
use crate::support::faults::*;
use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, User};
use jiff::{SignedDuration, Timestamp};
use studybot::domain::{ChatId, ChatKind, Lang};
use studybot::runtime::clock::Clock;
use studybot::schedule::RevealRule;
use studybot::store::{PlanRow, Store};

const UPDATES: usize = 10_000;
const SEED: u64 = 0x5eed_f00d;

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default(info);
    }));
}

/// The guarded group's settings, as stored.
async fn guarded_settings(store: &Store) -> (Option<Lang>, Option<String>, Option<PlanRow>, bool) {
    let chat = store
        .chat(ChatId::telegram(GUARDED))
        .await
        .unwrap()
        .expect("the group is known");
    (
        chat.language,
        chat.timezone.map(|z| z.name),
        store.plan(ChatId::telegram(GUARDED)).await.unwrap(),
        chat.active,
    )
}

/// Pushes `/ask` and waits for a question (a message with a button).
/// A command that finds its chat's backlog full is skipped (with a
/// "slow down" note): asked again while the fuzz's backlog drains.
async fn still_answers(fake: &FakeBotApi, chat: i64, from: Option<User>) -> bool {
    for _ in 0..3 {
        let before = messages_in(fake, chat).len();
        let thread = (chat == FORUM).then_some(TOPIC);
        fake.push_message(chat, from.clone(), "/ask", thread);
        let answered = fake
            .wait_until(PATIENCE / 2, |f| {
                messages_in(f, chat)[before..]
                    .iter()
                    .any(|m| button_data(m).is_some())
            })
            .await;
        if answered {
            return true;
        }
    }
    false
}

async fn guarded_group(store: &Store) {
    let now = Timestamp::now();
    store
        .upsert_chat(
            ChatId::telegram(GUARDED),
            ChatKind::Group,
            Some("Guarded"),
            now.as_second(),
        )
        .await
        .unwrap();
    store
        .set_language(ChatId::telegram(GUARDED), Lang::En, now.as_second())
        .await
        .unwrap();
    store
        .set_timezone(ChatId::telegram(GUARDED), "Europe/Berlin", now.as_second())
        .await
        .unwrap();
    let later = (now + SignedDuration::from_hours(6))
        .in_tz("Europe/Berlin")
        .unwrap();
    let mut plan = PlanRow::every_day(
        ChatId::telegram(GUARDED),
        &later.strftime("%H:%M").to_string(),
        "Europe/Berlin",
    )
    .unwrap();
    plan.plan.reveal = RevealRule::After(SignedDuration::from_mins(90));
    store.save_plan(&plan, now.as_second()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_random_and_malformed_updates() {
    count_panics();
    let fake = strict_fake().await;
    fake.set_rate_limits(false);
    let world = World {
        users: (1..=USERS)
            .map(|id| User::new(id, &format!("User {id}")))
            .collect(),
    };
    for user in &world.users {
        fake.add_chat(ChatSpec::private_with(user.clone()));
    }
    fake.add_chat(ChatSpec::group(GUARDED, "Guarded"));
    fake.set_admins(GUARDED, &[ADMIN]);
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.add_topic(FORUM, TOPIC);
    fake.add_chat(ChatSpec::channel(CHANNEL, "Channel"));

    let (dir, database) = temp_db();
    let store = Store::open(&database).await.unwrap();
    guarded_group(&store).await;
    let settings_before = guarded_settings(&store).await;
    let bot = start_with_limits(
        &fake,
        &database,
        Clock::system(),
        engine_config(),
        dir,
        unlimited(),
    )
    .await;

    let started = Instant::now();
    let mut rng = XorShift::new(SEED);
    let mut tally = [0usize; 4];
    let mut bot_messages: Vec<(i64, i32)> = Vec::new();
    for n in 0..UPDATES {
        if n % 500 == 0 {
            bot_messages = fake
                .sent_messages()
                .iter()
                .map(|m| (m.chat_id, m.message_id))
                .collect();
        }
        tally[push_random(&fake, &world, &mut rng, &bot_messages, n as i32)] += 1;
        if n % 100 == 99 {
            // Feed at the pace the bot takes them, so a stall shows as one.
            let keeping_up = fake
                .wait_until(PATIENCE, |f| f.pending_updates() < 300)
                .await;
            assert!(keeping_up, "the bot stopped taking updates after {n}");
        }
    }
    let drained = fake
        .wait_until(Duration::from_secs(60), |f| f.pending_updates() == 0)
        .await;
    assert!(drained, "{} updates never taken", fake.pending_updates());
    assert!(is_running(&bot), "the bot task ended");

    // Still answering everywhere: each chat's earlier updates came first.
    let user = world.users[0].clone();
    for (chat, from) in [
        (GUARDED, Some(user.clone())),
        (user.id, Some(user.clone())),
        (FORUM, Some(user)),
        (CHANNEL, None),
    ] {
        assert!(
            still_answers(&fake, chat, from).await,
            "no /ask answer in chat {chat}"
        );
    }
    let presses = tally[2];
    let all_answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() >= presses)
        .await;
    assert!(
        all_answered,
        "{} of {presses} button presses answered",
        fake.callback_answers().len()
    );
    let elapsed = started.elapsed();
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the bot panicked");
    assert_eq!(
        guarded_settings(&store).await,
        settings_before,
        "a non-admin changed the group"
    );
    assert_nothing_rejected(&fake);
    println!(
        "fuzz: {UPDATES} updates ({} commands, {} random texts, {} button presses, {} raw; {} \
         filtered as kinds the bot did not ask for) → {} messages, {} button answers, no panic, \
         nothing rejected; {elapsed:.1?}",
        tally[0],
        tally[1],
        tally[2],
        tally[3],
        fake.filtered_updates(),
        fake.sent_count(),
        fake.callback_answers().len()
    );
    bot.stop().await;
}
