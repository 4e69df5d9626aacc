//! The engine alone, on a virtual clock: the rules every adapter shares.

use std::time::Duration;

use crate::support::{bank, claim_due, engine_config};
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind, MessageId, Platform};
use studybot::post::{Action, Block, PostKind};
use studybot::store::Store;
use studybot::study::{Engine, Incoming, Lang, Person, Place, parse};

const GROUP: ChatId = ChatId::telegram(-42);

async fn engine() -> Engine {
    engine_and_store().await.0
}

/// An engine and a handle on its database, to check what it recorded.
async fn engine_and_store() -> (Engine, Store) {
    let store = Store::in_memory().await.unwrap();
    (Engine::new(bank(), store.clone(), engine_config()), store)
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn private(lang: &str, now: &str) -> Incoming {
    Incoming {
        place: Place {
            chat_id: ChatId::telegram(7),
            kind: ChatKind::Private,
            title: None,
            thread_id: None,
        },
        person: Person {
            user_id: Some(7),
            language_code: Some(lang.into()),
            is_admin: true,
            name: None,
        },
        now: at(now),
    }
}

fn group(is_admin: bool, now: &str) -> Incoming {
    Incoming {
        place: Place {
            chat_id: GROUP,
            kind: ChatKind::Supergroup,
            title: Some("g".into()),
            thread_id: None,
        },
        person: Person {
            user_id: Some(9),
            language_code: None,
            is_admin,
            name: None,
        },
        now: at(now),
    }
}

fn text(post: &studybot::post::Post) -> String {
    studybot::render::plain_text(post, false)
}

async fn say(engine: &Engine, incoming: &Incoming, line: &str) -> Vec<studybot::post::Post> {
    engine
        .handle(incoming, parse(line, Some("bot")))
        .await
        .posts
}

#[tokio::test]
async fn ask_answer_and_the_button_reveal_once() {
    let engine = engine().await;
    let me = private("zh", "2026-12-01T00:00:00Z");
    let asked = say(&engine, &me, "/ask").await;
    let PostKind::Question { question_id } = &asked[0].kind else {
        panic!("{asked:?}")
    };
    engine
        .sent(&me.place, &asked[0], MessageId(100), me.now)
        .await
        .unwrap();
    let Action::Reveal {
        question_id: button,
    } = &asked[0].buttons[0].action
    else {
        panic!("{:?}", asked[0].buttons)
    };
    assert_eq!(button, question_id);

    let pressed = engine
        .press(&me, Some(MessageId(100)), Some(&asked[0].buttons[0].action))
        .await;
    assert_eq!(pressed.posts.len(), 1);
    assert_eq!(pressed.posts[0].reply_to, Some(MessageId(100)));
    engine
        .sent(&me.place, &pressed.posts[0], MessageId(101), me.now)
        .await
        .unwrap();

    let again = engine
        .press(&me, Some(MessageId(100)), Some(&asked[0].buttons[0].action))
        .await;
    assert!(again.posts.is_empty() && again.toast.is_some());
    let answer = say(&engine, &me, "/answer").await;
    assert_eq!(answer[0].kind, PostKind::Notice);
    assert_eq!(
        answer[0].reply_to,
        Some(MessageId(101)),
        "points at the earlier reveal"
    );

    let gone = Action::Reveal {
        question_id: "no-such-question".into(),
    };
    let stale = engine.press(&me, Some(MessageId(100)), Some(&gone)).await;
    assert!(stale.posts.is_empty());
    assert_eq!(
        stale.toast.as_deref(),
        Some("这道题已不在题库中了。发送 /ask 获取新题目。")
    );
    // A button the adapter could not read (forged, or an older version).
    let forged = engine.press(&me, Some(MessageId(100)), None).await;
    assert!(forged.posts.is_empty());
    assert_eq!(
        forged.toast.as_deref(),
        Some("这个按钮已失效，请发送 /ask 获取新题目。")
    );
}

#[tokio::test]
async fn a_button_naming_another_question_reveals_nothing_and_keeps_the_reveal() {
    let engine = engine().await;
    let me = private("en", "2026-12-01T00:00:00Z");
    let asked = say(&engine, &me, "/ask").await;
    let PostKind::Question { question_id } = &asked[0].kind else {
        panic!("{asked:?}")
    };
    engine
        .sent(&me.place, &asked[0], MessageId(100), me.now)
        .await
        .unwrap();
    let other = ["training-challenges", "training-efficiency"]
        .into_iter()
        .find(|id| id != question_id)
        .unwrap();
    let forged = Action::Reveal {
        question_id: other.into(),
    };
    let pressed = engine.press(&me, Some(MessageId(100)), Some(&forged)).await;
    assert!(pressed.posts.is_empty(), "{:?}", pressed.posts);
    assert_eq!(
        pressed.toast.as_deref(),
        Some("This button has expired. Send /ask for a new question.")
    );
    let real = engine
        .press(&me, Some(MessageId(100)), Some(&asked[0].buttons[0].action))
        .await;
    assert_eq!(
        real.posts.len(),
        1,
        "the message's own reveal is still there"
    );
    assert_eq!(
        real.posts[0].kind,
        PostKind::Reveal {
            question_id: question_id.clone()
        }
    );
}

#[tokio::test]
async fn one_turn_answers_in_the_language_it_leaves_the_chat_in() {
    let engine = engine().await;
    let me = private("zh-hans", "2026-12-01T00:00:00Z");
    let reply = engine.handle(&me, parse("/help", None)).await;
    assert_eq!(reply.lang, Lang::Zh);
    let reply = engine.handle(&me, parse("/lang en", None)).await;
    assert_eq!((reply.lang, reply.posts.len()), (Lang::En, 1));
    assert!(
        text(&reply.posts[0]).contains("English"),
        "{}",
        text(&reply.posts[0])
    );
    let reply = engine.handle(&me, parse("hello", None)).await;
    assert_eq!((reply.lang, reply.posts.len()), (Lang::En, 0));
}

#[tokio::test]
async fn answer_by_id_and_unknown_ids_and_tags() {
    let engine = engine().await;
    let me = private("en", "2026-12-01T00:00:00Z");
    let bank = bank();
    let id = &bank.questions()[0].id;
    let revealed = say(&engine, &me, &format!("/answer {id}")).await;
    assert!(matches!(&revealed[0].kind, PostKind::Reveal { question_id } if question_id == id));
    let unknown = say(&engine, &me, "/answer nope").await;
    assert!(text(&unknown[0]).contains("nope"));
    let tag = say(&engine, &me, "/ask nope").await;
    assert!(text(&tag[0]).contains("training"));
    let usage = say(&engine, &me, "/ask a b").await;
    assert!(text(&usage[0]).contains("/ask [tag]"));
}

#[tokio::test]
async fn only_admins_change_a_groups_settings() {
    let (engine, store) = engine_and_store().await;
    let refused = say(
        &engine,
        &group(false, "2026-12-01T00:00:00Z"),
        "/daily 09:00",
    )
    .await;
    assert!(text(&refused[0]).contains("管理员"));
    assert!(store.plan(GROUP).await.unwrap().is_none());
    let refused = say(&engine, &group(false, "2026-12-01T00:00:00Z"), "/lang en").await;
    assert!(text(&refused[0]).contains("管理员"));
    // Reading settings is for everyone.
    let shown = say(&engine, &group(false, "2026-12-01T00:00:00Z"), "/settings").await;
    assert!(text(&shown[0]).contains("Asia/Shanghai"));
    say(
        &engine,
        &group(true, "2026-12-01T00:00:00Z"),
        "/daily 09:00 training",
    )
    .await;
    let plan = store.plan(GROUP).await.unwrap().unwrap();
    assert_eq!(
        (plan.plan.time, plan.plan.filter.tags_text()),
        (jiff::civil::time(9, 0, 0, 0), Some("training".to_string()))
    );
}

#[tokio::test]
async fn bad_plan_input_says_the_right_form() {
    let (engine, store) = engine_and_store().await;
    let admin = group(true, "2026-12-01T00:00:00Z");
    for (line, needle) in [
        ("/daily 25:00", "HH:MM"),
        ("/daily 09:00 Mars/Base", "Asia/Shanghai"),
        ("/daily 09:00 banana", "banana"),
        ("/reveal 09:00", "/daily"),
    ] {
        let reply = say(&engine, &admin, line).await;
        assert!(
            text(&reply[0]).contains(needle),
            "{line}: {}",
            text(&reply[0])
        );
    }
    say(&engine, &admin, "/daily 09:00").await;
    let reply = say(&engine, &admin, "/reveal 0m").await;
    assert!(text(&reply[0]).contains("1m"), "{}", text(&reply[0]));
    assert_eq!(
        store.plan(GROUP).await.unwrap().unwrap().plan.reveal,
        studybot::schedule::RevealRule::Off
    );
}

#[tokio::test]
async fn telegram_refuses_discords_thread_and_ping_in_the_chats_language() {
    let (engine, store) = engine_and_store().await;
    let admin = group(true, "2026-12-01T00:00:00Z");
    let reply = say(&engine, &admin, "/daily 09:00 thread:on").await;
    assert!(
        text(&reply[0]).contains("只在 Discord 上可用"),
        "{}",
        text(&reply[0])
    );
    say(&engine, &admin, "/lang en").await;
    let reply = say(&engine, &admin, "/daily 09:00 ping:<@&42>").await;
    assert!(
        text(&reply[0]).contains("Discord only"),
        "{}",
        text(&reply[0])
    );
    assert!(
        store.plan(GROUP).await.unwrap().is_none(),
        "no plan was set"
    );
}

#[tokio::test]
async fn the_daily_post_is_claimed_once_resumed_after_a_crash_and_wakes_the_scheduler() {
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank(), store.clone(), engine_config());
    let admin = group(true, "2026-12-01T00:50:00Z");
    say(&engine, &admin, "/daily 09:00").await;
    say(&engine, &admin, "/reveal 1h").await;

    let (work, next) = claim_due(&engine, at("2026-12-01T00:59:59Z")).await;
    assert!(work.is_empty());
    assert_eq!(next, Some(at("2026-12-01T01:00:00Z")));
    // Another platform's driver leaves a Telegram chat's post alone.
    let discord = engine.serving(Platform::Discord);
    let (theirs, _) = claim_due(&discord, at("2026-12-01T01:00:00Z")).await;
    assert!(theirs.is_empty(), "not Discord's to claim");
    let (work, _) = claim_due(&engine, at("2026-12-01T01:00:00Z")).await;
    assert_eq!(work.len(), 1);
    let (again, _) = claim_due(&engine, at("2026-12-01T01:00:01Z")).await;
    assert!(again.is_empty(), "claimed once");
    assert!(matches!(&work[0].post.blocks[0], Block::Heading(h) if h.contains("2026-12-01")));

    // The process dies here; a new engine on the same store resumes it.
    let restarted = Engine::new(bank(), store, engine_config());
    let resumed = restarted
        .unfinished_work(at("2026-12-01T01:00:30Z"))
        .await
        .unwrap();
    assert_eq!(resumed.len(), 1);
    assert_eq!(resumed[0].question_id, work[0].question_id);

    let mut plan_changes = restarted.plan_changes();
    restarted
        .work_sent(&resumed[0], MessageId(500), at("2026-12-01T01:00:31Z"))
        .await
        .unwrap();
    let woken = tokio::time::timeout(Duration::from_secs(1), plan_changes.heard()).await;
    assert!(
        woken.is_ok(),
        "recording a post wakes the scheduler for its reveal"
    );
    let (_, next) = claim_due(&restarted, at("2026-12-01T01:00:32Z")).await;
    assert_eq!(
        next,
        Some(at("2026-12-01T02:00:31Z")),
        "the reveal, an hour after the post"
    );
    let (reveal, _) = claim_due(&restarted, at("2026-12-01T02:00:31Z")).await;
    assert_eq!(reveal.len(), 1);
    assert_eq!(reveal[0].post.reply_to, Some(MessageId(500)));
}

