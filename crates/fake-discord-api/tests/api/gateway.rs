//! The gateway at the WebSocket level: Discord's handshake, sequence numbers, resuming, and
//! the close codes for what Discord refuses.

use crate::support;

use std::time::Duration;

use fake_discord_api::Config;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_websockets::{ClientBuilder, MaybeTlsStream, Message, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn connect(fake: &fake_discord_api::FakeDiscord, query: &str) -> Socket {
    let uri = format!("{}/?{query}", fake.gateway_url());
    let (socket, _) = ClientBuilder::new()
        .uri(&uri)
        .unwrap()
        .connect()
        .await
        .expect("connect");
    socket
}

/// The next frame: Ok(JSON) for text, Err(close code) for a close or an ended connection.
async fn next(socket: &mut Socket) -> Result<Value, u16> {
    let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .expect("a frame within 5 s");
    match message {
        Some(Ok(message)) => match (message.as_text(), message.as_close()) {
            (Some(text), _) => Ok(serde_json::from_str(text).unwrap()),
            (_, Some((code, _))) => Err(code.into()),
            _ => Err(0),
        },
        _ => Err(0),
    }
}

async fn send(socket: &mut Socket, frame: Value) {
    socket.send(Message::text(frame.to_string())).await.unwrap();
}

fn identify(token: &str, intents: u64) -> Value {
    json!({ "op": 2, "d": { "token": token, "intents": intents,
        "properties": { "os": "linux", "browser": "test", "device": "test" } } })
}

#[tokio::test]
async fn hello_identify_ready_then_guilds_in_sequence() {
    let w = support::world(Config::default()).await;
    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    let hello = next(&mut socket).await.unwrap();
    assert_eq!(
        (
            hello["op"].clone(),
            hello["d"]["heartbeat_interval"].clone()
        ),
        (json!(10), json!(41_250))
    );
    send(&mut socket, json!({ "op": 1, "d": null })).await;
    assert_eq!(next(&mut socket).await.unwrap()["op"], 11);
    send(&mut socket, identify(&format!("Bot {}", w.fake.token()), 1)).await;
    let ready = next(&mut socket).await.unwrap();
    assert_eq!(
        (ready["t"].clone(), ready["s"].clone()),
        (json!("READY"), json!(1))
    );
    assert_eq!(
        ready["d"]["resume_gateway_url"],
        json!(w.fake.gateway_url())
    );
    let guild = next(&mut socket).await.unwrap();
    assert_eq!(
        (guild["t"].clone(), guild["s"].clone()),
        (json!("GUILD_CREATE"), json!(2))
    );
    assert_eq!(guild["d"]["channels"][0]["name"], "general");
    send(&mut socket, identify(w.fake.token(), 1)).await;
    assert_eq!(next(&mut socket).await, Err(4005));
}

#[tokio::test]
async fn wrong_versions_tokens_intents_and_opcodes_close_with_discords_codes() {
    let w = support::world(Config::default()).await;
    assert_eq!(
        next(&mut connect(&w.fake, "v=9&encoding=json").await).await,
        Err(4012)
    );
    assert_eq!(
        next(&mut connect(&w.fake, "v=10&encoding=etf").await).await,
        Err(4002)
    );
    assert_eq!(
        next(&mut connect(&w.fake, "v=10&encoding=json&compress=zlib-stream").await).await,
        Err(4002)
    );
    let cases = [
        (identify("Bot nope", 1), 4004),
        (identify(w.fake.token(), 1 << 15), 4014),
        (identify(w.fake.token(), 1 << 40), 4013),
        (
            json!({ "op": 2, "d": { "token": w.fake.token(), "intents": 1 } }),
            4002,
        ),
        (json!({ "op": 42 }), 4001),
        (json!({ "op": 3, "d": {} }), 4003),
    ];
    for (frame, code) in cases {
        let mut socket = connect(&w.fake, "v=10&encoding=json").await;
        next(&mut socket).await.unwrap();
        send(&mut socket, frame.clone()).await;
        assert_eq!(next(&mut socket).await, Err(code), "{frame}");
    }
    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    next(&mut socket).await.unwrap();
    socket
        .send(Message::text("{not json".to_string()))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await, Err(4002));
}

#[tokio::test]
async fn resume_replays_what_was_missed_or_invalidates() {
    let w = support::world(Config::default()).await;
    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    next(&mut socket).await.unwrap();
    send(&mut socket, identify(w.fake.token(), 0)).await;
    let ready = next(&mut socket).await.unwrap();
    let session = ready["d"]["session_id"].as_str().unwrap().to_string();
    // Without the GUILDS intent: no GUILD_CREATE; the next dispatch is s = 2.
    w.fake.drop_gateway();
    assert_eq!(next(&mut socket).await, Err(0));
    let guild = w.fake.add_guild("Second", w.owner);
    w.fake.remove_guild(guild);
    let path = format!("/api/v10/applications/{}/commands", w.fake.application_id());
    support::bot(&w.fake, "PUT", &path, Some(&support::commands())).await;
    let ask = w.fake.slash(w.channel, w.member, "ask", json!([])).unwrap();

    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    next(&mut socket).await.unwrap();
    send(
        &mut socket,
        json!({ "op": 6, "d": { "token": w.fake.token(), "session_id": session, "seq": 1 } }),
    )
    .await;
    let missed = next(&mut socket).await.unwrap();
    assert_eq!(
        (missed["t"].clone(), missed["s"].clone()),
        (json!("INTERACTION_CREATE"), json!(2))
    );
    assert_eq!(missed["d"]["id"], json!(ask.id.to_string()));
    let resumed = next(&mut socket).await.unwrap();
    assert_eq!(
        (resumed["t"].clone(), resumed["s"].clone()),
        (json!("RESUMED"), json!(3))
    );

    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    next(&mut socket).await.unwrap();
    send(
        &mut socket,
        json!({ "op": 6, "d": { "token": w.fake.token(), "session_id": session, "seq": 99 } }),
    )
    .await;
    assert_eq!(next(&mut socket).await, Err(4007));
    let mut socket = connect(&w.fake, "v=10&encoding=json").await;
    next(&mut socket).await.unwrap();
    send(
        &mut socket,
        json!({ "op": 6, "d": { "token": w.fake.token(), "session_id": "gone", "seq": 1 } }),
    )
    .await;
    let invalid = next(&mut socket).await.unwrap();
    assert_eq!(
        (invalid["op"].clone(), invalid["d"].clone()),
        (json!(9), json!(false))
    );
}
