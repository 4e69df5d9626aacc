//! Multiple-choice questions at the console: the choices are numbered
//! actions after "show answer"; a choice is noted (and may be changed)
//! without saying right or wrong, and the reveal names the right choice and
//! how the chat answered. Uses the example quiz deck in `content-quiz/`.

use std::sync::Arc;

use jiff::Timestamp;
use studybot::bank::Bank;
use studybot::console::{Seat, Session};
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig, Lang};

async fn session() -> (Session, Arc<Bank>) {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content-quiz");
    let bank = Arc::new(Bank::load(&content).expect("the example quiz deck loads"));
    let store = Store::in_memory().await.expect("in-memory store");
    let config = EngineConfig {
        default_lang: Lang::En,
        ..EngineConfig::default()
    };
    let engine = Engine::new(bank.clone(), store, config);
    let session = Session::start(engine, Seat::default(), false)
        .await
        .expect("session");
    (session, bank)
}

async fn type_lines(session: &mut Session, lines: &[&str]) -> String {
    let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let mut out = Vec::new();
    for line in lines {
        session.line(line, now, &mut out).await.unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn choices_are_numbered_actions_and_the_reveal_sums_them_up() {
    let (mut session, bank) = session().await;
    let asked = type_lines(&mut session, &["/ask"]).await;
    let question = bank
        .questions()
        .iter()
        .find(|q| asked.contains(&q.title))
        .expect("a question of the deck was asked");
    let quiz = question.quiz.as_ref().unwrap();
    assert!(asked.contains("[1] Show answer"), "{asked}");
    let first = format!("[2] A. {}", quiz.choices[0]);
    assert!(asked.contains(&first), "{asked}");
    let wrong = (quiz.correct + 1) % quiz.choices.len();
    let letter = |i: usize| char::from(b'A' + i as u8);

    let noted = type_lines(&mut session, &[&(wrong + 2).to_string()]).await;
    assert!(
        noted.contains(&format!("» Your answer: {}.", letter(wrong))),
        "{noted}"
    );
    assert!(!noted.contains("right answer") && !noted.contains("wrong"));
    let right = (quiz.correct + 2).to_string();
    let changed = type_lines(&mut session, &[&right]).await;
    assert!(
        changed.contains(&format!("» Changed to {}.", letter(quiz.correct))),
        "{changed}"
    );

    let revealed = type_lines(&mut session, &["1"]).await;
    let right_line = format!(
        "Right answer: {}. {}",
        letter(quiz.correct),
        quiz.choices[quiz.correct]
    );
    assert!(revealed.contains(&right_line), "{revealed}");
    let summary = format!("1 answered, 1 right; most chose {}", letter(quiz.correct));
    assert!(revealed.contains(&summary), "{revealed}");
    let late = type_lines(&mut session, &["2"]).await;
    assert!(late.contains("answers are closed"), "{late}");
}

#[test]
fn preview_shows_the_quiz_poll_after_the_question() {
    let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = crate::support::studybot(
        ["preview", "quiz-lora", "--content", "content-quiz"],
        manifest_dir,
    )
    .env("STUDYBOT_LANG", "en")
    .output()
    .expect("runs studybot");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("[quiz poll] When fine-tuning with LoRA, which weights are trained?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✓ C. Small low-rank matrices added beside frozen weights"),
        "{stdout}"
    );
    assert!(stdout.contains("explanation: The pretrained weights stay frozen."));
}

#[tokio::test]
async fn forget_deletes_ones_choices_too() {
    let (mut session, _) = session().await;
    let asked = type_lines(&mut session, &["/ask", "2", "/forget"]).await;
    assert!(asked.contains("» Your answer: A."), "{asked}");
    let last = asked.rfind("\n[").expect("the confirmation button");
    let number: String = asked[last + 2..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    type_lines(&mut session, &[&number]).await;
    let revealed = type_lines(&mut session, &["/answer"]).await;
    assert!(revealed.contains("No one answered."), "{revealed}");
}
