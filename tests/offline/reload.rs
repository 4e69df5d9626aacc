//! Hot reload of the bank, at the engine: what a good reload brings into
//! every chat's round, what a bad one leaves alone, and what becomes of
//! questions in flight that a reload took out of the bank.

use std::path::Path;

use crate::support::{claim_due, engine_config};
use jiff::Timestamp;
use studybot::bank::Bank;
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::post::{Action, Post, PostKind};
use studybot::reload::reload_now;
use studybot::store::{LedgerKind, LedgerState, Store};
use studybot::study::{Engine, Incoming, Person, Place, parse};

const GROUP: ChatId = ChatId::telegram(-77);

/// A deck holding one question per id, answered "answer to ID".
fn deck(ids: &[&str]) -> String {
    let mut yaml =
        String::from("deck: reload-test\ntitle: Reload test\nlanguage: en\nquestions:\n");
    for id in ids {
        yaml.push_str(&format!(
            "  - id: {id}\n    title: Title of {id}\n    question: What is {id}?\n    answer: answer to {id}\n"
        ));
    }
    yaml
}

fn write_deck(dir: &Path, ids: &[&str]) {
    std::fs::write(dir.join("deck.yaml"), deck(ids)).unwrap();
}

/// An engine on a bank of `ids` in a temp content dir, and its store.
async fn engine_on(ids: &[&str]) -> (Engine, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write_deck(dir.path(), ids);
    let bank = Bank::load(dir.path()).expect("the test deck loads");
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank.into(), store.clone(), engine_config());
    (engine, store, dir)
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn group(lang: Option<&str>, now: &str) -> Incoming {
    Incoming {
        place: Place {
            chat_id: GROUP,
            kind: ChatKind::Supergroup,
            title: Some("g".into()),
            thread_id: None,
        },
        person: Person {
            user_id: Some(9),
            language_code: lang.map(str::to_string),
            is_admin: true,
            name: Some("ann".into()),
        },
        now: at(now),
    }
}

fn text(post: &Post) -> String {
    studybot::render::plain_text(post, false)
}

async fn say(engine: &Engine, incoming: &Incoming, line: &str) -> Vec<Post> {
    engine
        .handle(incoming, parse(line, Some("bot")))
        .await
        .posts
}

/// `/ask` in the group, recorded as sent as `message`; the question's id.
async fn ask(engine: &Engine, incoming: &Incoming, message: i64) -> (String, Post) {
    let posts = say(engine, incoming, "/ask").await;
    let post = posts.into_iter().next().expect("a question");
    engine
        .sent(&incoming.place, &post, MessageId(message), incoming.now)
        .await
        .unwrap();
    let PostKind::Question { question_id } = &post.kind else {
        panic!("not a question: {post:?}");
    };
    (question_id.clone(), post)
}

#[tokio::test]
async fn a_new_question_joins_the_round_and_a_removed_one_is_never_picked_again() {
    let (engine, _store, dir) = engine_on(&["alpha", "beta"]).await;
    let chat = group(None, "2026-12-01T08:00:00Z");
    let (first, _) = ask(&engine, &chat, 100).await;
    let other = if first == "alpha" { "beta" } else { "alpha" };
    // The question not yet asked leaves, a new one comes.
    write_deck(dir.path(), &[&first, "gamma"]);
    let reloaded = reload_now(&engine, dir.path()).expect("a good bank");
    assert_eq!((reloaded.before, reloaded.after), (2, 2));
    assert_eq!(reloaded.added, ["gamma"]);
    assert_eq!(reloaded.removed, [other]);
    // Part-way through its round, the chat gets the new question next…
    let (second, post) = ask(&engine, &chat, 101).await;
    assert_eq!(second, "gamma");
    assert!(
        !text(&post).contains("new round") && !text(&post).contains("新一轮"),
        "still the first round: {}",
        text(&post)
    );
    // …and the round over the new bank never brings the removed one back.
    for message in 102..110 {
        let (id, _) = ask(&engine, &chat, message).await;
        assert_ne!(id, other, "a removed question was picked");
    }
}

