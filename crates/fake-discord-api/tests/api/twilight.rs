//! The fake as twilight 0.16 sees it: every answer must deserialize into twilight-model types,
//! every error must map to the API error a bot matches on, and a twilight shard must identify,
//! receive interactions and resume after a dropped connection.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use fake_discord_api::Config;
use serde_json::json;
use support::{commands, world};
use twilight_gateway::{ConfigBuilder, Event, EventTypeFlags, Intents, Shard, ShardId, StreamExt};
use twilight_http::Client;
use twilight_http::api_error::ApiError;
use twilight_http::error::ErrorType;
use twilight_model::application::command::Command;
use twilight_model::http::interaction::{InteractionResponse, InteractionResponseType};
use twilight_model::id::Id;

fn client(fake: &fake_discord_api::FakeDiscord) -> Client {
    let host = fake.api_url().trim_start_matches("http://").to_string();
    Client::builder()
        .token(fake.token().to_string())
        .proxy(host, true)
        .build()
}

/// The tests' commands as twilight models (which need a type and a version to deserialize).
fn twilight_commands() -> Vec<Command> {
    let mut list = commands();
    for command in list.as_array_mut().unwrap() {
        command["type"] = json!(1);
        command["version"] = json!("1");
    }
    serde_json::from_value(list).unwrap()
}

/// A custom button (with a `custom_id`) or a link button (with a URL), as twilight builds it.
fn button(
    custom_id: Option<&str>,
    url: Option<&str>,
) -> twilight_model::channel::message::Component {
    use twilight_model::channel::message::component::{Button, ButtonStyle};
    twilight_model::channel::message::Component::Button(Button {
        custom_id: custom_id.map(str::to_string),
        disabled: false,
        emoji: None,
        label: Some("Show answer".to_string()),
        style: if url.is_some() {
            ButtonStyle::Link
        } else {
            ButtonStyle::Primary
        },
        url: url.map(str::to_string),
        sku_id: None,
    })
}

fn api_code(error: &twilight_http::Error) -> Option<u64> {
    match error.kind() {
        ErrorType::Response {
            error: ApiError::General(general),
            ..
        } => Some(general.code),
        _ => None,
    }
}

#[tokio::test]
async fn rest_answers_deserialize_into_twilight_models() {
    let w = world(Config::default()).await;
    let http = client(&w.fake);
    let me = http.current_user().await.unwrap().model().await.unwrap();
    assert_eq!(me.id.get(), w.fake.application_id());
    let app = http
        .current_user_application()
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(app.id.get(), w.fake.application_id());
    let gateway = http
        .gateway()
        .authed()
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(gateway.url, w.fake.gateway_url());
    let list = twilight_commands();
    let interaction = http.interaction(app.id);
    let set = interaction
        .set_global_commands(&list)
        .await
        .unwrap()
        .models()
        .await
        .unwrap();
    assert_eq!(set.len(), 2);
    let sent = http
        .create_message(Id::new(w.channel))
        .content("@everyone Q1")
        .allowed_mentions(Some(&Default::default()))
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(sent.content, "@everyone Q1");
    assert!(w.fake.message(sent.id.get()).unwrap().pings.is_empty());
    let buttons = twilight_model::channel::message::Component::ActionRow(
        twilight_model::channel::message::component::ActionRow {
            components: vec![
                button(Some("v1:show:q1"), None),
                button(None, Some("https://example.org/docs")),
            ],
        },
    );
    let with_buttons = http
        .create_message(Id::new(w.channel))
        .content("Q2")
        .components(&[buttons])
        .await
        .unwrap();
    assert_eq!(with_buttons.model().await.unwrap().components.len(), 1);
    let reply = http
        .create_message(Id::new(w.channel))
        .content("A1")
        .reply(sent.id)
        .await
        .unwrap();
    assert_eq!(
        reply.model().await.unwrap().reference.unwrap().message_id,
        Some(sent.id)
    );
    let error = http
        .create_message(Id::new(w.channel))
        .content("")
        .await
        .unwrap_err();
    assert_eq!(api_code(&error), Some(50006));
    w.fake.set_channel_fault(
        w.channel,
        Some(fake_discord_api::ChannelFault::MissingAccess),
    );
    let error = http
        .create_message(Id::new(w.channel))
        .content("Q")
        .await
        .unwrap_err();
    assert_eq!(api_code(&error), Some(50001));
    assert_eq!(w.fake.rejected().len(), 1, "only the empty message");
}

#[tokio::test]
async fn twilights_rate_limiter_reads_the_headers_and_never_gets_a_429() {
    let w = world(Config::default()).await;
    let http = Arc::new(client(&w.fake));
    for i in 0..7 {
        http.create_message(Id::new(w.channel))
            .content(&format!("Q{i}"))
            .await
            .unwrap();
    }
    assert_eq!(w.fake.messages(w.channel).len(), 7);
    assert_eq!(w.fake.count_429(), 0);
}

