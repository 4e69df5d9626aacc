//! The fake as teloxide 0.17 sees it: every answer must deserialize into teloxide's types and
//! every error must map to the `RequestError` / `ApiError` a bot matches on.

use crate::common;

use std::time::Duration;

use fake_bot_api::{ChatSpec, Config, FakeBotApi, Fault, Limits, User, Window};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId,
    ParseMode, ReplyParameters, Seconds, ThreadId, UpdateKind,
};
use teloxide::{ApiError, RequestError};

const GROUP: i64 = -4_001;
const FORUM: i64 = -1_000_000_000_777;

async fn fake_and_bot(config: Config) -> (FakeBotApi, Bot) {
    let fake = common::start(config).await;
    let url = url::Url::parse(&fake.api_url()).expect("api url");
    let bot = Bot::new(fake.token()).set_api_url(url);
    (fake, bot)
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Show answer", data)]])
}

#[tokio::test]
async fn get_me_and_send_message_deserialize() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.username(), "studybot_test_bot");
    fake.add_chat(ChatSpec::group(GROUP, "Study"));
    let sent = bot
        .send_message(ChatId(GROUP), "<b>Q1</b> &amp; more")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("show:q1"))
        .await
        .expect("sendMessage");
    assert_eq!(
        (sent.id, sent.chat.id, sent.text()),
        (MessageId(1), ChatId(GROUP), Some("Q1 & more"))
    );
    assert!(sent.chat.is_group() && sent.from.as_ref().is_some_and(|u| u.id == me.id));
    assert!(sent.reply_markup().is_some());
    let delivered = fake.sent_messages();
    assert_eq!(
        (
            delivered[0].text.as_str(),
            delivered[0].parse_mode.as_deref()
        ),
        ("<b>Q1</b> &amp; more", Some("HTML"))
    );
    assert!(fake.rejected().is_empty());
}

#[tokio::test]
async fn invalid_html_and_bad_buttons_are_rejected() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    let err = bot
        .send_message(ChatId(1), "line<br>next")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::CantParseEntities(_))),
        "{err:?}"
    );
    let err = bot
        .send_message(ChatId(1), "q")
        .reply_markup(keyboard(&"x".repeat(65)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{err:?}"
    );
    let err = bot
        .send_message(ChatId(1), "x".repeat(4097))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    assert_eq!((fake.rejected().len(), fake.sent_count()), (3, 0));
}

#[tokio::test]
async fn scripted_retry_after_migration_and_forbidden_map_to_teloxide_errors() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    fake.fail_next("sendMessage", Some(5), Fault::RetryAfter(3), 1);
    let err = bot.send_message(ChatId(5), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::RetryAfter(s) if s == Seconds::from_seconds(3)),
        "{err:?}"
    );
    assert!(bot.send_message(ChatId(5), "hi").await.is_ok());

    fake.push_migration(GROUP, FORUM);
    let err = bot.send_message(ChatId(GROUP), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::MigrateToChatId(ChatId(FORUM))),
        "{err:?}"
    );

    fake.set_forbidden(-9, "Forbidden: bot was kicked from the group chat");
    let err = bot.send_message(ChatId(-9), "hi").await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(d)) if d == "Forbidden: bot was kicked from the group chat"),
        "{err:?}"
    );
    fake.set_forbidden(8, "Forbidden: bot was blocked by the user");
    let err = bot.send_message(ChatId(8), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
    fake.clear_chat_faults(8);
    assert!(bot.send_message(ChatId(8), "hi").await.is_ok());
    assert_eq!(fake.count_429(), 1);
    assert!(fake.rejected().is_empty());
}

#[tokio::test]
async fn rate_limit_answers_retry_after() {
    // A one-hour window keeps the test independent of machine speed.
    let per_chat = Window {
        max: 1,
        span: Duration::from_secs(3600),
    };
    let limits = Limits {
        per_chat,
        ..Limits::default()
    };
    let (fake, bot) = fake_and_bot(Config {
        rate_limits: true,
        limits,
        ..Config::default()
    })
    .await;
    assert!(bot.send_message(ChatId(3), "a").await.is_ok());
    let err = bot.send_message(ChatId(3), "b").await.unwrap_err();
    assert!(
        matches!(err, RequestError::RetryAfter(s) if (3590..=3600).contains(&s.seconds())),
        "{err:?}"
    );
    assert_eq!((fake.count_429(), fake.sent_count()), (1, 1));
    assert!(fake.rejected().is_empty());
}

