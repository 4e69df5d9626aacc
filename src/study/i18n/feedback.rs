//! Words for pinning the question of the day and for reporting a problem
//! with a question.

use super::{Lang, pick};
use crate::domain::Platform;

pub fn pin_usage(lang: Lang) -> &'static str {
    pick(lang, "用法：/pin on|off", "Usage: /pin on|off")
}

/// `/settings` line value and `/pin`'s answer without arguments.
pub fn pin_state(lang: Lang, on: bool) -> &'static str {
    match on {
        true => pick(lang, "置顶每日一题", "the question of the day is pinned"),
        false => pick(lang, "不置顶", "not pinned"),
    }
}

pub fn pin_label(lang: Lang) -> &'static str {
    pick(lang, "置顶", "Pin")
}

pub fn pin_on(lang: Lang, platform: Platform) -> &'static str {
    match platform {
        Platform::Discord => pick(
            lang,
            "好的：每天的题目会置顶，并取消前一天题目的置顶。机器人需要“置顶消息”（Pin Messages）权限。",
            "Done: each day's question will be pinned, and the previous day's unpinned. \
             The bot needs the Pin Messages permission.",
        ),
        _ => pick(
            lang,
            "好的：每天的题目会静默置顶，并取消前一天题目的置顶。机器人需要“置顶消息”权限。",
            "Done: each day's question will be pinned silently, and the previous day's unpinned. \
             The bot needs the “Pin messages” right.",
        ),
    }
}

pub fn pin_off(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的：不再置顶每日一题（当前置顶的消息保持不变）。",
        "Done: the question of the day is no longer pinned (the current pin stays).",
    )
}

/// `/pin on|off` where nothing can be pinned (the console).
pub fn pin_not_here(lang: Lang) -> &'static str {
    pick(
        lang,
        "这里没有置顶：置顶只在 Telegram 和 Discord 上可用。",
        "There is nothing to pin here: pinning works on Telegram and Discord.",
    )
}

/// Told to the chat once when the bot may not pin.
pub fn pin_no_right(lang: Lang, platform: Platform) -> &'static str {
    match platform {
        Platform::Discord => pick(
            lang,
            "我无法置顶今天的题目：请服务器管理员在这个频道给我“置顶消息”（Pin Messages）权限\
             （“管理消息”已不再包含置顶）。在此之前题目照常推送，只是不置顶。",
            "I could not pin today's question: a server admin needs to give me the Pin Messages \
             permission in this channel (Manage Messages no longer includes pinning). \
             Until then the questions keep coming, unpinned.",
        ),
        _ => pick(
            lang,
            "我无法置顶今天的题目：请管理员把我设为管理员并开启“置顶消息”权限（频道中为“编辑他人消息”）。\
             在此之前题目照常推送，只是不置顶。",
            "I could not pin today's question: an administrator needs to make me an administrator \
             with the “Pin messages” right (in a channel: “Edit messages of others”). \
             Until then the questions keep coming, unpinned.",
        ),
    }
}

pub fn report_button(lang: Lang) -> &'static str {
    pick(lang, "报告问题", "Report a problem")
}

/// The prompt a press of the report button sends; `name` is the presser.
pub fn report_prompt(lang: Lang, name: &str, title: &str) -> String {
    if name.trim().is_empty() {
        return match lang {
            Lang::Zh => format!("「{title}」有什么问题？请回复这条消息，用一行文字说明。"),
            Lang::En => {
                format!("What is wrong with “{title}”? Reply to this message with one line.")
            }
        };
    }
    match lang {
        Lang::Zh => format!("{name}，「{title}」有什么问题？请回复这条消息，用一行文字说明。"),
        Lang::En => {
            format!("{name}, what is wrong with “{title}”? Reply to this message with one line.")
        }
    }
}

/// The title of the form a report opens where the platform has forms (a Discord modal);
/// at most 45 characters.
pub fn report_form_title(lang: Lang) -> &'static str {
    pick(lang, "报告问题", "Report a problem")
}

/// The form's one field; at most 45 characters.
pub fn report_form_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "这道题有什么问题？",
        "What is wrong with this question?",
    )
}

/// The form could not be opened in time: press again.
pub fn report_form_late(lang: Lang) -> &'static str {
    pick(
        lang,
        "没能及时打开报告表单，请再按一次“报告问题”。",
        "The report form could not open in time: press “Report a problem” again.",
    )
}

pub fn report_thanks(lang: Lang) -> &'static str {
    pick(
        lang,
        "谢谢！你的报告已记下，维护者会看到。",
        "Thank you! Your report is recorded for the maintainers.",
    )
}

pub fn report_empty(lang: Lang) -> &'static str {
    pick(
        lang,
        "报告是空的：请回复提示消息，写下问题所在。",
        "The report is empty: reply to the prompt with what is wrong.",
    )
}

pub fn report_too_long(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Zh => format!("报告太长了：请控制在 {max} 个字符以内，再回复一次提示消息。"),
        Lang::En => format!(
            "That report is too long: keep it under {max} characters and reply to the prompt again."
        ),
    }
}

/// The private message operators get.
pub fn report_for_admins(
    question_id: &str,
    chat: &str,
    chat_id: &str,
    who: &str,
    text: &str,
) -> String {
    format!(
        "Problem report / 问题报告\nquestion: {question_id}\nchat: {chat} ({chat_id})\nfrom: {who}\n\n{text}"
    )
}

/// A person opened as many report prompts today as a day allows.
pub fn prompts_capped(lang: Lang, per_day: u32) -> String {
    match lang {
        Lang::Zh => format!("你今天已经打开了 {per_day} 次报告，请明天再报告。"),
        Lang::En => {
            format!("You have opened {per_day} reports today; please report again tomorrow.")
        }
    }
}
