//! Learning that sticks, through the engine alone on a fixed clock: rating
//! a reveal, double taps, each person's cards in `/review`, streaks,
//! `/stats` (private and group, leaderboard order, `hide`) and `/forget`.

use crate::support::{bank, engine_config};
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::learn::Rating;
use studybot::post::{Action, Image, Post, PostKind};
use studybot::store::Store;
use studybot::study::{Engine, Incoming, Person, Place, Reply, parse};

const GROUP: ChatId = ChatId::telegram(-100);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn in_group(user: i64, name: &str, now: &str) -> Incoming {
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
            is_admin: true,
            name: Some(name.into()),
        },
        now: at(now),
    }
}

fn in_private(user: i64, now: &str) -> Incoming {
    let mut incoming = in_group(user, "x", now);
    incoming.place = Place {
        chat_id: ChatId::telegram(user),
        kind: ChatKind::Private,
        title: None,
        thread_id: None,
    };
    incoming
}

async fn engine() -> Engine {
    let store = Store::in_memory().await.unwrap();
    Engine::new(bank(), store, engine_config())
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

/// Asks a question in the group as message `base`, reveals it by
/// `/answer` as `base + 1`; returns the reveal and its message id.
async fn reveal_in_group(engine: &Engine, now: &str, base: i64) -> (Post, MessageId) {
    let someone = in_group(1, "Ann", now);
    let asked = say(engine, &someone, "/ask").await;
    engine
        .sent(&someone.place, &asked[0], MessageId(base), someone.now)
        .await
        .unwrap();
    let revealed = say(engine, &someone, "/answer").await;
    let id = MessageId(base + 1);
    engine
        .sent(&someone.place, &revealed[0], id, someone.now)
        .await
        .unwrap();
    (revealed[0].clone(), id)
}

fn rate_action(post: &Post, rating: Rating) -> Action {
    post.buttons
        .iter()
        .map(|b| b.action.clone())
        .find(|a| matches!(a, Action::Rate { rating: r, .. } if *r == rating))
        .unwrap_or_else(|| panic!("no {rating:?} button: {:?}", post.buttons))
}

async fn rate(engine: &Engine, who: &Incoming, post: &Post, id: MessageId, r: Rating) -> Reply {
    engine
        .press(who, Some(id), Some(&rate_action(post, r)))
        .await
}

#[tokio::test]
async fn every_reveal_carries_the_four_ratings_in_the_chats_language() {
    let engine = engine().await;
    let (reveal, _) = reveal_in_group(&engine, "2026-03-02T02:00:00Z", 10).await;
    assert!(matches!(reveal.kind, PostKind::Reveal { .. }));
    let labels: Vec<&str> = reveal.buttons.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["忘了", "模糊", "记得", "简单", "报告问题"]);
    let ann = in_group(1, "Ann", "2026-03-02T02:00:00Z");
    say(&engine, &ann, "/lang en").await;
    // A question other than the one just revealed (that one only points
    // to its reveal): the ask is random.
    let other = match &reveal.kind {
        PostKind::Reveal { question_id } if question_id == "overfitting" => "training-challenges",
        _ => "overfitting",
    };
    let en = say(&engine, &ann, &format!("/answer {other}")).await;
    let labels: Vec<&str> = en[0].buttons.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Again", "Hard", "Good", "Easy", "Report a problem"]
    );
}

#[tokio::test]
async fn a_rating_gives_an_interval_a_due_date_and_a_toast_and_a_double_tap_replaces_it() {
    let engine = engine().await;
    let now = "2026-03-02T02:00:00Z";
    let (reveal, id) = reveal_in_group(&engine, now, 10).await;
    let bob = in_group(2, "Bob", now);
    let good = rate(&engine, &bob, &reveal, id, Rating::Good).await;
    assert!(good.posts.is_empty(), "the group message is not touched");
    assert_eq!(good.toast.as_deref(), Some("记得，3 天后复习"));
    let hard = rate(&engine, &bob, &reveal, id, Rating::Hard).await;
    assert_eq!(hard.toast.as_deref(), Some("已改为模糊，2 天后复习"));
    let again = rate(&engine, &bob, &reveal, id, Rating::Easy).await;
    assert_eq!(again.toast.as_deref(), Some("已改为简单，15 天后复习"));
    // A double tap on the same rating confirms it, nothing more.
    let twice = rate(&engine, &bob, &reveal, id, Rating::Easy).await;
    assert_eq!(twice.toast.as_deref(), Some("简单，15 天后复习"));

    // One review, not three: due in 15 days, so nothing before.
    let private = in_private(2, "2026-03-16T02:00:00Z");
    let nothing = say(&engine, &private, "/review").await;
    assert!(
        text(&nothing[0]).contains("2026-03-17"),
        "{}",
        text(&nothing[0])
    );
    let stats = say(&engine, &private, "/stats").await;
    assert!(text(&stats[0]).contains("Cards: 1"), "{}", text(&stats[0]));
}