#[tokio::test]
async fn get_updates_offsets_confirm_and_updates_parse() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    fake.add_chat(ChatSpec::channel(-1_000_000_000_100, "News"));
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.push_message(
        7,
        Some(User::new(7, "Ann").with_language("zh")),
        "/start",
        None,
    );
    fake.push_message(-1_000_000_000_100, None, "post", None);
    fake.push_message(
        FORUM,
        Some(User::new(8, "Bo")),
        "/ask@studybot_test_bot",
        Some(12),
    );
    fake.push_migration(GROUP, -1_000_000_000_555);
    let updates = bot.get_updates().timeout(0).await.expect("getUpdates");
    assert_eq!(updates.len(), 5);
    assert!(matches!(&updates[0].kind, UpdateKind::Message(m) if m.text() == Some("/start")));
    assert!(
        matches!(&updates[1].kind, UpdateKind::ChannelPost(m) if m.sender_chat.is_some() && m.from.is_none())
    );
    assert!(
        matches!(&updates[2].kind, UpdateKind::Message(m) if m.is_topic_message && m.thread_id == Some(ThreadId(MessageId(12))))
    );
    assert!(
        matches!(&updates[3].kind, UpdateKind::Message(m) if m.migrate_to_chat_id() == Some(&ChatId(-1_000_000_000_555)))
    );
    assert!(
        matches!(&updates[4].kind, UpdateKind::Message(m) if m.migrate_from_chat_id() == Some(&ChatId(GROUP)))
    );
    // `as_offset` is already id + 1: the offset that confirms this update.
    let next = updates[2].id.as_offset();
    let rest = bot
        .get_updates()
        .offset(next)
        .timeout(0)
        .await
        .expect("getUpdates");
    assert_eq!(rest.len(), 2);
    assert_eq!(fake.pending_updates(), 2);
    let none = bot
        .get_updates()
        .offset(rest[1].id.as_offset())
        .timeout(0)
        .await
        .expect("getUpdates");
    assert!(none.is_empty() && fake.pending_updates() == 0);
}

#[tokio::test]
async fn callbacks_edits_and_replies() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    let question = bot
        .send_message(ChatId(GROUP), "Q")
        .reply_markup(keyboard("show"))
        .await
        .unwrap();
    let query = fake.push_callback(GROUP, User::new(7, "Ann"), question.id.0, "show");
    let updates = bot.get_updates().timeout(0).await.unwrap();
    assert!(
        matches!(&updates[0].kind, UpdateKind::CallbackQuery(q) if q.data.as_deref() == Some("show") && q.regular_message().is_some())
    );
    bot.answer_callback_query(query.clone().into())
        .text("Answer below")
        .await
        .expect("first answer");
    let err = bot.answer_callback_query(query.into()).await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(d)) if d.contains("query ID is invalid")),
        "{err:?}"
    );

    let edited = bot
        .edit_message_text(ChatId(GROUP), question.id, "Q + answer")
        .await
        .expect("edit");
    assert!(
        edited.reply_markup().is_none(),
        "editing text without reply_markup drops the keyboard"
    );
    let err = bot
        .edit_message_text(ChatId(GROUP), question.id, "Q + answer")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    assert_eq!(fake.message(GROUP, question.id.0).map(|m| m.edits), Some(1));

    let err = bot
        .send_message(ChatId(GROUP), "r")
        .reply_parameters(ReplyParameters::new(MessageId(99)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToReplyNotFound)),
        "{err:?}"
    );
    let tolerant = ReplyParameters::new(MessageId(99)).allow_sending_without_reply();
    assert!(
        bot.send_message(ChatId(GROUP), "r")
            .reply_parameters(tolerant)
            .await
            .is_ok()
    );
    let reply = bot
        .send_message(ChatId(GROUP), "r")
        .reply_parameters(ReplyParameters::new(question.id))
        .await
        .unwrap();
    assert_eq!(reply.reply_to_message().map(|m| m.id), Some(question.id));
    assert_eq!(fake.callback_answers().len(), 1);
    assert_eq!(fake.rejected().len(), 3);
}

