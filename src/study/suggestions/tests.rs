//! The whole way of a suggestion through the engine, as any adapter drives
//! it: the group's `/suggest`, the private form, the moderators, the deck
//! file and `/ask`.

use std::sync::Arc;

use jiff::Timestamp;

use super::*;
use crate::domain::{ChatKind, MessageId};
use crate::post::{Post, PostKind};
use crate::study::{EngineConfig, Parsed, Person, Place, parse};

const GROUP: ChatId = ChatId::telegram(-1_001_234);
const OTHER_GROUP: ChatId = ChatId::telegram(-1_009_999);
const ANN: i64 = 11;
const MOD: i64 = 99;

struct World {
    engine: Engine,
    content: tempfile::TempDir,
    next_message: i64,
}

fn now() -> Timestamp {
    "2026-03-02T10:00:00Z".parse().unwrap()
}

fn incoming(chat: ChatId, person: i64, name: &str) -> Incoming {
    let kind = if chat.id < 0 {
        ChatKind::Supergroup
    } else {
        ChatKind::Private
    };
    Incoming {
        place: Place {
            chat_id: chat,
            kind,
            title: (chat.id < 0).then(|| format!("Group {}", chat.id)),
            thread_id: None,
        },
        person: Person {
            user_id: Some(person),
            language_code: Some("en".into()),
            name: Some(name.into()),
            is_admin: false,
        },
        now: now(),
    }
}

async fn world() -> World {
    let content = tempfile::tempdir().unwrap();
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/llm-startup.yaml");
    std::fs::copy(seed, content.path().join("llm-startup.yaml")).unwrap();
    let bank = Arc::new(crate::bank::Bank::load(content.path()).unwrap());
    let store = crate::store::Store::in_memory().await.unwrap();
    let config = EngineConfig {
        default_lang: Lang::En,
        ..EngineConfig::default()
    };
    let engine = Engine::new(bank, store, config)
        .with_report_admins(vec![MOD])
        .with_content(content.path().to_path_buf());
    World {
        engine,
        content,
        next_message: 100,
    }
}

impl World {
    /// Records each post as sent (as an adapter does) and returns it.
    async fn deliver(&mut self, chat: ChatId, posts: Vec<Post>) -> Vec<(MessageId, Post)> {
        let mut sent = Vec::new();
        for post in posts {
            self.next_message += 1;
            let id = MessageId(self.next_message);
            let place = incoming(chat, 0, "").place;
            self.engine.sent(&place, &post, id, now()).await.unwrap();
            sent.push((id, post));
        }
        sent
    }

    async fn say(&mut self, chat: ChatId, person: i64, text: &str) -> Vec<(MessageId, Post)> {
        let parsed: Parsed = parse(text, Some("StudyBot"));
        let reply = self
            .engine
            .handle(&incoming(chat, person, "Ann"), parsed)
            .await;
        self.deliver(chat, reply.posts).await
    }

    /// Replies `text` to the last prompt in `chat`.
    async fn answer(
        &mut self,
        chat: ChatId,
        person: i64,
        prompt: MessageId,
        text: &str,
    ) -> SuggestOutcome {
        let turn = incoming(chat, person, if person == MOD { "Mod" } else { "Ann" });
        let outcome = self
            .engine
            .suggestion_reply(&turn, prompt, text)
            .await
            .unwrap();
        outcome.expect("a reply to a prompt of this person")
    }

    async fn press(&mut self, chat: ChatId, person: i64, action: SuggestAction) -> SuggestOutcome {
        let turn = incoming(chat, person, if person == MOD { "Mod" } else { "Ann" });
        self.engine.press_suggestion(&turn, action).await.unwrap()
    }

    /// `/suggest` in the group, then the whole form in private; returns
    /// the posts for the moderators.
    async fn suggest(&mut self, question: &str) -> SuggestOutcome {
        let private = ChatId::telegram(ANN);
        let posts = self
            .say(private, ANN, &format!("/start {}", start_payload(GROUP.id)))
            .await;
        let mut prompt = last_prompt(&posts);
        for text in [question, "Because of **this**.", "/skip", "ml, Basics"] {
            let posts = if text.starts_with('/') {
                self.say(private, ANN, text).await
            } else {
                let outcome = self.answer(private, ANN, prompt, text).await;
                self.deliver(private, outcome.reply.posts).await
            };
            if let Some(next) = posts.iter().find(|(_, p)| is_prompt(p)) {
                prompt = next.0;
            }
        }
        self.press(private, ANN, SuggestAction::Send).await
    }
}