#[tokio::test]
async fn each_person_reviews_only_their_own_cards_when_due() {
    let engine = engine().await;
    let now = "2026-03-02T02:00:00Z";
    let (reveal, id) = reveal_in_group(&engine, now, 10).await;
    let question = match &reveal.kind {
        PostKind::Reveal { question_id } => question_id.clone(),
        other => panic!("{other:?}"),
    };
    rate(
        &engine,
        &in_group(2, "Bob", now),
        &reveal,
        id,
        Rating::Again,
    )
    .await;
    rate(&engine, &in_group(3, "Cy", now), &reveal, id, Rating::Easy).await;

    // Bob's card is due a day later; Cy's is not, and Dee has none.
    let later = "2026-03-03T03:00:00Z";
    let bob = say(&engine, &in_private(2, later), "/review").await;
    assert_eq!(bob[0].buttons.len(), 1, "{}", text(&bob[0]));
    let show = bob[0].buttons[0].action.clone();
    assert_eq!(
        show,
        Action::ShowCard {
            question_id: question.clone()
        }
    );
    let cy = say(&engine, &in_private(3, later), "/review").await;
    assert!(cy[0].buttons.is_empty() && text(&cy[0]).contains("Nothing due"));
    let dee = say(&engine, &in_private(4, later), "/review").await;
    assert!(text(&dee[0]).contains("no cards"), "{}", text(&dee[0]));

    // Show the answer, rate it: the next card (none) follows.
    let bob_here = in_private(2, later);
    let answer = engine
        .press(&bob_here, Some(MessageId(50)), Some(&show))
        .await;
    assert_eq!(answer.posts[0].buttons.len(), 4);
    let done = rate(
        &engine,
        &bob_here,
        &answer.posts[0],
        MessageId(51),
        Rating::Good,
    )
    .await;
    assert!(done.toast.is_some());
    assert!(
        text(&done.posts[0]).contains("last card due"),
        "{:?}",
        done.posts
    );
}

#[tokio::test]
async fn review_in_a_group_points_to_a_private_chat() {
    let engine = engine().await;
    let posts = say(
        &engine,
        &in_group(2, "Bob", "2026-03-02T02:00:00Z"),
        "/review",
    )
    .await;
    assert_eq!(posts[0].buttons[0].action, Action::OpenReview);
}

#[tokio::test]
async fn streaks_follow_the_persons_local_days_and_stats_stay_private() {
    let engine = engine().await;
    // 23:30 and 00:30 in Shanghai (the bot's zone): two local days.
    for (i, when) in ["2026-03-01T15:30:00Z", "2026-03-01T16:30:00Z"]
        .into_iter()
        .enumerate()
    {
        let who = in_private(2, when);
        let shown = engine
            .press(
                &who,
                Some(MessageId(60 + i as i64)),
                Some(&Action::ShowCard {
                    question_id: "overfitting".into(),
                }),
            )
            .await;
        rate(
            &engine,
            &who,
            &shown.posts[0],
            MessageId(70 + i as i64),
            Rating::Good,
        )
        .await;
    }
    let mine = say(&engine, &in_private(2, "2026-03-02T02:00:00Z"), "/stats").await;
    let mine = text(&mine[0]);
    assert!(mine.contains("Streak: 2 days (longest 2)"), "{mine}");
    // Sunday 23:30 was last week; the week starts on Monday, local time.
    assert!(mine.contains("Ratings this week: 1"), "{mine}");
    // Rated in private only: the group has nothing to show of it.
    say(
        &engine,
        &in_group(2, "Bob", "2026-03-02T02:00:00Z"),
        "/lang en",
    )
    .await;
    let group = say(
        &engine,
        &in_group(2, "Bob", "2026-03-02T02:00:00Z"),
        "/stats",
    )
    .await;
    assert!(text(&group[0]).contains("Nobody has rated here"));
}