#[tokio::test]
async fn forum_topics_and_chat_queries() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.set_admins(FORUM, &[7]);
    fake.set_owner(FORUM, 6);
    let asked = fake.push_message(FORUM, Some(User::new(8, "Bo")), "/ask", Some(12));
    let in_topic = bot
        .send_message(ChatId(FORUM), "Q")
        .message_thread_id(ThreadId(MessageId(12)))
        .await
        .unwrap();
    assert!(in_topic.is_topic_message && in_topic.thread_id == Some(ThreadId(MessageId(12))));
    let reply = bot
        .send_message(ChatId(FORUM), "Q")
        .reply_parameters(ReplyParameters::new(MessageId(asked)))
        .await
        .unwrap();
    assert_eq!(
        fake.sent_messages()[1].thread_id,
        Some(12),
        "a reply lands in the replied message's topic"
    );
    assert!(reply.is_topic_message);
    let err = bot
        .send_message(ChatId(GROUP), "Q")
        .message_thread_id(ThreadId(MessageId(12)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(d)) if d == "Bad Request: message thread not found"),
        "{err:?}"
    );

    let chat = bot.get_chat(ChatId(FORUM)).await.expect("getChat");
    assert!(chat.is_supergroup());
    let admin = bot
        .get_chat_member(ChatId(FORUM), UserId(7))
        .await
        .expect("getChatMember");
    let owner = bot.get_chat_member(ChatId(FORUM), UserId(6)).await.unwrap();
    let member = bot.get_chat_member(ChatId(FORUM), UserId(8)).await.unwrap();
    assert!(admin.kind.is_administrator() && owner.kind.is_owner() && member.kind.is_member());
    assert_eq!(member.user.first_name, "Bo");
    let admins = bot
        .get_chat_administrators(ChatId(FORUM))
        .await
        .expect("getChatAdministrators");
    assert_eq!(admins.len(), 2);
}

#[tokio::test]
async fn commands_are_validated_and_recorded_per_scope_and_language() {
    let (fake, bot) = fake_and_bot(Config::default()).await;
    let commands = vec![
        BotCommand::new("ask", "随机一题"),
        BotCommand::new("answer", "显示答案"),
    ];
    bot.set_my_commands(commands.clone())
        .scope(BotCommandScope::AllGroupChats)
        .language_code("zh")
        .await
        .expect("setMyCommands");
    let listed = bot
        .get_my_commands()
        .scope(BotCommandScope::AllGroupChats)
        .language_code("zh")
        .await
        .unwrap();
    assert_eq!(listed, commands);
    let recorded = fake.commands();
    assert_eq!(
        (
            recorded[0].scope["type"].as_str(),
            recorded[0].language_code.as_str()
        ),
        (Some("all_group_chats"), "zh")
    );
    let err = bot
        .set_my_commands([BotCommand::new("Ask", "x")])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(d)) if d == "Bad Request: BOT_COMMAND_INVALID"),
        "{err:?}"
    );
    bot.delete_my_commands()
        .scope(BotCommandScope::AllGroupChats)
        .language_code("zh")
        .await
        .unwrap();
    assert!(fake.commands().is_empty());
}

#[tokio::test]
async fn a_real_dispatcher_polls_and_replies() {
    let config = Config {
        long_poll_cap: Some(Duration::from_millis(300)),
        ..Config::default()
    };
    let (fake, bot) = fake_and_bot(config).await;
    fake.add_chat(ChatSpec::private(7, Some("en")));
    fake.push_message(7, None, "hello", None);
    fake.push_callback(
        7,
        User::new(7, "Ann"),
        1,
        "ignored: the handler takes messages only",
    );
    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        let echo = msg.text().unwrap_or_default().to_uppercase();
        bot.send_message(msg.chat.id, echo)
            .reply_parameters(ReplyParameters::new(msg.id))
            .await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let stop = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    let again = fake.push_message(7, None, "again", None);
    assert!(
        fake.wait_until(Duration::from_secs(20), |f| f.sent_count() == 2)
            .await
    );
    let texts: Vec<String> = fake.sent_messages().into_iter().map(|m| m.text).collect();
    assert_eq!(texts, ["HELLO", "AGAIN"]);
    assert_eq!(fake.sent_messages()[1].reply_to, Some(again));
    assert_eq!(
        fake.filtered_updates(),
        1,
        "teloxide asked for messages only"
    );
    if let Ok(stopped) = stop.shutdown() {
        fake.release_pollers();
        stopped.await;
    }
    running.await.unwrap();
    assert!(fake.rejected().is_empty(), "{:?}", fake.rejected());
    let methods: Vec<String> = fake
        .requests()
        .into_iter()
        .map(|r| r.method)
        .take(3)
        .collect();
    assert_eq!(methods, ["getwebhookinfo", "getme", "getupdates"]);
}