fn is_prompt(post: &Post) -> bool {
    matches!(post.kind, PostKind::SuggestPrompt { .. })
}

fn last_prompt(posts: &[(MessageId, Post)]) -> MessageId {
    posts
        .iter()
        .rev()
        .find(|(_, p)| is_prompt(p))
        .expect("a prompt")
        .0
}

fn words_of(post: &Post) -> String {
    format!("{:?}", post.blocks)
}

fn moderation_id(outcome: &SuggestOutcome) -> i64 {
    let post = &outcome.elsewhere[0].post;
    match post.buttons[0].action {
        Action::Suggestion(SuggestAction::Approve { id }) => id,
        ref other => panic!("not an approve button: {other:?}"),
    }
}

#[tokio::test]
async fn approved_questions_are_written_and_served_in_their_chat_only() {
    let mut world = world().await;
    world.say(GROUP, ANN, "/ask").await;
    world.say(OTHER_GROUP, ANN, "/ask").await;
    let open = world.say(GROUP, ANN, "/suggest").await;
    let button = &open[0].1.buttons[0].action;
    assert_eq!(
        button,
        &Action::Suggestion(SuggestAction::Open { chat_id: GROUP.id })
    );
    let sent = world
        .suggest("What makes a **community** deck different?")
        .await;
    assert!(words_of(&sent.reply.posts[0]).contains("Sent to the moderators"));
    assert_eq!(sent.elsewhere.len(), 1);
    assert_eq!(sent.elsewhere[0].chat, ChatId::telegram(MOD));
    let id = moderation_id(&sent);
    let refused = world
        .press(ChatId::telegram(ANN), ANN, SuggestAction::Approve { id })
        .await;
    assert_eq!(
        refused.reply.toast.as_deref(),
        Some("Only the moderators decide suggestions.")
    );
    let approved = world
        .press(ChatId::telegram(MOD), MOD, SuggestAction::Approve { id })
        .await;
    assert!(
        words_of(&approved.reply.posts[0]).contains("approved"),
        "{approved:?}"
    );
    assert_eq!(approved.elsewhere[0].chat, ChatId::telegram(ANN));
    assert_eq!(approved.elsewhere[0].tells, Some(id));
    let file = deck_file::deck_path(world.content.path(), GROUP);
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(yaml.contains("scope: telegram:-1001234"), "{yaml}");
    let question_id = deck_file::question_id(GROUP, id);
    let again = world
        .press(ChatId::telegram(MOD), MOD, SuggestAction::Reject { id })
        .await;
    assert_eq!(
        again.reply.toast.as_deref(),
        Some(&*format!("#{id} was already approved by Mod."))
    );
    let mut served_here = false;
    for _ in 0..20 {
        let asked = world.say(GROUP, ANN, "/ask community").await;
        served_here |=
            matches!(&asked[0].1.kind, PostKind::Question { question_id: q } if *q == question_id);
        let elsewhere = world
            .say(OTHER_GROUP, ANN, &format!("/answer {question_id}"))
            .await;
        assert!(
            words_of(&elsewhere[0].1).contains("There is no question"),
            "{elsewhere:?}"
        );
    }
    assert!(served_here, "/ask community in its group serves it");
}

