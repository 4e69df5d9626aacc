//! The few sentences only the console says (the prompt's neighbours), in
//! Chinese and English. Everything the bot itself says comes from the
//! engine's `study::i18n`.

use crate::domain::MessageId;
use crate::study::Lang;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The first line of an interactive session.
pub fn welcome(lang: Lang, chat: &str, database: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "studybot 本地会话（{chat}，数据库 {database}）。发送 /help 查看命令；输入按钮编号（如 1）按下按钮；Ctrl-D 或 /quit 退出。"
        ),
        Lang::En => format!(
            "studybot local session ({chat}, database {database}). Send /help for the commands; type a button's number (e.g. 1) to press it; Ctrl-D or /quit to leave."
        ),
    }
}

/// What the session is called in the welcome line.
pub fn chat_name(lang: Lang, group: bool, admin: bool) -> &'static str {
    match (group, admin) {
        (false, _) => pick(lang, "私聊", "private chat"),
        (true, false) => pick(lang, "群组，你不是管理员", "group, you are not an admin"),
        (true, true) => pick(lang, "群组，你是管理员", "group, you are an admin"),
    }
}

/// The answer to a line that is not a command (or a command nobody answers).
pub fn not_a_command(lang: Lang) -> &'static str {
    pick(
        lang,
        "这里只认命令和按钮编号：发送 /help 查看命令，/quit 退出。",
        "Here I only understand commands and button numbers: send /help to see the commands, /quit to leave.",
    )
}

/// A number typed that is no button shown in this session.
pub fn no_such_button(lang: Lang, number: &str, shown: usize) -> String {
    match (lang, shown) {
        (Lang::Zh, 0) => format!("没有按钮 [{number}]：本次会话还没有出现按钮。"),
        (Lang::Zh, n) => format!("没有按钮 [{number}]：按钮编号是 1 到 {n}。"),
        (Lang::En, 0) => format!("There is no button [{number}]: none has been shown yet."),
        (Lang::En, n) => format!("There is no button [{number}]: the buttons are 1 to {n}."),
    }
}

/// The marker of a post that replies to an earlier one.
pub fn reply_to(lang: Lang, id: MessageId) -> String {
    match lang {
        Lang::Zh => format!("↪ 回复 #{id}"),
        Lang::En => format!("↪ reply to #{id}"),
    }
}

/// Said when daily posts are left alone because the database is shared.
pub fn foreign_plans() -> &'static str {
    "studybot: this database holds daily plans of chats other than the console's (is it the bot's?); \
     daily posts are off in this session so the bot's are not taken. Use the default chat database or --memory."
}
