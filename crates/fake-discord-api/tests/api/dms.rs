//! Direct messages: `POST /users/@me/channels` (Create DM) at the HTTP level and through
//! twilight, one DM per user, and a user who refuses DMs (403 50007 on sending, not on opening).

use crate::support;

use fake_discord_api::{Config, Outcome};
use serde_json::json;
use support::{bot, call, world};
use twilight_http::Client;
use twilight_http::api_error::ApiError;
use twilight_http::error::ErrorType;
use twilight_model::channel::ChannelType;
use twilight_model::id::Id;

const CREATE_DM: &str = "/api/v10/users/@me/channels";

#[tokio::test]
async fn create_dm_returns_one_dm_per_user_and_checks_the_request() {
    let w = world(Config::default()).await;
    let body = json!({ "recipient_id": w.member.to_string() });
    let unauthorized = call(&w.fake, "POST", CREATE_DM, None, Some(&body)).await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(bot(&w.fake, "GET", CREATE_DM, None).await.status, 405);
    let missing = bot(&w.fake, "POST", CREATE_DM, Some(&json!({}))).await;
    assert_eq!(
        (missing.status, missing.body["code"].clone()),
        (400, json!(50035))
    );
    assert_eq!(
        missing.body["errors"]["recipient_id"]["_errors"][0]["code"],
        "BASE_TYPE_REQUIRED"
    );
    let word = bot(
        &w.fake,
        "POST",
        CREATE_DM,
        Some(&json!({ "recipient_id": "ann" })),
    )
    .await;
    assert_eq!(
        word.body["errors"]["recipient_id"]["_errors"][0]["code"],
        "NUMBER_TYPE_COERCE"
    );
    let stranger = bot(
        &w.fake,
        "POST",
        CREATE_DM,
        Some(&json!({ "recipient_id": "42" })),
    )
    .await;
    assert_eq!(
        (stranger.status, stranger.body.clone()),
        (
            400,
            json!({ "code": 50033, "message": "Invalid Recipient(s)" })
        )
    );
    assert_eq!(w.fake.rejected().len(), 5, "each wrong request is refused");

    let opened = bot(&w.fake, "POST", CREATE_DM, Some(&body)).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(opened.body["type"], 1);
    assert_eq!(
        opened.body["id"],
        json!(w.dm.to_string()),
        "the DM that exists"
    );
    assert_eq!(
        opened.body["recipients"][0]["id"],
        json!(w.member.to_string())
    );
    // A snowflake may also be sent as a number.
    let again = bot(
        &w.fake,
        "POST",
        CREATE_DM,
        Some(&json!({ "recipient_id": w.member })),
    )
    .await;
    assert_eq!(
        again.body["id"], opened.body["id"],
        "the same DM every time"
    );
    let owner = json!({ "recipient_id": w.owner.to_string() });
    let first = bot(&w.fake, "POST", CREATE_DM, Some(&owner)).await;
    let second = bot(&w.fake, "POST", CREATE_DM, Some(&owner)).await;
    assert_ne!(
        first.body["id"], opened.body["id"],
        "another user, another DM"
    );
    assert_eq!(first.body["id"], second.body["id"]);
    assert_eq!(w.fake.add_dm(w.owner).to_string(), first.body["id"]);
}

#[tokio::test]
async fn a_user_who_refuses_dms_can_be_opened_but_not_written_to() {
    let w = world(Config::default()).await;
    let post = format!("/api/v10/channels/{}/messages", w.dm);
    let body = json!({ "content": "You have 1 card due." });
    w.fake.refuse_dms(w.member, true);
    let opened = bot(
        &w.fake,
        "POST",
        CREATE_DM,
        Some(&json!({ "recipient_id": w.member.to_string() })),
    )
    .await;
    assert_eq!(opened.status, 200, "opening a DM does not ask the user");
    let refused = bot(&w.fake, "POST", &post, Some(&body)).await;
    assert_eq!(
        (refused.status, refused.body.clone()),
        (
            403,
            json!({ "code": 50007, "message": "Cannot send messages to this user" })
        )
    );
    assert!(w.fake.messages(w.dm).is_empty());
    let last = w.fake.requests().pop().expect("recorded");
    assert_eq!((last.code, last.outcome), (Some(50007), Outcome::Refused));
    assert_eq!(
        w.fake.invalid_requests(),
        1,
        "a 403 counts toward Discord's ban"
    );
    w.fake.refuse_dms(w.member, false);
    assert_eq!(bot(&w.fake, "POST", &post, Some(&body)).await.status, 200);
    assert_eq!(w.fake.messages(w.dm).len(), 1);
    assert!(w.fake.rejected().is_empty());
}

#[tokio::test]
async fn twilight_opens_the_dm_and_reads_the_refusal() {
    let w = world(Config::default()).await;
    let host = w.fake.api_url().trim_start_matches("http://").to_string();
    let http = Client::builder()
        .token(w.fake.token().to_string())
        .proxy(host, true)
        .build();
    let channel = http
        .create_private_channel(Id::new(w.member))
        .await
        .expect("opened")
        .model()
        .await
        .expect("a twilight Channel");
    assert_eq!(channel.id.get(), w.dm);
    assert_eq!(channel.kind, ChannelType::Private);
    let recipients = channel.recipients.expect("recipients");
    assert_eq!(recipients[0].id.get(), w.member);
    w.fake.refuse_dms(w.member, true);
    let error = http
        .create_message(channel.id)
        .content("hello")
        .await
        .expect_err("refused");
    let ErrorType::Response {
        status,
        error: ApiError::General(general),
        ..
    } = error.kind()
    else {
        panic!("an API error: {error}");
    };
    assert_eq!((status.get(), general.code), (403, 50007));
    assert!(w.fake.rejected().is_empty());
}
