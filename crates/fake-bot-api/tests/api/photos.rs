//! `sendPhoto` over raw multipart HTTP and through teloxide: what Telegram accepts arrives
//! byte for byte with its caption; what it refuses is refused with its wording.

use crate::common;

use common::{form, png, post_form};
use fake_bot_api::{ChatSpec, Config, FakeBotApi, Limits, Outcome, PhotoSource, Window};
use serde_json::Value;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{InputFile, MessageId, ParseMode, ReplyParameters, ThreadId};
use teloxide::{ApiError, RequestError};

const GROUP: i64 = -4_001;
const FORUM: i64 = -1_000_000_000_777;

/// Extra form fields, the file part "f1" if any, and how the answer's description starts.
type Case = (
    Vec<(&'static str, &'static str)>,
    Option<Vec<u8>>,
    &'static str,
);

async fn send(
    fake: &FakeBotApi,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (u16, Value) {
    let path = format!("/bot{}/sendPhoto", fake.token());
    post_form(fake.addr(), &path, &form(fields, files))
        .await
        .expect("an answer")
}

fn description(answer: &(u16, Value)) -> &str {
    answer.1["description"].as_str().unwrap_or("")
}

#[tokio::test]
async fn an_uploaded_png_arrives_with_its_caption_and_entities() {
    let fake = common::start(Config::default()).await;
    let picture = png(640, 360);
    let answer = send(
        &fake,
        &[
            ("chat_id", "42"),
            ("photo", "attach://f1"),
            ("caption", "<b>统计</b> 7 &lt; 8"),
            ("parse_mode", "HTML"),
            ("disable_notification", "true"),
        ],
        &[("f1", "stats.png", &picture)],
    )
    .await;
    assert_eq!(answer.0, 200, "{answer:?}");
    let message = &answer.1["result"];
    assert_eq!(message["caption"], "统计 7 < 8");
    assert_eq!(message["caption_entities"][0]["type"], "bold");
    assert_eq!(message["caption_entities"][0]["length"], 2);
    let sizes = message["photo"].as_array().unwrap();
    assert_eq!(sizes.last().unwrap()["width"], 640);
    assert_eq!(sizes.last().unwrap()["height"], 360);
    let sent = &fake.sent_photos()[0];
    assert_eq!(sent.bytes, picture);
    assert_eq!((sent.chat_id, sent.width, sent.height), (42, 640, 360));
    assert_eq!(sent.caption.as_deref(), Some("<b>统计</b> 7 &lt; 8"));
    assert!(sent.disable_notification);
    assert!(
        matches!(&sent.source, PhotoSource::Upload { filename, .. } if filename == "stats.png")
    );
    // A photo has no text to edit (its caption is another method's).
    let edit = common::call(
        &fake,
        "editMessageText",
        serde_json::json!({ "chat_id": 42, "message_id": message["message_id"], "text": "x" }),
    )
    .await
    .expect("an answer");
    assert_eq!(
        (edit.0, edit.1["description"].as_str()),
        (
            400,
            Some("Bad Request: there is no text in the message to edit")
        )
    );
    // The file_id the fake gave the photo sends it again, with the same size.
    let again = send(&fake, &[("chat_id", "42"), ("photo", &sent.file_id)], &[]).await;
    assert_eq!(again.0, 200, "{again:?}");
    assert_eq!(fake.sent_photos()[1].width, 640);
    assert_eq!(fake.rejected().len(), 1, "the edit");
}

#[tokio::test]
async fn what_telegram_refuses_is_refused_and_nothing_is_stored() {
    let fake = common::start(Config::default()).await;
    let gif = b"GIF89a\x01\x00".to_vec();
    let attach = ("photo", "attach://f1");
    let cases: Vec<Case> = vec![
        (
            vec![],
            None,
            "Bad Request: there is no photo in the request",
        ),
        (
            vec![("photo", "attach://nope")],
            Some(png(10, 10)),
            "Bad Request: there is no photo in the request",
        ),
        (
            vec![("photo", "AgACAgIAAxk")],
            None,
            "Bad Request: wrong file identifier/HTTP URL specified",
        ),
        (
            vec![attach],
            Some(Vec::new()),
            "Bad Request: file must be non-empty",
        ),
        (vec![attach], Some(gif), "Bad Request: IMAGE_PROCESS_FAILED"),
        (
            vec![attach],
            Some(png(9000, 1001)),
            "Bad Request: PHOTO_INVALID_DIMENSIONS",
        ),
        (
            vec![attach],
            Some(png(30, 2000)),
            "Bad Request: PHOTO_INVALID_DIMENSIONS",
        ),
        (
            vec![attach, ("caption", "a<br>b"), ("parse_mode", "HTML")],
            Some(png(10, 10)),
            "Bad Request: can't parse entities: ",
        ),
    ];
    for (extra, file, expected) in cases {
        let fields = [[("chat_id", "42")].as_slice(), &extra].concat();
        let files: Vec<(&str, &str, &[u8])> = file
            .iter()
            .map(|bytes| ("f1", "p.png", bytes.as_slice()))
            .collect();
        let answer = send(&fake, &fields, &files).await;
        assert_eq!(answer.0, 400, "{fields:?}: {answer:?}");
        assert!(
            description(&answer).starts_with(expected),
            "{fields:?}: {answer:?}"
        );
    }
    let long = "字".repeat(1025);
    let answer = send(
        &fake,
        &[
            ("chat_id", "42"),
            ("photo", "attach://f1"),
            ("caption", &long),
        ],
        &[("f1", "p.png", &png(10, 10))],
    )
    .await;
    assert_eq!(
        description(&answer),
        "Bad Request: message caption is too long"
    );
    let fits = "字".repeat(1024);
    let answer = send(
        &fake,
        &[
            ("chat_id", "42"),
            ("photo", "attach://f1"),
            ("caption", &fits),
        ],
        &[("f1", "p.png", &png(10, 10))],
    )
    .await;
    assert_eq!(answer.0, 200, "{answer:?}");
    assert_eq!(fake.sent_photos().len(), 1);
}

#[tokio::test]
async fn a_photo_over_ten_megabytes_is_refused() {
    let fake = common::start(Config::default()).await;
    let mut big = png(100, 100);
    big.resize(10 * 1024 * 1024 + 1, 0);
    let answer = send(&fake, &[("chat_id", "42")], &[("photo", "big.png", &big)]).await;
    assert_eq!(answer.0, 400);
    assert_eq!(description(&answer), "Bad Request: PHOTO_SAVE_FILE_INVALID");
    assert!(fake.sent_photos().is_empty());
}

#[tokio::test]
async fn a_group_that_forbids_photos_says_so_and_it_is_not_the_bots_mistake() {
    let fake = common::start(Config::default()).await;
    fake.add_chat(ChatSpec::group(GROUP, "No media").without_photos());
    let group = GROUP.to_string();
    let answer = send(
        &fake,
        &[("chat_id", &group)],
        &[("photo", "p.png", &png(10, 10))],
    )
    .await;
    assert_eq!(answer.0, 400);
    assert_eq!(
        description(&answer),
        "Bad Request: not enough rights to send photos to the chat"
    );
    assert!(fake.rejected().is_empty());
    assert_eq!(fake.denied().len(), 1);
    assert_eq!(fake.requests()[0].outcome, Outcome::Denied);
    assert!(fake.sent_photos().is_empty());
}

#[tokio::test]
async fn a_photo_counts_against_the_rate_limits() {
    let limits = Limits {
        per_chat: Window {
            max: 1,
            span: Duration::from_secs(60),
        },
        ..Limits::default()
    };
    let fake = common::start(Config {
        rate_limits: true,
        limits,
        ..Config::default()
    })
    .await;
    let first = send(
        &fake,
        &[("chat_id", "42")],
        &[("photo", "p.png", &png(10, 10))],
    )
    .await;
    assert_eq!(first.0, 200);
    let second = send(
        &fake,
        &[("chat_id", "42")],
        &[("photo", "p.png", &png(10, 10))],
    )
    .await;
    assert_eq!(second.0, 429);
    assert_eq!(fake.sent_photos().len(), 1);
}

#[tokio::test]
async fn teloxide_uploads_from_memory_into_a_topic_with_a_reply_and_a_url_photo() {
    let fake = common::start(Config::default()).await;
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.add_topic(FORUM, 12);
    let asked = fake.push_message(FORUM, None, "/stats", Some(12));
    let url = url::Url::parse(&fake.api_url()).unwrap();
    let bot = Bot::new(fake.token()).set_api_url(url);
    let picture = png(600, 300);
    let sent = bot
        .send_photo(
            ChatId(FORUM),
            InputFile::memory(picture.clone()).file_name("stats.png"),
        )
        .caption("<b>Stats</b> of the week")
        .parse_mode(ParseMode::Html)
        .message_thread_id(ThreadId(MessageId(12)))
        .reply_parameters(ReplyParameters::new(MessageId(asked)))
        .await
        .expect("sendPhoto");
    assert_eq!(sent.caption(), Some("Stats of the week"));
    assert_eq!(
        sent.photo().map(|sizes| sizes.last().unwrap().width),
        Some(600)
    );
    let record = &fake.sent_photos()[0];
    assert_eq!(record.bytes, picture);
    assert_eq!((record.thread_id, record.reply_to), (Some(12), Some(asked)));
    assert!(
        matches!(&record.source, PhotoSource::Upload { filename, .. } if filename == "stats.png")
    );

    let by_url = url::Url::parse("https://example.com/chart.png").unwrap();
    bot.send_photo(ChatId(42), InputFile::url(by_url))
        .await
        .expect("a URL photo");
    assert_eq!(
        fake.sent_photos()[1].source,
        PhotoSource::Url("https://example.com/chart.png".into())
    );

    fake.add_chat(ChatSpec::group(GROUP, "No media").without_photos());
    let refused = bot
        .send_photo(
            ChatId(GROUP),
            InputFile::memory(png(10, 10)).file_name("a.png"),
        )
        .await
        .unwrap_err();
    let RequestError::Api(ApiError::Unknown(text)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        text,
        "Bad Request: not enough rights to send photos to the chat"
    );
    let long = bot
        .send_photo(
            ChatId(42),
            InputFile::memory(png(10, 10)).file_name("a.png"),
        )
        .caption("x".repeat(1025))
        .await
        .unwrap_err();
    assert!(
        long.to_string().contains("message caption is too long"),
        "{long}"
    );
    assert!(fake.rejected().len() == 1);
}
