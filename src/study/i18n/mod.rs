//! Every sentence the bot says, in Chinese and English.
//!
//! The engine picks the chat's language and asks here for words; no other
//! module holds user-facing text but the command registry
//! (`study::commands::registry`: each command's menu, slash-command and
//! `/help` lines, kept beside its name and arguments).

pub use crate::domain::Lang;

/// Picks the sentence for a language.
fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The text of `/help` on `platform`: what the bot is, the line of each
/// command offered there (from the registry, `study::commands`, in its
/// order), how ratings and settings work.
pub fn help(lang: Lang, questions: usize, platform: crate::domain::Platform) -> String {
    let lines: Vec<&str> = super::commands::on(platform)
        .filter_map(|s| s.help.map(|h| h.get(lang)))
        .collect();
    format!(
        "{}\n\n{}\n\n{}",
        help_intro(lang, questions),
        lines.join("\n"),
        help_outro(lang)
    )
}

/// The first paragraph of `/help`.
fn help_intro(lang: Lang, questions: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "我是学习机器人：每天推送一道面试题，按时或按需公布答案与解析。题库共 {questions} 题。"
        ),
        Lang::En => format!(
            "I am a study bot: a question of the day, and its answer and analysis on time or on request. \
             The bank has {questions} questions."
        ),
    }
}

/// The last paragraph of `/help`.
fn help_outro(lang: Lang) -> &'static str {
    pick(
        lang,
        "公布答案后点“忘了/模糊/记得/简单”给自己打分，题目会按记忆规律（FSRS）进入你的复习。\
         群组中只有管理员可以修改设置。",
        "After a reveal, rate yourself (Again / Hard / Good / Easy): the question joins your own spaced review (FSRS). \
         In groups only administrators change settings.",
    )
}

pub fn show_answer_button(lang: Lang) -> &'static str {
    pick(lang, "显示答案", "Show answer")
}

pub fn answer_heading(lang: Lang, title: &str) -> String {
    match lang {
        Lang::Zh => format!("答案：{title}"),
        Lang::En => format!("Answer: {title}"),
    }
}

pub fn analysis_heading(lang: Lang) -> &'static str {
    pick(lang, "解析", "Analysis")
}

pub fn daily_heading(lang: Lang, date: jiff::civil::Date) -> String {
    match lang {
        Lang::Zh => format!("每日一题 · {date}"),
        Lang::En => format!("Question of the day · {date}"),
    }
}

pub fn no_current_question(lang: Lang) -> &'static str {
    pick(
        lang,
        "还没有题目。发送 /ask 获取一道题。",
        "There is no question yet. Send /ask to get one.",
    )
}

pub fn already_revealed(lang: Lang) -> &'static str {
    pick(
        lang,
        "答案已经公布过了，见上方。",
        "The answer is already shown above.",
    )
}

pub fn unknown_question(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Zh => format!("没有编号为「{id}」的题目。发送 /topics 查看题库。"),
        Lang::En => {
            format!("There is no question with the id “{id}”. Send /topics to see the bank.")
        }
    }
}

/// A button or `/answer` for a question a reload took out of the bank.
pub fn question_removed(lang: Lang) -> &'static str {
    pick(
        lang,
        "这道题已不在题库中了。发送 /ask 获取新题目。",
        "This question is no longer in the bank. Send /ask for a new one.",
    )
}

/// Too many requests in flight at once: this one was not taken up.
pub fn busy(lang: Lang) -> &'static str {
    pick(
        lang,
        "机器人正忙，请稍后再试。",
        "The bot is busy right now. Please try again in a moment.",
    )
}

pub fn stale_button(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个按钮已失效，请发送 /ask 获取新题目。",
        "This button has expired. Send /ask for a new question.",
    )
}

pub fn unknown_tag(lang: Lang, tag: &str, tags: &str) -> String {
    match lang {
        Lang::Zh => format!("没有标签「{tag}」。可用的标签：\n{tags}"),
        Lang::En => format!("There is no tag “{tag}”. Tags you can use:\n{tags}"),
    }
}

pub fn topics_decks(lang: Lang) -> &'static str {
    pick(lang, "题库", "Decks")
}

pub fn topics_tags(lang: Lang) -> &'static str {
    pick(lang, "标签", "Tags")
}

pub fn count_questions(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 题"),
        Lang::En if n == 1 => "1 question".to_string(),
        Lang::En => format!("{n} questions"),
    }
}

pub fn topics_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "发送 /ask 标签 按标签出题，例如 /ask training。",
        "Send /ask TAG for a question on a tag, e.g. /ask training.",
    )
}

pub fn new_round(lang: Lang) -> &'static str {
    pick(
        lang,
        "本轮题目已全部出完，开始新一轮。",
        "You have seen every question: a new round begins.",
    )
}

/// A command given more words than it takes; `form` is its text form
/// (`/ask [tag]`).
pub fn usage(lang: Lang, form: &str) -> String {
    match lang {
        Lang::Zh => format!("用法：{form}"),
        Lang::En => format!("Usage: {form}"),
    }
}

pub fn unknown_command(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("不认识的命令 /{name}。发送 /help 查看所有命令。"),
        Lang::En => format!("I don't know /{name}. Send /help to see every command."),
    }
}

pub fn admins_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "只有群管理员可以修改设置。",
        "Only the group's administrators can change settings.",
    )
}

pub fn lang_current(lang: Lang) -> &'static str {
    pick(
        lang,
        "当前语言：中文。切换：/lang en",
        "Current language: English. To switch: /lang zh",
    )
}

pub fn lang_set(lang: Lang) -> &'static str {
    pick(lang, "好的，以后用中文。", "OK, English from now on.")
}

pub fn lang_unknown(lang: Lang, code: &str) -> String {
    match lang {
        Lang::Zh => format!("不支持的语言「{code}」。用法：/lang zh 或 /lang en"),
        Lang::En => format!("I don't speak “{code}”. Usage: /lang zh or /lang en"),
    }
}

pub fn internal_error(lang: Lang) -> &'static str {
    pick(
        lang,
        "抱歉，出了点问题，请稍后再试。",
        "Sorry, something went wrong on my side. Please try again in a moment.",
    )
}

pub mod feedback;
pub mod flood;
/// Words for the daily plan and settings.
pub mod learn;
pub mod nudge;
pub mod plan;
pub mod quiz;
pub mod suggest;
pub mod suggest_desk;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(Lang::parse("zh-hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::from_user("ru"), Lang::En);
        assert_eq!(Lang::from_user("zh-hant"), Lang::Zh);
    }
}