#[tokio::test]
async fn a_private_chat_keeps_its_persons_language_for_daily_posts() {
    let engine = engine().await;
    let me = private("en-GB", "2026-12-01T00:50:00Z");
    say(&engine, &me, "/daily 09:00").await;
    let (work, _) = claim_due(&engine, at("2026-12-01T01:00:00Z")).await;
    assert!(
        text(&work[0].post).contains("Question of the day"),
        "{}",
        text(&work[0].post)
    );
}

#[tokio::test]
async fn a_kicked_chat_pauses_its_plan_and_a_migration_moves_it() {
    let (engine, store) = engine_and_store().await;
    say(
        &engine,
        &group(true, "2026-12-01T00:50:00Z"),
        "/daily 09:00",
    )
    .await;
    engine
        .chat_gone(GROUP, at("2026-12-01T00:51:00Z"))
        .await
        .unwrap();
    let (work, _) = claim_due(&engine, at("2026-12-01T01:00:00Z")).await;
    assert!(work.is_empty(), "no posts to a chat that kicked the bot");
    // Re-added: it writes again, and the plan runs.
    say(&engine, &group(false, "2026-12-01T01:00:10Z"), "/settings").await;
    let (work, _) = claim_due(&engine, at("2026-12-01T01:00:20Z")).await;
    assert_eq!(work.len(), 1);
    assert!(
        engine
            .chat_moved(
                GROUP,
                ChatId::telegram(-1_000_042),
                at("2026-12-01T02:00:00Z")
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .plan(ChatId::telegram(-1_000_042))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_hand_reveal_and_the_timed_reveal_never_both_go_out() {
    for hand_first in [true, false] {
        let engine = engine().await;
        let admin = group(true, "2026-12-01T00:50:00Z");
        say(&engine, &admin, "/daily 09:00").await;
        say(&engine, &admin, "/reveal 21:00").await;
        let (work, _) = claim_due(&engine, at("2026-12-01T01:00:00Z")).await;
        engine
            .work_sent(&work[0], MessageId(300), at("2026-12-01T01:00:01Z"))
            .await
            .unwrap();
        let evening = group(false, "2026-12-01T13:00:00Z");
        if hand_first {
            let answer = say(&engine, &evening, "/answer").await;
            assert!(matches!(answer[0].kind, PostKind::Reveal { .. }));
            let (timed, _) = claim_due(&engine, at("2026-12-01T13:00:00Z")).await;
            assert!(
                timed.is_empty(),
                "the timed reveal yields to the hand reveal"
            );
        } else {
            let (timed, _) = claim_due(&engine, at("2026-12-01T13:00:00Z")).await;
            assert_eq!(timed.len(), 1);
            let answer = say(&engine, &evening, "/answer").await;
            assert_eq!(
                answer[0].kind,
                PostKind::Notice,
                "the hand reveal yields to the timed one"
            );
            let button = Action::Reveal {
                question_id: work[0].question_id.clone(),
            };
            let pressed = engine
                .press(&evening, Some(MessageId(300)), Some(&button))
                .await;
            assert!(pressed.posts.is_empty() && pressed.toast.is_some());
        }
    }
}

#[tokio::test]
async fn pin_is_for_admins_on_telegram_and_discord_and_shown_in_settings() {
    let engine = engine().await;
    let now = "2026-03-02T02:00:00Z";
    let usage = say(&engine, &group(true, now), "/pin sometimes").await;
    assert!(
        text(&usage[0]).contains("/pin on|off"),
        "{}",
        text(&usage[0])
    );
    let refused = say(&engine, &group(false, now), "/pin on").await;
    assert!(
        text(&refused[0]).contains("管理员"),
        "{}",
        text(&refused[0])
    );
    say(&engine, &group(true, now), "/pin on").await;
    let settings = say(&engine, &group(false, now), "/settings").await;
    assert!(
        text(&settings[0]).contains("置顶：置顶每日一题"),
        "{}",
        text(&settings[0])
    );
    let mut discord = group(true, now);
    discord.place.chat_id = ChatId::new(Platform::Discord, 42);
    let settings = say(&engine, &discord, "/settings").await;
    assert!(
        text(&settings[0]).contains("置顶：不置顶"),
        "{}",
        text(&settings[0])
    );
    let on = say(&engine, &discord, "/pin on").await;
    assert!(
        text(&on[0]).contains("Pin Messages"),
        "Discord names its permission: {}",
        text(&on[0])
    );
    let settings = say(&engine, &discord, "/settings").await;
    assert!(
        text(&settings[0]).contains("置顶：置顶每日一题"),
        "{}",
        text(&settings[0])
    );
    let mut console = group(true, now);
    console.place.chat_id = ChatId::new(Platform::Console, 1);
    let here = say(&engine, &console, "/pin on").await;
    assert!(
        text(&here[0]).contains("这里没有置顶"),
        "{}",
        text(&here[0])
    );
}

#[tokio::test]
async fn one_person_opens_at_most_ten_report_prompts_a_day() {
    let engine = engine().await;
    let me = group(false, "2026-12-01T08:00:00Z");
    let report = Action::Report {
        question_id: "training-challenges".into(),
    };
    for n in 1..=10 {
        let pressed = engine.press(&me, Some(MessageId(100)), Some(&report)).await;
        assert_eq!(pressed.posts.len(), 1, "prompt {n}");
    }
    let capped = engine.press(&me, Some(MessageId(100)), Some(&report)).await;
    assert!(capped.posts.is_empty(), "{:?}", capped.posts);
    assert_eq!(
        capped.toast.as_deref(),
        Some("你今天已经打开了 10 次报告，请明天再报告。")
    );
    let tomorrow = group(false, "2026-12-02T08:00:00Z");
    let again = engine
        .press(&tomorrow, Some(MessageId(100)), Some(&report))
        .await;
    assert_eq!(again.posts.len(), 1, "a new day, a new allowance");
}