async fn next_event(shard: &mut Shard) -> Event {
    loop {
        let item = tokio::time::timeout(
            Duration::from_secs(10),
            shard.next_event(EventTypeFlags::all()),
        )
        .await
        .expect("an event within 10 s")
        .expect("the shard is open");
        match item {
            Ok(
                Event::GatewayHello(_) | Event::GatewayHeartbeatAck | Event::GatewayHeartbeat(_),
            ) => {}
            Ok(event) => return event,
            Err(error) => panic!("the shard failed: {error}"),
        }
    }
}

#[tokio::test]
async fn a_twilight_shard_identifies_answers_interactions_and_resumes() {
    let w = world(Config::default()).await;
    let http = client(&w.fake);
    let list = twilight_commands();
    let app = Id::new(w.fake.application_id());
    http.interaction(app)
        .set_global_commands(&list)
        .await
        .unwrap();
    let config = ConfigBuilder::new(w.fake.token().to_string(), Intents::GUILDS)
        .proxy_url(w.fake.gateway_url())
        .build();
    let mut shard = Shard::with_config(ShardId::ONE, config);
    let event = next_event(&mut shard).await;
    let Event::Ready(ready) = event else {
        panic!("READY first, not {:?}", event.kind())
    };
    assert_eq!(ready.guilds.len(), 1);
    assert!(matches!(
        next_event(&mut shard).await,
        Event::GuildCreate(_)
    ));

    let ask = w
        .fake
        .slash(
            w.thread,
            w.member,
            "ask",
            json!([{ "name": "tag", "type": 3, "value": "rust" }]),
        )
        .unwrap();
    let Event::InteractionCreate(interaction) = next_event(&mut shard).await else {
        panic!("an interaction")
    };
    assert_eq!(interaction.id.get(), ask.id);
    assert!(
        interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some()
    );
    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(twilight_model::http::interaction::InteractionResponseData {
            content: Some("Q1".into()),
            ..Default::default()
        }),
    };
    let client = http.interaction(app);
    client
        .create_response(interaction.id, &interaction.token, &response)
        .await
        .unwrap();
    let error = client
        .create_response(interaction.id, &interaction.token, &response)
        .await
        .unwrap_err();
    assert_eq!(api_code(&error), Some(40060));
    let followup = client
        .create_followup(&interaction.token)
        .content("part 2")
        .await
        .unwrap();
    assert_eq!(followup.model().await.unwrap().content, "part 2");

    // A dropped connection: the shard resumes and gets what it missed.
    w.fake.drop_gateway();
    let missed = w.fake.slash(w.dm, w.member, "ask", json!([])).unwrap();
    loop {
        match next_event(&mut shard).await {
            Event::InteractionCreate(i) => {
                assert_eq!(i.id.get(), missed.id);
                break;
            }
            Event::Resumed | Event::GatewayClose(_) => {}
            other => panic!("unexpected {:?}", other.kind()),
        }
    }
    let counts = w.fake.gateway_counts();
    assert_eq!(
        (counts.identifies, counts.resumes, counts.connections),
        (1, 1, 2)
    );
    w.fake.remove_guild(w.guild);
    // Discord replays the missed events, then sends RESUMED.
    assert!(matches!(next_event(&mut shard).await, Event::Resumed));
    match next_event(&mut shard).await {
        Event::GuildDelete(deleted) => assert_ne!(deleted.unavailable, Some(true)),
        other => panic!("GUILD_DELETE, not {other:?}"),
    }
    let codes: Vec<_> = w.fake.rejected().iter().map(|r| r.code).collect();
    assert_eq!(codes, [Some(40060)], "only the second callback");
}

