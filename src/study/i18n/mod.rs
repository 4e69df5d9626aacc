//! Every sentence the bot says, in Chinese and English.
//!
//! The engine picks the chat's language and asks here for words; no other
//! module holds user-facing text, so a translation is one file to edit.

pub use crate::domain::Lang;

/// Picks the sentence for a language.
fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The command menu shown by Telegram: (command, description).
pub fn command_menu(lang: Lang, admin_commands: bool) -> Vec<(&'static str, &'static str)> {
    let mut menu = vec![
        (
            "ask",
            pick(
                lang,
                "随机出一道题（可加标签）",
                "a random question (optionally by tag)",
            ),
        ),
        (
            "answer",
            pick(
                lang,
                "公布当前题目的答案与解析",
                "reveal the current answer and analysis",
            ),
        ),
        ("topics", pick(lang, "题库与标签", "decks and tags")),
        (
            "review",
            pick(lang, "复习我到期的卡片", "review my due cards"),
        ),
        (
            "stats",
            pick(
                lang,
                "我的连续天数与排行榜",
                "my streak and the leaderboard",
            ),
        ),
        (
            "remind",
            pick(
                lang,
                "复习提醒：/remind 20:00 [时区] | off（私聊）",
                "review reminder: /remind 20:00 [zone] | off (in private)",
            ),
        ),
        (
            "forget",
            pick(
                lang,
                "删除关于我的全部数据（私聊）",
                "delete all my data (in private)",
            ),
        ),
        (
            "settings",
            pick(
                lang,
                "设置与下次推送时间",
                "this chat's settings and next posts",
            ),
        ),
        ("help", pick(lang, "使用说明", "how to use the bot")),
    ];
    if admin_commands {
        menu.extend([
            (
                "daily",
                pick(
                    lang,
                    "每日一题：/daily 09:00 [Asia/Shanghai]",
                    "question of the day: /daily 09:00 [Europe/London]",
                ),
            ),
            (
                "reveal",
                pick(
                    lang,
                    "定时公布答案：/reveal 21:00 | 6h | off",
                    "timed reveal: /reveal 21:00 | 6h | off",
                ),
            ),
            (
                "pin",
                pick(
                    lang,
                    "置顶每日一题：/pin on|off",
                    "pin the question of the day: /pin on|off",
                ),
            ),
            (
                "digest",
                pick(
                    lang,
                    "每周回顾：/digest mon 09:00 | off",
                    "weekly digest: /digest mon 09:00 | off",
                ),
            ),
            (
                "lang",
                pick(
                    lang,
                    "界面语言：/lang zh|en",
                    "interface language: /lang zh|en",
                ),
            ),
        ]);
    }
    menu
}

pub fn help(lang: Lang, questions: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "我是学习机器人：每天推送一道面试题，按时或按需公布答案与解析。题库共 {questions} 题。\n\n\
             /ask [标签] — 随机出一道题，本轮不重复\n\
             /answer [编号] — 公布当前题目（或指定题目）的答案与解析\n\
             /topics — 题库与标签\n\
             /daily HH:MM [时区] [工作日|周一,周三|每2天] [deck:题库] [tag:标签] — 定时出题，如 /daily 09:00 Asia/Shanghai 工作日；/daily off 关闭\n\
             /reveal HH:MM | 6h | 90m | off — 每日一题的答案何时自动公布\n\
             /pin on|off — 每天置顶当天的题目（管理员）\n\
             /settings — 查看设置与下次推送时间\n\
             /lang zh|en — 切换界面语言\n\
             /review — 复习自己到期的卡片（私聊）\n\
             /stats — 我的连续天数与复习（私聊）或本群排行（群组）；/stats hide 退出排行榜\n\
             /remind HH:MM [时区] | off — 有卡片到期时私聊提醒我（每天最多一次）\n\
             /digest 星期 HH:MM | off — 每周在群里发布本周回顾（管理员）\n\
             /forget — 删除我保存的关于你的一切（私聊）\n\n\
             公布答案后点“忘了/模糊/记得/简单”给自己打分，题目会按记忆规律（FSRS）进入你的复习。\
             群组中只有管理员可以修改设置。"
        ),
        Lang::En => format!(
            "I am a study bot: a question of the day, and its answer and analysis on time or on request. \
             The bank has {questions} questions.\n\n\
             /ask [tag] — a random question; none repeats until the round is done\n\
             /answer [id] — reveal the answer and analysis of the current (or a given) question\n\
             /topics — decks and tags\n\
             /daily HH:MM [zone] [weekdays|mon,wed,fri|every 2 days] [deck:name] [tag:a,b] — a question on those days, e.g. /daily 09:00 Europe/London weekdays; /daily off stops it\n\
             /reveal HH:MM | 6h | 90m | off — when the day's answer is revealed\n\
             /pin on|off — pin each day's question (admins)\n\
             /settings — this chat's settings\n\
             /lang zh|en — interface language\n\
             /review — your own due cards (in private)\n\
             /stats — your streak and reviews (private) or the group's week (group); /stats hide leaves the leaderboard\n\
             /remind HH:MM [zone] | off — a private reminder on days when your cards are due (at most once a day)\n\
             /digest <day> HH:MM | off — the group's week, posted every week (administrators)\n\
             /forget — delete everything kept about you (in private)\n\n\
             After a reveal, rate yourself (Again / Hard / Good / Easy): the question joins your own spaced review (FSRS). \
             In groups only administrators change settings."
        ),
    }
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

pub fn daily_heading(lang: Lang, date: &str) -> String {
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

pub fn usage(lang: Lang, name: &str) -> String {
    let form = match name {
        "ask" => "/ask [tag]",
        "answer" => "/answer [id]",
        _ => "/lang zh|en",
    };
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

    #[test]
    fn the_menu_fits_telegram_rules() {
        for lang in Lang::all() {
            for (command, description) in command_menu(lang, true) {
                assert!(command.len() <= 32 && command.bytes().all(|b| b.is_ascii_lowercase()));
                assert!((1..=256).contains(&description.chars().count()));
            }
        }
    }
}
