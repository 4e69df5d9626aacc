//! A server's moderation channel through the engine: only members who may
//! manage the server, in the desk of the suggestion's own server, decide.

use std::sync::Arc;

use jiff::Timestamp;

use super::desk::{DeskCommand, SuggestionForm};
use crate::domain::{ChatId, ChatKind, Platform};
use crate::store::SuggestionState;
use crate::study::{Engine, EngineConfig, Incoming, Lang, Person, Place};

const SERVER: i64 = 1;
const OTHER_SERVER: i64 = 2;
const GENERAL: ChatId = ChatId::new(Platform::Discord, 11);
const DESK: ChatId = ChatId::new(Platform::Discord, 10);
const OTHER_DESK: ChatId = ChatId::new(Platform::Discord, 20);

fn at(chat: ChatId, person: i64, admin: bool) -> Incoming {
    Incoming {
        place: Place {
            chat_id: chat,
            kind: ChatKind::Group,
            title: Some(format!("channel-{}", chat.id)),
            thread_id: None,
        },
        person: Person {
            user_id: Some(person),
            language_code: Some("en".into()),
            name: Some(format!("P{person}")),
            is_admin: admin,
        },
        now: "2026-03-02T10:00:00Z".parse::<Timestamp>().unwrap(),
    }
}

async fn engine(content: &std::path::Path) -> Engine {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/llm-startup.yaml");
    std::fs::copy(seed, content.join("llm-startup.yaml")).unwrap();
    let bank = Arc::new(crate::bank::Bank::load(content).unwrap());
    let store = crate::store::Store::in_memory().await.unwrap();
    let config = EngineConfig {
        default_lang: Lang::En,
        ..EngineConfig::default()
    };
    // Operator 99 moderates Telegram; it means nothing on Discord.
    Engine::new(bank, store, config)
        .with_report_admins(vec![99])
        .with_content(content.to_path_buf())
}

async fn name_desk(engine: &Engine, desk: ChatId, space: i64) {
    let words = vec!["here".to_string()];
    let named = engine
        .suggest_at_desk(&at(desk, 5, true), Some(space), &words)
        .await
        .unwrap();
    assert!(matches!(named, DeskCommand::Answer(r) if !r.posts.is_empty()));
}

#[tokio::test]
async fn only_managers_in_the_desk_of_the_suggestions_server_decide() {
    let content = tempfile::tempdir().unwrap();
    let engine = engine(content.path()).await;
    name_desk(&engine, DESK, SERVER).await;
    name_desk(&engine, OTHER_DESK, OTHER_SERVER).await;
    let form = SuggestionForm {
        question: "Why warm up the learning rate?".into(),
        answer: "Early steps are noisy.".into(),
        ..SuggestionForm::default()
    };
    let sent = engine
        .submit_suggestion(&at(GENERAL, 7, false), Some(SERVER), &form)
        .await
        .unwrap();
    assert_eq!(sent.elsewhere.len(), 1);
    assert_eq!(sent.elsewhere[0].chat, DESK, "posted in its server's desk");
    let refused = [
        at(OTHER_DESK, 5, true), // another server's desk
        at(DESK, 6, false),      // no Manage Server
        at(GENERAL, 5, true),    // not the desk
        at(DESK, 99, false),     // a Telegram operator's id
    ];
    for who in refused {
        let outcome = engine.approve_at_desk(&who, 1, None).await.unwrap();
        assert!(outcome.elsewhere.is_empty(), "{:?}", who.place.chat_id);
        assert!(outcome.reply.posts.is_empty() && outcome.reply.toast.is_some());
    }
    let pending = engine.store.suggestion(Platform::Discord, 1).await.unwrap();
    assert_eq!(pending.unwrap().state, SuggestionState::Pending);
    let approved = engine
        .approve_at_desk(&at(DESK, 5, true), 1, None)
        .await
        .unwrap();
    assert_eq!(
        approved.elsewhere[0].tells,
        Some(1),
        "the suggester is told"
    );
    assert_eq!(
        approved.elsewhere[0].chat,
        ChatId::new(Platform::Discord, 7)
    );
    let said = format!("{:?}", approved.reply.posts);
    assert!(
        said.contains("P5") && said.contains("community-discord-11-1"),
        "{said}"
    );
}

#[tokio::test]
async fn a_server_without_a_desk_takes_no_form() {
    let content = tempfile::tempdir().unwrap();
    let engine = engine(content.path()).await;
    let gate = engine
        .suggest_at_desk(&at(GENERAL, 7, false), Some(SERVER), &[])
        .await
        .unwrap();
    assert!(matches!(gate, DeskCommand::Answer(r) if r.toast.is_some()));
    let form = SuggestionForm {
        question: "Q?".into(),
        answer: "A.".into(),
        ..SuggestionForm::default()
    };
    let sent = engine
        .submit_suggestion(&at(GENERAL, 7, false), Some(SERVER), &form)
        .await
        .unwrap();
    assert!(sent.elsewhere.is_empty());
    let queue = engine.store.pending_suggestions(GENERAL).await.unwrap();
    assert!(queue.is_empty(), "nothing queued");
    // Outside a server (a DM) there is nothing to suggest for.
    let gate = engine
        .suggest_at_desk(&at(GENERAL, 7, true), None, &[])
        .await
        .unwrap();
    assert!(matches!(gate, DeskCommand::Answer(_)));
}

#[tokio::test]
async fn a_refused_form_says_to_open_the_form_again_not_to_reply_to_a_prompt() {
    let content = tempfile::tempdir().unwrap();
    let engine = engine(content.path()).await;
    name_desk(&engine, DESK, SERVER).await;
    let too_long = "x".repeat(crate::bank::rules::MAX_SUGGESTED_QUESTION_CHARS + 1);
    for form in [
        SuggestionForm {
            question: too_long,
            answer: "A.".into(),
            ..SuggestionForm::default()
        },
        SuggestionForm {
            question: "Q?".into(),
            answer: "A.".into(),
            tags: "a_b".into(),
            ..SuggestionForm::default()
        },
    ] {
        let sent = engine
            .submit_suggestion(&at(GENERAL, 7, false), Some(SERVER), &form)
            .await
            .unwrap();
        let said = sent.reply.toast.unwrap_or_default();
        assert!(said.contains("Open the form again"), "{said}");
        assert!(!said.contains("prompt"), "{said}");
    }
    let queue = engine.store.pending_suggestions(GENERAL).await.unwrap();
    assert!(queue.is_empty(), "nothing queued");
}