#[tokio::test]
async fn buttons_and_autocomplete_reach_twilight_and_reconnects_are_followed() {
    let w = world(Config::default()).await;
    let http = client(&w.fake);
    let app = Id::new(w.fake.application_id());
    http.interaction(app)
        .set_global_commands(&twilight_commands())
        .await
        .unwrap();
    let config = ConfigBuilder::new(w.fake.token().to_string(), Intents::GUILDS)
        .proxy_url(w.fake.gateway_url())
        .build();
    let mut shard = Shard::with_config(ShardId::ONE, config);
    assert!(matches!(next_event(&mut shard).await, Event::Ready(_)));
    assert!(matches!(
        next_event(&mut shard).await,
        Event::GuildCreate(_)
    ));

    let question = json!({ "content": "Q1", "components": [{ "type": 1, "components": [
        { "type": 2, "style": 1, "label": "Show answer", "custom_id": "v1:show:q1" }] }] });
    let message = w.fake.add_bot_message(w.channel, &question).unwrap();
    let press = w
        .fake
        .press(w.channel, w.member, message, "v1:show:q1")
        .unwrap();
    let Event::InteractionCreate(interaction) = next_event(&mut shard).await else {
        panic!("a button press")
    };
    assert_eq!(interaction.id.get(), press.id);
    assert_eq!(
        interaction.message.as_ref().map(|m| m.id.get()),
        Some(message)
    );
    let ephemeral = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(twilight_model::http::interaction::InteractionResponseData {
            content: Some("Already shown.".into()),
            flags: Some(twilight_model::channel::message::MessageFlags::EPHEMERAL),
            ..Default::default()
        }),
    };
    let client = http.interaction(app);
    client
        .create_response(interaction.id, &interaction.token, &ephemeral)
        .await
        .unwrap();
    let reply = w.fake.reply(&press).unwrap();
    assert!(w.fake.message(reply.original.unwrap()).unwrap().ephemeral);

    let typing = w
        .fake
        .autocomplete(
            w.channel,
            w.member,
            "ask",
            json!([{ "name": "tag", "type": 3, "value": "ru", "focused": true }]),
        )
        .unwrap();
    let Event::InteractionCreate(interaction) = next_event(&mut shard).await else {
        panic!("an autocomplete")
    };
    assert_eq!(interaction.id.get(), typing.id);
    let choices = InteractionResponse {
        kind: InteractionResponseType::ApplicationCommandAutocompleteResult,
        data: Some(twilight_model::http::interaction::InteractionResponseData {
            choices: Some(vec![
                twilight_model::application::command::CommandOptionChoice {
                    name: "rust".into(),
                    name_localizations: None,
                    value: twilight_model::application::command::CommandOptionChoiceValue::String(
                        "rust".into(),
                    ),
                },
            ]),
            ..Default::default()
        }),
    };
    client
        .create_response(interaction.id, &interaction.token, &choices)
        .await
        .unwrap();
    assert_eq!(w.fake.reply(&typing).unwrap().callback_type, Some(8));

    // RECONNECT: the shard resumes; INVALID_SESSION (not resumable): it identifies anew.
    w.fake.send_reconnect();
    assert!(matches!(
        next_event(&mut shard).await,
        Event::GatewayReconnect
    ));
    loop {
        if matches!(next_event(&mut shard).await, Event::Resumed) {
            break;
        }
    }
    w.fake.invalidate_sessions(false);
    loop {
        if let Event::Ready(_) = next_event(&mut shard).await {
            break;
        }
    }
    let counts = w.fake.gateway_counts();
    assert_eq!((counts.identifies, counts.resumes), (2, 1));
    assert!(w.fake.rejected().is_empty(), "{:?}", w.fake.rejected());
}

/// twilight's own rate limiter paces per-route buckets but not the global 50 requests per
/// second: a burst to many channels gets 429s (which twilight does not retry), so the
/// adapter must pace a fan-out itself. Paced at 45 per second, nothing is refused.
#[tokio::test]
async fn a_fan_out_must_be_paced_to_stay_within_the_global_limit() {
    let w = world(Config::default()).await;
    let channels: Vec<u64> = (0..120)
        .map(|i| w.fake.add_text_channel(w.guild, &format!("c{i}")))
        .collect();
    let http = Arc::new(client(&w.fake));
    let sends = channels[..80].iter().map(|&channel| {
        let http = Arc::clone(&http);
        tokio::spawn(async move {
            match http.create_message(Id::new(channel)).content("Q").await {
                Ok(_) => Ok(()),
                Err(error) => Err(Box::new(error.into_parts().0)),
            }
        })
    });
    let results = futures_util::future::join_all(sends).await;
    let outcomes: Vec<_> = results.into_iter().map(|r| r.expect("send task")).collect();
    let delivered = outcomes.iter().filter(|r| r.is_ok()).count();
    let refused = w.fake.count_429();
    assert!(refused > 0, "a burst of 80 within a second exceeds 50/s");
    assert_eq!(delivered + refused, 80);
    for error in outcomes.iter().filter_map(|r| r.as_ref().err()) {
        let ErrorType::Response {
            error: ApiError::Ratelimited(limited),
            status,
            ..
        } = error.as_ref()
        else {
            panic!("a 429 twilight understands, not {error:?}");
        };
        assert_eq!(status.get(), 429);
        assert!(limited.global && limited.retry_after > 0.0 && limited.retry_after <= 1.0);
    }
    assert_eq!(w.fake.all_messages().len(), delivered);

    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut pace = tokio::time::interval(Duration::from_millis(1000 / 45));
    for &channel in &channels[80..] {
        pace.tick().await;
        http.create_message(Id::new(channel))
            .content("Q")
            .await
            .expect("paced sends are accepted");
    }
    assert_eq!(w.fake.count_429(), refused);
}
