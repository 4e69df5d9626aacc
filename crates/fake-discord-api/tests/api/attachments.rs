//! Files with messages: raw `multipart/form-data` bodies (a `payload_json` part and binary
//! `files[n]` parts) and twilight-http's `.attachments(...)` on every message route, the
//! `attachments[]` entries, `attachment://` embed images, the 10 MiB limit and channels where
//! the bot may not attach files.

use crate::support;

use fake_discord_api::{Config, Outcome, permissions};
use serde_json::{Value, json};
use support::{bot, commands, world};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use twilight_http::Client;
use twilight_model::http::attachment::Attachment;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};
use twilight_model::id::Id;
use twilight_util::builder::embed::{EmbedBuilder, ImageSource};

/// Bytes that are not UTF-8 and hold a CR LF and dashes, as a PNG may.
const PICTURE: &[u8] = &[
    0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0xff, b'-', b'-', 0,
];

/// A form of `payload_json` and `(part name, filename, bytes)` files, sent with the bot token;
/// returns the status and the JSON answer.
async fn post_form(
    fake: &fake_discord_api::FakeDiscord,
    path: &str,
    payload: &Value,
    files: &[(&str, &str, &[u8])],
) -> (u16, Value) {
    let mut body = Vec::new();
    body.extend(b"--b0undary\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n");
    body.extend(b"Content-Type: application/json\r\n\r\n");
    body.extend(payload.to_string().as_bytes());
    for (name, filename, bytes) in files {
        let head = format!(
            "\r\n--b0undary\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
             Content-Type: image/png\r\n\r\n"
        );
        body.extend(head.as_bytes());
        body.extend(*bytes);
    }
    body.extend(b"\r\n--b0undary--\r\n");
    let addr = fake.rest_addr();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bot {}\r\n\
         Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        fake.token(),
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8(raw).unwrap();
    let (head, answer) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(answer).unwrap_or(Value::Null))
}

fn stats_embed() -> Value {
    json!([{ "image": { "url": "attachment://stats.png" } }])
}

#[tokio::test]
async fn a_raw_form_posts_the_file_bytes_and_an_embed_showing_it() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let payload = json!({ "content": "Your week", "embeds": stats_embed(),
        "attachments": [{ "id": 0, "filename": "stats.png" }] });
    let (status, answer) = post_form(
        &w.fake,
        &path,
        &payload,
        &[("files[0]", "upload.png", PICTURE)],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["attachments"][0]["filename"], "stats.png");
    let message = w.fake.messages(w.channel).pop().unwrap();
    assert_eq!(message.content, "Your week");
    assert_eq!(message.files.len(), 1);
    assert_eq!(
        message.files[0].filename, "stats.png",
        "renamed by its entry"
    );
    assert_eq!(message.files[0].bytes, PICTURE, "every byte as sent");
    assert!(message.broken_images.is_empty());
    let request = w.fake.requests().pop().unwrap();
    assert_eq!(
        request.body["content"], "Your week",
        "payload_json recorded"
    );
    assert_eq!(request.files[0].size, PICTURE.len());

    // An embed naming a file the message does not carry shows no picture.
    let wrong =
        json!({ "content": "x", "embeds": [{ "image": { "url": "attachment://other.png" } }] });
    let (status, _) = post_form(
        &w.fake,
        &path,
        &wrong,
        &[("files[0]", "stats.png", PICTURE)],
    )
    .await;
    assert_eq!(status, 200);
    let message = w.fake.messages(w.channel).pop().unwrap();
    assert_eq!(message.broken_images, ["attachment://other.png"]);
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
}