#[tokio::test]
async fn a_rejection_carries_its_reason_and_duplicates_are_caught() {
    let mut world = world().await;
    world.say(GROUP, ANN, "/ask").await;
    let bank = world.engine.bank();
    let existing = bank.questions()[0].question.clone();
    let exact = world
        .suggest(&format!("  {}!!", existing.to_uppercase()))
        .await;
    assert!(
        words_of(&exact.reply.posts[0]).contains("in the deck already"),
        "{exact:?}"
    );
    assert!(exact.elsewhere.is_empty());
    let first = world
        .suggest("What is overfitting and how do you prevent it?")
        .await;
    let near = world
        .suggest("What is overfitting, and how can you prevent it?")
        .await;
    let shown = words_of(&near.elsewhere[0].post);
    assert!(
        shown.contains(&format!("#{}", moderation_id(&first))),
        "{shown}"
    );
    assert!(shown.contains("Close to a question"), "{shown}");
    let id = moderation_id(&near);
    let moderator = ChatId::telegram(MOD);
    let asked = world
        .press(moderator, MOD, SuggestAction::Reject { id })
        .await;
    let asked = world.deliver(moderator, asked.reply.posts).await;
    let told = world
        .answer(moderator, MOD, last_prompt(&asked), "A duplicate of #1.")
        .await;
    assert_eq!(told.elsewhere[0].chat, ChatId::telegram(ANN));
    assert!(words_of(&told.elsewhere[0].post).contains("Reason: A duplicate of #1."));
    let status = world
        .say(ChatId::telegram(ANN), ANN, "/suggest status")
        .await;
    assert!(
        words_of(&status[0].1).contains(&format!("#{id} rejected")),
        "{status:?}"
    );
}

#[tokio::test]
async fn a_moderator_corrects_a_suggestion_and_a_day_has_a_cap() {
    let mut world = world().await;
    world.say(GROUP, ANN, "/ask").await;
    let sent = world.suggest("Typo in teh question?").await;
    let id = moderation_id(&sent);
    let moderator = ChatId::telegram(MOD);
    let asked = world
        .press(moderator, MOD, SuggestAction::Edit { id })
        .await;
    assert!(words_of(&asked.reply.posts[0]).contains("Q: Typo in teh question?"));
    let asked = world.deliver(moderator, asked.reply.posts).await;
    let form = "Q: Typo in the question?\nA: Fixed.\nTags: ml";
    let done = world
        .answer(moderator, MOD, last_prompt(&asked), form)
        .await;
    assert!(
        words_of(&done.reply.posts[0]).contains("approved"),
        "{done:?}"
    );
    let question = world
        .engine
        .bank()
        .get(&deck_file::question_id(GROUP, id))
        .cloned();
    assert_eq!(question.unwrap().question, "Typo in the question?");
    for n in 1..PER_DAY {
        let sent = world
            .suggest(&format!(
                "Question number {n} about something else entirely"
            ))
            .await;
        assert_eq!(sent.elsewhere.len(), 1, "{n}: {sent:?}");
    }
    let capped = world
        .say(
            ChatId::telegram(ANN),
            ANN,
            &format!("/start {}", start_payload(GROUP.id)),
        )
        .await;
    assert!(
        words_of(&capped[0].1).contains("the most a day"),
        "{capped:?}"
    );
}

#[tokio::test]
async fn a_deck_file_that_cannot_take_the_question_leaves_it_pending() {
    let mut world = world().await;
    world.say(GROUP, ANN, "/ask").await;
    let file = deck_file::deck_path(world.content.path(), GROUP);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "deck: [hand-edited, unclosed").unwrap();
    let sent = world
        .suggest("Does a broken deck file lose my question?")
        .await;
    let id = moderation_id(&sent);
    let moderator = ChatId::telegram(MOD);
    let failed = world
        .press(moderator, MOD, SuggestAction::Approve { id })
        .await;
    let said = words_of(&failed.reply.posts[0]);
    assert!(said.contains("could not be written"), "{said}");
    assert!(
        failed.elsewhere.is_empty(),
        "the suggester hears nothing yet"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "deck: [hand-edited, unclosed"
    );
    std::fs::remove_file(&file).unwrap();
    let approved = world
        .press(moderator, MOD, SuggestAction::Approve { id })
        .await;
    assert!(
        words_of(&approved.reply.posts[0]).contains("approved"),
        "{approved:?}"
    );
}

#[test]
fn payloads_round_trip_within_telegrams_rules() {
    for id in [-1_001_234_567_890, 5, 0, i64::MIN, i64::MAX] {
        let payload = start_payload(id);
        assert!(payload.len() <= 64);
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        assert!(payload.bytes().all(allowed), "{payload}");
        assert_eq!(read_payload(&payload), Some(id));
    }
    for bad in [
        "suggest-",
        "suggest-m",
        "suggest--5",
        "suggest-1x",
        "review",
        "suggest-m99999999999999999999",
    ] {
        assert_eq!(read_payload(bad), None, "{bad}");
    }
}
