//! Rating and `/review` at the console: the rating buttons are numbered
//! actions like any other, and a card comes back once it is due.

use std::sync::Arc;
use std::time::Duration;

use crate::support::PATIENCE;

use jiff::{SignedDuration, Timestamp};
use studybot::bank::Bank;
use studybot::console::{Dailies, Seat, Session};
use studybot::runtime::clock::Clock;
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig};

async fn session() -> Session {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let bank = Bank::load(&content).expect("the real content loads");
    let store = Store::in_memory().await.expect("in-memory store");
    let engine = Engine::new(Arc::new(bank), store, EngineConfig::default());
    Session::start(engine, Seat::default(), false)
        .await
        .expect("session")
}

/// Types `lines` at `now`; returns what was printed.
async fn type_at(session: &mut Session, now: Timestamp, lines: &[&str]) -> String {
    let mut out = Vec::new();
    for line in lines {
        session.line(line, now, &mut out).await.unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn ratings_are_numbered_actions_and_review_brings_the_card_back_when_due() {
    let mut session = session().await;
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let shown = type_at(&mut session, start, &["/ask", "1"]).await;
    assert!(
        shown.contains("[2] 忘了\n[3] 模糊\n[4] 记得\n[5] 简单\n[6] 报告问题"),
        "{shown}"
    );
    let rated = type_at(&mut session, start, &["4", "/review"]).await;
    assert!(rated.contains("» 记得，3 天后复习"), "{rated}");
    assert!(
        rated.contains("现在没有要复习的卡片；下次复习：2026-03-05"),
        "{rated}"
    );

    let later = start + SignedDuration::from_hours(73);
    let card = type_at(&mut session, later, &["/review"]).await;
    assert!(card.contains("复习（待复习 1 张）"), "{card}");
    assert!(card.contains("[7] 显示答案"), "{card}");
    let answer = type_at(&mut session, later, &["7"]).await;
    assert!(answer.contains("[10] 记得"), "{answer}");
    let done = type_at(&mut session, later, &["10"]).await;
    assert!(done.contains("» 记得，"), "{done}");
    assert!(done.contains("今天的复习完成了"), "{done}");
}

#[tokio::test]
async fn a_reminder_set_at_the_console_is_shown_there_when_a_card_is_due() {
    let mut session = session().await;
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    type_at(&mut session, start, &["/ask", "1", "2"]).await;
    let set = type_at(&mut session, start, &["/remind 10:00"]).await;
    assert!(set.contains("10:00（UTC）"), "{set}");
    // The one driver, on a clock moved to the next day's 10:00.
    let day2 = start + SignedDuration::from_hours(25);
    let clock = Clock::system();
    clock.set(day2);
    let mut dailies = Dailies::start(&mut session, clock.clone()).await;
    let job = tokio::time::timeout(PATIENCE, dailies.next())
        .await
        .expect("the reminder comes")
        .expect("a post");
    let mut out = Vec::new();
    job.show(&mut session, day2, &mut out).await.unwrap();
    let nudge = String::from_utf8(out).unwrap();
    assert!(nudge.contains("你有 1 张卡片到期了"), "{nudge}");
    assert!(nudge.contains("开始复习"), "{nudge}");
    clock.set(day2 + SignedDuration::from_secs(5));
    let again = tokio::time::timeout(Duration::from_millis(300), dailies.next()).await;
    assert!(again.is_err(), "once");
    dailies.stop();
}

#[tokio::test]
async fn stats_at_the_console_show_a_sparkline_and_write_the_picture() {
    let mut session = session().await;
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let before = type_at(&mut session, start, &["/stats"]).await;
    assert!(
        !before.contains(".png"),
        "no picture before any rating: {before}"
    );
    type_at(&mut session, start, &["/ask", "1", "4"]).await;
    let stats = type_at(&mut session, start, &["/stats"]).await;
    let line = stats
        .lines()
        .find(|l| l.ends_with(".png"))
        .unwrap_or_else(|| panic!("a picture line: {stats}"));
    let (spark, path) = line.split_once("  ").unwrap();
    assert_eq!(spark.chars().count(), 28, "four weeks a day each: {spark}");
    assert!(
        spark.ends_with('█'),
        "today's rating is the highest: {spark}"
    );
    let png = std::fs::read(path).expect("the picture was written");
    assert!(png.starts_with(b"\x89PNG"), "{path}");
    let _ = std::fs::remove_file(path);
}