#[tokio::test]
async fn the_group_leaderboard_orders_by_streak_then_ratings_and_hide_leaves_it() {
    let engine = engine().await;
    let day1 = "2026-03-02T02:00:00Z";
    say(&engine, &in_group(1, "Ann", day1), "/lang en").await;
    let (first, id1) = reveal_in_group(&engine, day1, 10).await;
    for (user, name, rating) in [(2, "Bob", Rating::Again), (3, "Cy", Rating::Good)] {
        rate(&engine, &in_group(user, name, day1), &first, id1, rating).await;
    }
    let day2 = "2026-03-03T02:00:00Z";
    let (second, second_id) = reveal_in_group(&engine, day2, 20).await;
    for (user, name) in [(3, "Cy"), (4, "Dee")] {
        rate(
            &engine,
            &in_group(user, name, day2),
            &second,
            second_id,
            Rating::Again,
        )
        .await;
    }
    let stats = say(&engine, &in_group(9, "Eve", day2), "/stats").await;
    let picture = stats[0]
        .picture
        .as_ref()
        .expect("group /stats has its picture");
    assert!(matches!(&picture.image, Image::Png { bytes, .. } if bytes.starts_with(b"\x89PNG")));
    // Four weeks a day each; the two days rated (2 and 2 ratings) last.
    assert_eq!(picture.trend.len(), 28);
    assert_eq!(picture.trend[26..], [2, 2]);
    let board = text(&stats[0]);
    let cy = board.find("Cy").unwrap();
    let dee = board.find("Dee").unwrap();
    let bob = board.find("Bob").unwrap();
    // Cy: a 2-day streak; Bob and Dee: 1 day and 1 rating each, by name.
    assert!(cy < bob && bob < dee, "{board}");
    assert!(board.contains("3 people rated 4 times"), "{board}");
    assert!(
        board.contains("Again"),
        "the hardest question is named: {board}"
    );

    say(&engine, &in_group(3, "Cy", day2), "/stats hide").await;
    let board = text(&say(&engine, &in_group(9, "Eve", day2), "/stats").await[0]);
    assert!(!board.contains("Cy"), "{board}");
    assert!(board.contains("3 people rated 4 times"), "{board}");
}

#[tokio::test]
async fn forget_asks_first_then_deletes_everything_about_the_person_only() {
    let engine = engine().await;
    let now = "2026-03-02T02:00:00Z";
    let (reveal, id) = reveal_in_group(&engine, now, 10).await;
    rate(&engine, &in_group(2, "Bob", now), &reveal, id, Rating::Good).await;
    rate(&engine, &in_group(3, "Cy", now), &reveal, id, Rating::Good).await;

    let in_group_forget = say(&engine, &in_group(2, "Bob", now), "/forget").await;
    assert!(in_group_forget[0].buttons.is_empty());
    let bob = in_private(2, now);
    let ask = say(&engine, &bob, "/forget").await;
    assert_eq!(ask[0].buttons[0].action, Action::Forget);
    let done = engine
        .press(&bob, Some(MessageId(5)), Some(&Action::Forget))
        .await;
    let said = text(&done.posts[0]);
    assert!(said.contains("1 ratings, 1 cards"), "{said}");
    let again = engine
        .press(&bob, Some(MessageId(5)), Some(&Action::Forget))
        .await;
    assert!(text(&again.posts[0]).contains("Nothing was stored"));
    let cy = say(&engine, &in_private(3, now), "/stats").await;
    assert!(text(&cy[0]).contains("Cards: 1"), "Cy keeps hers");
}

#[tokio::test]
async fn a_group_that_becomes_a_supergroup_keeps_its_ratings() {
    let engine = engine().await;
    let now = "2026-03-02T02:00:00Z";
    let (reveal, id) = reveal_in_group(&engine, now, 10).await;
    rate(&engine, &in_group(2, "Bob", now), &reveal, id, Rating::Good).await;
    let moved_to = ChatId::telegram(-200);
    assert!(engine.chat_moved(GROUP, moved_to, at(now)).await.unwrap());
    let mut there = in_group(2, "Bob", now);
    there.place.chat_id = moved_to;
    let board = text(&say(&engine, &there, "/stats").await[0]);
    assert!(board.contains("Bob"), "{board}");
}
