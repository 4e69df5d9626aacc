//! Reminders, weekly digests and the person's own zone, through the engine
//! alone on a fixed clock: a reminder fires once on a day with cards due,
//! never on a day without, stops with `off` or a 403, and follows the
//! person's zone; a digest goes out once a week, once across a restart,
//! and stops with `off`; a streak counts local days in the person's zone.
//! Where the adapter opens the person's private chat itself (a Discord DM),
//! `/remind` in a channel stores the reminder in that chat and answers the
//! person alone.

use crate::support::{bank, claim_due, engine_config};
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind, MessageId, PersonId, Platform};
use studybot::learn::Rating;
use studybot::post::{Action, Image, Post};
use studybot::store::{LedgerKind, Store};
use studybot::study::{DueKind, DueWork, Engine, Incoming, Person, Place, PrivateChat, parse};

const GROUP: ChatId = ChatId::telegram(-100);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn in_group(user: i64, now: &str, admin: bool) -> Incoming {
    Incoming {
        place: Place {
            chat_id: GROUP,
            kind: ChatKind::Supergroup,
            title: Some("study".into()),
            thread_id: None,
        },
        person: Person {
            user_id: Some(user),
            language_code: Some("en".into()),
            is_admin: admin,
            name: Some(format!("P{user}")),
        },
        now: at(now),
    }
}

fn in_private(user: i64, now: &str) -> Incoming {
    let mut incoming = in_group(user, now, false);
    incoming.place = Place {
        chat_id: ChatId::telegram(user),
        kind: ChatKind::Private,
        title: None,
        thread_id: None,
    };
    incoming
}

fn text(post: &Post) -> String {
    studybot::render::plain_text(post, false)
}

async fn say(engine: &Engine, incoming: &Incoming, line: &str) -> String {
    let reply = engine.handle(incoming, parse(line, Some("bot"))).await;
    let mut said: Vec<String> = reply.posts.iter().map(text).collect();
    said.extend(reply.toast);
    said.join("\n")
}

/// An engine whose group speaks English, with one question revealed at
/// `now` and rated by `user` with `rating` (Again: due a day later).
async fn rated(now: &str, ratings: &[(i64, Rating)]) -> (Engine, Store) {
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank(), store.clone(), engine_config());
    let ann = in_group(1, now, true);
    say(&engine, &ann, "/lang en").await;
    let asked = engine.handle(&ann, parse("/ask", None)).await.posts;
    engine
        .sent(&ann.place, &asked[0], MessageId(10), ann.now)
        .await
        .unwrap();
    let reveal = engine.handle(&ann, parse("/answer", None)).await.posts;
    engine
        .sent(&ann.place, &reveal[0], MessageId(11), ann.now)
        .await
        .unwrap();
    for &(user, rating) in ratings {
        let button = reveal[0]
            .buttons
            .iter()
            .find(|b| matches!(b.action, Action::Rate { rating: r, .. } if r == rating))
            .unwrap();
        engine
            .press(
                &in_group(user, now, false),
                Some(MessageId(11)),
                Some(&button.action),
            )
            .await;
    }
    (engine, store)
}

async fn due(engine: &Engine, now: &str) -> Vec<DueWork> {
    claim_due(engine, at(now)).await.0
}

