//! Words for nudges: `/remind` (a person's private review reminder) and
//! `/digest` (a group's weekly summary).

use jiff::civil::Weekday;

use super::{Lang, pick};

pub fn remind_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/remind HH:MM [时区]（如 /remind 20:00 Asia/Shanghai），/remind zone 时区 只设时区，/remind off 关闭。",
        "Usage: /remind HH:MM [zone] (e.g. /remind 20:00 Europe/London), /remind zone <zone> to set only your zone, /remind off to stop.",
    )
}

/// `/remind` in a group: reminders are set in private.
pub fn remind_in_private(lang: Lang) -> &'static str {
    pick(
        lang,
        "复习提醒是个人的：点下面的按钮打开和我的私聊，在那里发送 /remind 20:00。",
        "Reminders are personal: tap the button to open a private chat with me, and send /remind 20:00 there.",
    )
}

/// `/remind` where the bot could not open a private chat with the person
/// just now (a Discord DM): nothing was changed.
pub fn remind_no_private_chat(lang: Lang) -> &'static str {
    pick(
        lang,
        "暂时无法和你开启私信，提醒未更改。请稍后再试，或在与我的私信中发送 /remind。",
        "I could not open a direct message with you just now, so nothing changed. Try again in a moment, or send /remind in a DM with me.",
    )
}

pub fn remind_set(lang: Lang, time: &str, zone: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("好的：有卡片到期的日子，我会在 {time}（{zone}）私聊提醒你，每天最多一次。")
        }
        Lang::En => format!(
            "Done: on days when cards are due, I will send you a private reminder at {time} ({zone}), at most once a day."
        ),
    }
}

pub fn remind_current(lang: Lang, time: Option<&str>, zone: &str) -> String {
    match (lang, time) {
        (Lang::Zh, Some(t)) => format!("复习提醒：每天 {t}（{zone}），有卡片到期时。"),
        (Lang::Zh, None) => format!("复习提醒：未开启。你的时区：{zone}。"),
        (Lang::En, Some(t)) => format!("Reminder: {t} ({zone}) on days when cards are due."),
        (Lang::En, None) => format!("Reminder: off. Your zone: {zone}."),
    }
}

pub fn remind_off(lang: Lang) -> &'static str {
    pick(lang, "复习提醒已关闭。", "Reminders are off.")
}

pub fn zone_set(lang: Lang, zone: &str) -> String {
    match lang {
        Lang::Zh => format!("你的时区：{zone}。连续天数与提醒都按它计算。"),
        Lang::En => format!("Your zone is {zone}: streaks and reminders count your days in it."),
    }
}

/// The nudge itself.
pub fn nudge(lang: Lang, due: i64) -> String {
    match lang {
        Lang::Zh => format!("你有 {due} 张卡片到期了。点下面的按钮或发送 /review 开始复习。"),
        Lang::En if due == 1 => {
            "You have 1 card due. Tap below or send /review to go over it.".to_string()
        }
        Lang::En => format!("You have {due} cards due. Tap below or send /review to go over them."),
    }
}

pub fn start_review_button(lang: Lang) -> &'static str {
    pick(lang, "开始复习", "Start review")
}

pub fn digest_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/digest 星期 HH:MM（如 /digest mon 09:00，按本群时区），/digest off 关闭。",
        "Usage: /digest <day> HH:MM (e.g. /digest mon 09:00, in this chat's zone), or /digest off.",
    )
}

pub fn digest_in_groups(lang: Lang) -> &'static str {
    pick(
        lang,
        "每周回顾是给群组的：请在群里由管理员发送 /digest mon 09:00。",
        "The weekly digest is for groups: an administrator sends /digest mon 09:00 there.",
    )
}

pub fn digest_off(lang: Lang) -> &'static str {
    pick(lang, "每周回顾已关闭。", "The weekly digest is off.")
}

pub fn digest_heading(lang: Lang) -> &'static str {
    pick(lang, "本周回顾", "Our week")
}

pub fn digest_quiet(lang: Lang) -> &'static str {
    pick(
        lang,
        "这一周还没有人给答案打分。",
        "No one rated an answer this week.",
    )
}

pub fn digest_nudge(lang: Lang) -> &'static str {
    pick(
        lang,
        "记住它们的最好办法是按时复习：私聊我发送 /review。",
        "The way to keep these answers is to review them on time: send me /review in private.",
    )
}

/// `/settings`' value for a digest: "every Monday at 09:00".
pub fn digest_value(lang: Lang, weekday: Weekday, time: &str) -> String {
    let i = usize::try_from(weekday.to_monday_zero_offset()).unwrap_or(0);
    let zh = ["一", "二", "三", "四", "五", "六", "日"][i];
    let en = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][i];
    match lang {
        Lang::Zh => format!("每周{zh} {time}"),
        Lang::En => format!("every {en} at {time}"),
    }
}
