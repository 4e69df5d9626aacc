//! The ways an answer's message carries a picture, against the strict
//! fake Discord: filling a deferred reply (`@original`) and a follow-up
//! upload it; a channel without Attach Files gets the text alone, once
//! noted. (The `/stats` answered directly and the digest are tested end to
//! end in `tests/discord/pictures.rs`.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fake_discord_api::{Config, FakeDiscord, Invocation, Message, permissions};
use serde_json::json;
use twilight_model::application::interaction::Interaction;
use twilight_model::http::interaction::{InteractionResponse, InteractionResponseType};
use twilight_model::id::Id;

use super::{Via, send};
use crate::bank::Bank;
use crate::discord::parts::Part;
use crate::discord::picture::Image;
use crate::discord::{App, Connection, admission, client, register_commands};
use crate::domain::ChatId;
use crate::post::{Block, Picture, Post};
use crate::runtime::clock::Clock;
use crate::store::Store;
use crate::study::{Engine, EngineConfig};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-not-really-";

async fn app(fake: &FakeDiscord) -> App {
    let connection = Connection {
        token: fake.token().to_string(),
        api_url: Some(fake.api_url()),
        gateway_url: None,
        guild_id: None,
    };
    let http = Arc::new(client(&connection).unwrap());
    let application_id = Id::new(fake.application_id());
    register_commands(&http, application_id, None)
        .await
        .unwrap();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let bank = Arc::new(Bank::load(&content).unwrap());
    let store = Store::in_memory().await.unwrap();
    let engine = Engine::new(bank, store, EngineConfig::default());
    let clock = Clock::system();
    App {
        outbox: crate::discord::send::Outbox::new(http.clone(), engine.clone(), clock.clone()),
        engine,
        clock,
        http,
        replies: client(&connection).unwrap(),
        application_id,
        admission: admission::Admission::default(),
        guilds: Mutex::new(HashMap::new()),
    }
}

/// The interaction the fake dispatched for `invocation`, as twilight reads it.
fn interaction(fake: &FakeDiscord, invocation: &Invocation) -> Interaction {
    let (_, data) = fake
        .dispatched()
        .into_iter()
        .find(|(event, data)| {
            event == "INTERACTION_CREATE" && data["id"] == json!(invocation.id.to_string())
        })
        .expect("dispatched");
    serde_json::from_value(data).expect("twilight reads it")
}

fn part_with_picture() -> Part {
    let picture = Picture {
        image: crate::post::Image::Png {
            bytes: Arc::from(PNG),
            width: 2,
            height: 1,
        },
        trend: Vec::new(),
    };
    let post = Post::notice(vec![Block::Text("week".into())]).with_picture(Some(picture));
    Part {
        content: "Your week".into(),
        components: Vec::new(),
        image: Image::of(&post),
    }
}

fn has_picture(message: &Message) -> bool {
    message.files.len() == 1
        && message.files[0].bytes == PNG
        && message.embeds[0]["image"]["url"] == "attachment://stats.png"
        && message.broken_images.is_empty()
}

#[tokio::test]
async fn a_deferred_reply_and_a_follow_up_upload_the_picture() {
    let fake = FakeDiscord::start(Config::default()).await.unwrap();
    let ann = fake.add_user("Ann", "en-US");
    let dm = fake.add_dm(ann);
    let app = app(&fake).await;
    let invocation = fake.slash(dm, ann, "stats", json!([])).unwrap();
    let interaction = interaction(&fake, &invocation);
    let defer = InteractionResponse {
        kind: InteractionResponseType::DeferredChannelMessageWithSource,
        data: None,
    };
    let replies = app.replies();
    replies
        .create_response(interaction.id, &interaction.token, &defer)
        .await
        .unwrap();
    let chat = ChatId::discord(dm).unwrap();
    let part = part_with_picture();
    let via = (&interaction, chat);
    send(&app, via, &part, false, Via::EditOriginal)
        .await
        .unwrap();
    send(&app, via, &part, false, Via::FollowUp).await.unwrap();
    let reply = fake.reply(&invocation).unwrap();
    let original = fake.message(reply.original.unwrap()).unwrap();
    assert!(has_picture(&original), "{original:?}");
    assert_eq!(original.content, "Your week");
    let followup = fake.message(reply.followups[0]).unwrap();
    assert!(has_picture(&followup), "{followup:?}");
    assert!(fake.rejected().is_empty(), "{:#?}", fake.rejected());
}

#[tokio::test]
async fn without_attach_files_an_answer_goes_as_text_and_is_noted() {
    let fake = FakeDiscord::start(Config::default()).await.unwrap();
    let ann = fake.add_user("Ann", "en-US");
    let guild = fake.add_guild("Study", ann);
    let channel = fake.add_text_channel(guild, "general");
    fake.deny_bot_permissions(channel, permissions::ATTACH_FILES);
    let app = app(&fake).await;
    let invocation = fake.slash(channel, ann, "stats", json!([])).unwrap();
    let interaction = interaction(&fake, &invocation);
    let chat = ChatId::discord(channel).unwrap();
    let part = part_with_picture();
    let via = (&interaction, chat);
    send(&app, via, &part, false, Via::Respond).await.unwrap();
    send(&app, via, &part, false, Via::FollowUp).await.unwrap();
    let reply = fake.reply(&invocation).unwrap();
    assert_eq!(reply.callback_type, Some(4));
    for id in reply.original.into_iter().chain(reply.followups) {
        let message = fake.message(id).unwrap();
        assert_eq!(message.content, "Your week");
        assert!(message.files.is_empty() && message.embeds.is_empty());
    }
    let refused = fake
        .requests()
        .iter()
        .filter(|r| r.code == Some(50013))
        .count();
    assert_eq!(refused, 2, "each tried once with the picture");
    assert!(!app.outbox.text_only().note(chat), "already noted");
}