async fn send_all(engine: &Engine, work: &[DueWork], now: &str) {
    for (i, item) in work.iter().enumerate() {
        engine
            .work_sent(item, MessageId(500 + i as i64), at(now))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_reminder_fires_once_on_a_day_with_cards_due_in_the_persons_zone() {
    // Bob rates Again on Monday 02:00Z: his card is due about a day later.
    let (engine, _) = rated("2026-03-02T02:00:00Z", &[(2, Rating::Again)]).await;
    let bob = in_private(2, "2026-03-02T02:00:00Z");
    let set = say(&engine, &bob, "/remind 09:00 Europe/London").await;
    assert!(set.contains("09:00 (Europe/London)"), "{set}");
    let settings = say(&engine, &bob, "/settings").await;
    assert!(
        settings.contains("Review reminder: 09:00 (Europe/London)"),
        "{settings}"
    );
    assert!(due(&engine, "2026-03-02T02:00:01Z").await.is_empty());
    assert_eq!(
        engine.next_due().await.unwrap(),
        Some(at("2026-03-02T09:00:00Z")),
        "09:00 in London, not in the bot's Shanghai"
    );
    // Monday 09:00 London: nothing due yet, so no nudge that day.
    assert!(due(&engine, "2026-03-02T09:00:00Z").await.is_empty());
    assert!(due(&engine, "2026-03-02T10:00:00Z").await.is_empty());
    // Tuesday 09:00 London: the card is due; one nudge, once.
    let work = due(&engine, "2026-03-03T09:00:00Z").await;
    assert_eq!(work.len(), 1, "{work:?}");
    assert_eq!(work[0].kind, DueKind::Remind);
    assert_eq!(work[0].place.chat_id, ChatId::telegram(2));
    let nudge = text(&work[0].post);
    assert!(
        nudge.contains("1 card due") && nudge.contains("/review"),
        "{nudge}"
    );
    assert_eq!(work[0].post.buttons[0].action, Action::StartReview);
    assert!(due(&engine, "2026-03-03T09:00:30Z").await.is_empty());
    // A restart before it was sent hands it out again, once.
    let again = engine
        .unfinished_work(at("2026-03-03T09:01:00Z"))
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    send_all(&engine, &again, "2026-03-03T09:01:00Z").await;
    assert!(
        engine
            .unfinished_work(at("2026-03-03T09:02:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(due(&engine, "2026-03-03T12:00:00Z").await.is_empty());
    // The button starts the review right there.
    let pressed = engine
        .press(
            &in_private(2, "2026-03-03T09:05:00Z"),
            Some(MessageId(500)),
            Some(&Action::StartReview),
        )
        .await;
    assert!(
        text(&pressed.posts[0]).contains("1 card due"),
        "{:?}",
        pressed.posts
    );
    // Still not reviewed on Wednesday: one more nudge that day.
    assert_eq!(due(&engine, "2026-03-04T09:00:00Z").await.len(), 1);
    // Off: no more.
    let off = say(
        &engine,
        &in_private(2, "2026-03-04T10:00:00Z"),
        "/remind off",
    )
    .await;
    assert!(off.contains("off"), "{off}");
    assert!(due(&engine, "2026-03-05T09:00:00Z").await.is_empty());
    let shown = say(&engine, &in_private(2, "2026-03-05T10:00:00Z"), "/remind").await;
    assert!(
        shown.contains("Reminder: off. Your zone: Europe/London"),
        "{shown}"
    );
}

#[tokio::test]
async fn no_nudge_without_due_cards_and_a_refused_one_turns_the_reminder_off() {
    // Cy rated Easy: nothing due for days. Dee rated Again.
    let (engine, _) = rated(
        "2026-03-02T02:00:00Z",
        &[(3, Rating::Easy), (4, Rating::Again)],
    )
    .await;
    for user in [3, 4] {
        say(
            &engine,
            &in_private(user, "2026-03-02T02:00:00Z"),
            "/remind 20:00",
        )
        .await;
    }
    // 20:00 Shanghai (the default zone) on Tuesday is 12:00Z.
    let work = due(&engine, "2026-03-03T12:00:00Z").await;
    let chats: Vec<ChatId> = work.iter().map(|w| w.place.chat_id).collect();
    assert_eq!(chats, [ChatId::telegram(4)], "only Dee has a card due");
    // Telegram answers 403 (Dee blocked the bot): her reminder is off.
    engine
        .work_gone(&work[0], at("2026-03-03T12:00:01Z"))
        .await
        .unwrap();
    assert!(due(&engine, "2026-03-04T12:00:00Z").await.is_empty());
    let shown = say(&engine, &in_private(4, "2026-03-05T10:00:00Z"), "/remind").await;
    assert!(shown.contains("Reminder: off"), "{shown}");
    // In a group, /remind points to the private chat; bad input is explained.
    let group = engine
        .handle(
            &in_group(3, "2026-03-05T10:00:00Z", false),
            parse("/remind 20:00", None),
        )
        .await;
    assert_eq!(group.posts[0].buttons[0].action, Action::OpenReview);
    let bad = say(
        &engine,
        &in_private(3, "2026-03-05T10:00:00Z"),
        "/remind 25:00",
    )
    .await;
    assert!(bad.contains("not a time") && bad.contains("Usage"), "{bad}");
    let bad = say(
        &engine,
        &in_private(3, "2026-03-05T10:00:00Z"),
        "/remind 20:00 Mars/Base",
    )
    .await;
    assert!(bad.contains("Unknown time zone"), "{bad}");
}

#[tokio::test]
async fn a_streak_counts_midnight_in_the_persons_own_zone() {
    // 23:30 and 00:30 in New York: two local days there, one in Shanghai.
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank(), store, engine_config());
    for (i, when) in ["2026-03-02T04:30:00Z", "2026-03-02T05:30:00Z"]
        .iter()
        .enumerate()
    {
        let bob = in_private(2, when);
        let card = Action::ShowCard {
            question_id: "overfitting".into(),
        };
        let shown = engine
            .press(&bob, Some(MessageId(60 + i as i64)), Some(&card))
            .await;
        let good = shown.posts[0]
            .buttons
            .iter()
            .find(|b| {
                matches!(
                    b.action,
                    Action::Rate {
                        rating: Rating::Good,
                        ..
                    }
                )
            })
            .unwrap();
        engine
            .press(&bob, Some(MessageId(70 + i as i64)), Some(&good.action))
            .await;
    }
    let later = in_private(2, "2026-03-02T12:00:00Z");
    let before = say(&engine, &later, "/stats").await;
    assert!(before.contains("Streak: 1 day"), "{before}");
    let set = say(&engine, &later, "/remind zone America/New_York").await;
    assert!(set.contains("America/New_York"), "{set}");
    let after = say(&engine, &later, "/stats").await;
    assert!(after.contains("Streak: 2 days"), "{after}");
    // The zone is the person's: /forget deletes it with the rest.
    engine
        .press(&later, Some(MessageId(80)), Some(&Action::Forget))
        .await;
    let gone = say(&engine, &later, "/remind").await;
    assert!(gone.contains("Your zone: Asia/Shanghai"), "{gone}");
}

#[tokio::test]
async fn forget_deletes_the_reminder_and_its_record() {
    let (engine, store) = rated("2026-03-02T02:00:00Z", &[(2, Rating::Again)]).await;
    let bob = in_private(2, "2026-03-02T02:00:00Z");
    say(&engine, &bob, "/remind 10:00").await;
    // Tuesday 10:00 Shanghai: a nudge, recorded in the ledger.
    let work = due(&engine, "2026-03-03T02:00:00Z").await;
    send_all(&engine, &work, "2026-03-03T02:00:01Z").await;
    let chat = ChatId::telegram(2);
    assert!(
        store
            .latest_entry(chat, LedgerKind::Remind)
            .await
            .unwrap()
            .is_some()
    );
    let bob = in_private(2, "2026-03-03T03:00:00Z");
    let done = engine
        .press(&bob, Some(MessageId(5)), Some(&Action::Forget))
        .await;
    assert!(text(&done.posts[0]).contains("Deleted"), "{:?}", done.posts);
    assert!(
        store
            .latest_entry(chat, LedgerKind::Remind)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        due(&engine, "2026-03-04T02:00:00Z").await.is_empty(),
        "no reminder left"
    );
}

#[tokio::test]
async fn a_digest_goes_out_once_a_week_across_a_restart_and_stops_with_off() {
    let (engine, store) = rated(
        "2026-03-02T02:00:00Z",
        &[(2, Rating::Again), (3, Rating::Good)],
    )
    .await;
    let refused = say(
        &engine,
        &in_group(2, "2026-03-03T02:00:00Z", false),
        "/digest wed 09:00",
    )
    .await;
    assert!(refused.contains("administrators"), "{refused}");
    let private = say(
        &engine,
        &in_private(1, "2026-03-03T02:00:00Z"),
        "/digest wed 09:00",
    )
    .await;
    assert!(private.contains("for groups"), "{private}");
    let bad = say(
        &engine,
        &in_group(1, "2026-03-03T02:00:00Z", true),
        "/digest someday 09:00",
    )
    .await;
    assert!(bad.contains("not a day of the week"), "{bad}");
    let set = say(
        &engine,
        &in_group(1, "2026-03-03T02:00:00Z", true),
        "/digest wed 09:00",
    )
    .await;
    assert!(
        set.contains("Weekly digest: every Wednesday at 09:00"),
        "{set}"
    );
    // Wednesday 09:00 Shanghai is 01:00Z.
    assert!(due(&engine, "2026-03-04T00:59:59Z").await.is_empty());
    let work = due(&engine, "2026-03-04T01:00:00Z").await;
    assert_eq!(work.len(), 1);
    assert_eq!(
        (work[0].kind, work[0].place.chat_id),
        (DueKind::Digest, GROUP)
    );
    let picture = work[0]
        .post
        .picture
        .as_ref()
        .expect("the digest has its picture");
    assert!(matches!(&picture.image, Image::Png { bytes, .. } if bytes.starts_with(b"\x89PNG")));
    let digest = text(&work[0].post);
    for part in [
        "Our week",
        "2 people rated 2 times",
        "P2",
        "P3",
        "Again",
        "/review",
    ] {
        assert!(digest.contains(part), "{part} missing: {digest}");
    }
    send_all(&engine, &work, "2026-03-04T01:00:01Z").await;
    // A restart: the week's digest is done and not posted again.
    let restarted = Engine::new(bank(), store.clone(), engine_config());
    assert!(
        restarted
            .unfinished_work(at("2026-03-04T01:00:05Z"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(due(&restarted, "2026-03-04T01:00:05Z").await.is_empty());
    assert!(due(&restarted, "2026-03-10T01:00:00Z").await.is_empty());
    // A week later, once more; nothing was rated that week.
    let next = due(&restarted, "2026-03-11T01:00:00Z").await;
    assert_eq!(next.len(), 1);
    assert!(
        text(&next[0].post).contains("No one rated"),
        "{}",
        text(&next[0].post)
    );
    send_all(&restarted, &next, "2026-03-11T01:00:01Z").await;
    say(
        &restarted,
        &in_group(1, "2026-03-11T02:00:00Z", true),
        "/digest off",
    )
    .await;
    assert!(due(&restarted, "2026-03-18T01:00:00Z").await.is_empty());
    let settings = say(
        &restarted,
        &in_group(1, "2026-03-18T02:00:00Z", false),
        "/settings",
    )
    .await;
    assert!(!settings.contains("Weekly digest"), "{settings}");
}

#[tokio::test]
async fn a_discord_reminder_set_in_a_channel_goes_to_the_dm_the_adapter_opened() {
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank(), store.clone(), engine_config());
    let channel = ChatId::discord(500).unwrap();
    let dm = ChatId::discord(900).unwrap();
    let mut eve = in_group(77, "2026-03-02T02:00:00Z", false);
    eve.place.chat_id = channel;
    eve.place.kind = ChatKind::Group;
    let remind = |private, line: &str| {
        let eve = eve.clone();
        let parsed = parse(line, None);
        let engine = engine.clone();
        async move { engine.handle_reaching(&eve, parsed, private).await }
    };
    let failed = remind(Some(PrivateChat::Unavailable), "/remind 20:00").await;
    assert!(failed.posts.is_empty(), "a note for Eve alone");
    let note = failed.toast.unwrap();
    assert!(note.contains("暂时无法和你开启私信"), "{note}");
    let person = PersonId::new(Platform::Discord, 77);
    assert!(
        store.reminder(person).await.unwrap().is_none(),
        "nothing set"
    );

    let set = remind(Some(PrivateChat::Opened(dm)), "/remind 20:00 UTC").await;
    assert!(set.posts.is_empty(), "nothing posted in the channel");
    let note = set.toast.unwrap();
    assert!(note.contains("20:00（UTC）私聊提醒你"), "{note}");
    let reminder = store.reminder(person).await.unwrap().unwrap();
    assert_eq!(reminder.chat_id, dm, "the DM, never the channel");
    let known = store.chat(dm).await.unwrap().expect("the DM is known");
    assert_eq!((known.kind, known.active), (ChatKind::Private, true));
    assert_eq!(
        known.language,
        Some(studybot::domain::Lang::En),
        "Eve's, not the channel's"
    );
    // The DM is known and active: the driver works the reminder out.
    assert!(due(&engine, "2026-03-02T02:00:01Z").await.is_empty());
    assert_eq!(
        engine.next_due().await.unwrap(),
        Some(at("2026-03-02T20:00:00Z")),
        "the driver looks at it at 20:00"
    );
    let off = remind(Some(PrivateChat::Opened(dm)), "/remind off").await;
    assert!(off.toast.unwrap().contains("复习提醒已关闭"));
    assert!(store.reminder(person).await.unwrap().is_none());
}