#[tokio::test]
async fn a_question_removed_in_flight_gets_a_polite_answer_in_the_chats_language() {
    let (engine, _store, dir) = engine_on(&["alpha", "beta"]).await;
    let chat = group(None, "2026-12-01T08:00:00Z");
    say(&engine, &chat, "/lang en").await;
    let (asked, post) = ask(&engine, &chat, 100).await;
    let keep = if asked == "alpha" { "beta" } else { "alpha" };
    write_deck(dir.path(), &[keep]);
    reload_now(&engine, dir.path()).expect("a good bank");

    let pressed = engine
        .press(&chat, Some(MessageId(100)), Some(&post.buttons[0].action))
        .await;
    assert!(pressed.posts.is_empty());
    let polite = "This question is no longer in the bank.";
    assert!(pressed.toast.as_deref().unwrap().starts_with(polite));
    for line in ["/answer".to_string(), format!("/answer {asked}")] {
        let posts = say(&engine, &chat, &line).await;
        assert!(
            text(&posts[0]).starts_with(polite),
            "{line}: {}",
            text(&posts[0])
        );
    }
    // A rating button of its reveal is answered the same way, and records
    // nothing: a card for a question that is gone could never be reviewed.
    let rate = Action::Rate {
        question_id: asked.clone(),
        rating: studybot::learn::Rating::Good,
        in_review: false,
    };
    let rated = engine.press(&chat, Some(MessageId(101)), Some(&rate)).await;
    assert!(rated.toast.as_deref().unwrap().starts_with(polite));
    // In Chinese too.
    say(&engine, &chat, "/lang zh").await;
    let posts = say(&engine, &chat, "/answer").await;
    assert!(
        text(&posts[0]).starts_with("这道题已不在题库中了"),
        "{}",
        text(&posts[0])
    );
    // An id that never was in the bank is still "no such question".
    let posts = say(&engine, &chat, "/answer never-was").await;
    assert!(text(&posts[0]).contains("never-was"), "{}", text(&posts[0]));
}

#[tokio::test]
async fn a_bad_bank_is_refused_with_locations_and_the_old_one_serves_on() {
    let (engine, _store, dir) = engine_on(&["alpha"]).await;
    let chat = group(None, "2026-12-01T08:00:00Z");
    let (asked, post) = ask(&engine, &chat, 100).await;
    assert_eq!(asked, "alpha");
    // An unknown key and a duplicate id.
    let bad = deck(&["alpha", "alpha"]).replace("    answer: answer to alpha\n", "    answr: x\n");
    std::fs::write(dir.path().join("deck.yaml"), bad).unwrap();
    let errors = reload_now(&engine, dir.path()).expect_err("a bank with errors");
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.contains("deck.yaml:")
                && line
                    .split(':')
                    .nth(1)
                    .is_some_and(|l| l.parse::<usize>().is_ok()),
            "no file:line:col in {line}"
        );
    }
    assert_eq!(engine.bank_size(), (1, 1));
    // The button from before the edit still reveals, from the old bank.
    let pressed = engine
        .press(&chat, Some(MessageId(100)), Some(&post.buttons[0].action))
        .await;
    assert!(text(&pressed.posts[0]).contains("answer to alpha"));
    // A missing directory is refused the same way.
    let gone = dir.path().join("nowhere");
    assert!(reload_now(&engine, &gone).is_err());
    assert_eq!(
        engine.question_title("alpha").as_deref(),
        Some("Title of alpha")
    );
}

#[tokio::test]
async fn a_timed_reveal_of_a_removed_question_is_skipped_once_and_for_all() {
    let (engine, store, dir) = engine_on(&["alpha"]).await;
    let admin = group(None, "2026-12-01T00:00:00Z");
    say(&engine, &admin, "/daily 09:00 UTC").await;
    say(&engine, &admin, "/reveal 21:00").await;
    let (work, _) = claim_due(&engine, at("2026-12-01T09:00:00Z")).await;
    assert_eq!(work.len(), 1, "the day's question");
    engine
        .work_sent(&work[0], MessageId(100), at("2026-12-01T09:00:01Z"))
        .await
        .unwrap();
    write_deck(dir.path(), &["beta"]);
    reload_now(&engine, dir.path()).expect("a good bank");

    for now in ["2026-12-01T21:00:00Z", "2026-12-01T21:05:00Z"] {
        let (work, _) = claim_due(&engine, at(now)).await;
        assert!(work.is_empty(), "no reveal of a removed question: {work:?}");
    }
    let entry = store
        .entry(GROUP, jiff::civil::date(2026, 12, 1), LedgerKind::Reveal)
        .await
        .unwrap()
        .expect("the reveal is in the ledger");
    assert_eq!(entry.state, LedgerState::Skipped);
    assert!(
        engine
            .unfinished_work(at("2026-12-01T21:10:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
    // The next day's question comes from the new bank.
    let (work, _) = claim_due(&engine, at("2026-12-02T09:00:00Z")).await;
    assert_eq!(work[0].question_id, "beta");
}