#[tokio::test]
async fn wrong_forms_too_much_and_no_attach_right_are_refused() {
    let w = world(Config::default()).await;
    // More posts than the channel's bucket allows at once; the limits have tests of their own.
    w.fake.set_rate_limits(false);
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let text = json!({ "content": "Your week" });
    // An entry naming no uploaded part.
    let stray = json!({ "content": "x", "attachments": [{ "id": 5, "filename": "a.png" }] });
    let (status, answer) =
        post_form(&w.fake, &path, &stray, &[("files[0]", "a.png", PICTURE)]).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(50035)));
    // A part other than payload_json and files[n], or a file without a filename.
    let (status, _) = post_form(&w.fake, &path, &text, &[("file", "a.png", PICTURE)]).await;
    assert_eq!(status, 400);
    // Over 10 MiB in all.
    let big = vec![0_u8; 6 << 20];
    let files = [
        ("files[0]", "a.png", &big[..]),
        ("files[1]", "b.png", &big[..]),
    ];
    let (status, answer) = post_form(&w.fake, &path, &text, &files).await;
    assert_eq!((status, answer["code"].clone()), (413, json!(40005)));
    // Eleven files.
    let names: Vec<String> = (0..11).map(|i| format!("files[{i}]")).collect();
    let eleven: Vec<_> = names
        .iter()
        .map(|n| (n.as_str(), "f.png", PICTURE))
        .collect();
    let (status, _) = post_form(&w.fake, &path, &text, &eleven).await;
    assert_eq!(status, 400);
    assert_eq!(w.fake.rejected().len(), 4);

    // Attach Files denied in the channel: a file is refused, the text alone goes.
    w.fake
        .deny_bot_permissions(w.channel, permissions::ATTACH_FILES);
    let (status, answer) =
        post_form(&w.fake, &path, &text, &[("files[0]", "a.png", PICTURE)]).await;
    assert_eq!((status, answer["code"].clone()), (403, json!(50013)));
    assert_eq!(w.fake.requests().pop().unwrap().outcome, Outcome::Refused);
    let plain = bot(&w.fake, "POST", &path, Some(&text)).await;
    assert_eq!(plain.status, 200);
    let (status, _) = post_form(&w.fake, &path, &text, &[]).await;
    assert_eq!(status, 200, "a form without files needs no Attach Files");
}

fn client(fake: &fake_discord_api::FakeDiscord) -> Client {
    let host = fake.api_url().trim_start_matches("http://").to_string();
    Client::builder()
        .token(fake.token().to_string())
        .proxy(host, true)
        .build()
}

fn picture() -> (Vec<Attachment>, twilight_model::channel::message::Embed) {
    let attachments = vec![Attachment::from_bytes(
        "stats.png".into(),
        PICTURE.to_vec(),
        0,
    )];
    let image = ImageSource::attachment("stats.png").unwrap();
    (attachments, EmbedBuilder::new().image(image).build())
}

#[tokio::test]
async fn twilight_attachments_go_on_every_message_route() {
    let w = world(Config::default()).await;
    let app = w.fake.application_id();
    let commands_path = format!("/api/v10/applications/{app}/commands");
    assert_eq!(
        bot(&w.fake, "PUT", &commands_path, Some(&commands()))
            .await
            .status,
        200
    );
    let http = client(&w.fake);
    let (attachments, embed) = picture();
    let embeds = [embed];

    let sent = http
        .create_message(Id::new(w.channel))
        .content("daily")
        .attachments(&attachments)
        .embeds(&embeds)
        .await
        .unwrap()
        .model()
        .await
        .unwrap();
    assert_eq!(sent.attachments[0].filename, "stats.png");

    // A type 4 reply with the file, then a follow-up with it.
    let ask = w.fake.slash(w.dm, w.member, "ask", json!([])).unwrap();
    let replies = http.interaction(Id::new(app));
    let data = InteractionResponseData {
        content: Some("stats".into()),
        attachments: Some(attachments.clone()),
        embeds: Some(embeds.to_vec()),
        ..Default::default()
    };
    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(data),
    };
    replies
        .create_response(Id::new(ask.id), &ask.token, &response)
        .await
        .unwrap();
    let followup = replies
        .create_followup(&ask.token)
        .content("more")
        .attachments(&attachments)
        .embeds(&embeds)
        .await
        .unwrap();
    assert_eq!(followup.model().await.unwrap().attachments.len(), 1);

    // Deferred (type 5), then the loading message filled with the file.
    let slow = w.fake.slash(w.channel, w.owner, "ask", json!([])).unwrap();
    let defer = InteractionResponse {
        kind: InteractionResponseType::DeferredChannelMessageWithSource,
        data: None,
    };
    replies
        .create_response(Id::new(slow.id), &slow.token, &defer)
        .await
        .unwrap();
    replies
        .update_response(&slow.token)
        .content(Some("late stats"))
        .attachments(&attachments)
        .embeds(Some(&embeds))
        .await
        .unwrap();

    let with_files: Vec<_> = w
        .fake
        .all_messages()
        .into_iter()
        .filter(|m| !m.files.is_empty())
        .collect();
    assert_eq!(with_files.len(), 4);
    for message in &with_files {
        assert_eq!(message.files[0].bytes, PICTURE);
        assert_eq!(message.embeds[0]["image"]["url"], "attachment://stats.png");
        assert!(message.broken_images.is_empty(), "{message:?}");
    }
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());

    // An interaction reply in a channel without Attach Files is refused too.
    w.fake
        .deny_bot_permissions(w.channel, permissions::ATTACH_FILES);
    let denied = w.fake.slash(w.channel, w.owner, "ask", json!([])).unwrap();
    let error = replies
        .create_response(Id::new(denied.id), &denied.token, &response)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("50013"), "{error}");
}
