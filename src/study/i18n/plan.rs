//! Words for the daily plan and settings (`/daily`, `/reveal`, `/settings`).

use super::{Lang, pick};
use crate::schedule::{Days, PlanFilter, ScheduleError};

pub fn none(lang: Lang) -> &'static str {
    pick(
        lang,
        "还没有设定每日一题。设定：/daily 09:00 [时区] [工作日|mon,wed,fri|every 2 days] [deck:题库] [tag:标签,…]，例如 /daily 09:00 Asia/Shanghai weekdays",
        "No question of the day yet. Set one: /daily 09:00 [zone] [weekdays|mon,wed,fri|every 2 days] [deck:name] [tag:a,b], e.g. /daily 09:00 Europe/London weekdays",
    )
}

pub fn stopped(lang: Lang) -> &'static str {
    pick(lang, "已关闭每日一题。", "The question of the day is off.")
}

pub fn daily_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/daily HH:MM [时区] [weekdays|mon,wed,fri|every 2 days] [deck:题库] [tag:标签,…]，或 /daily off",
        "Usage: /daily HH:MM [zone] [weekdays|mon,wed,fri|every 2 days] [deck:name] [tag:a,b], or /daily off",
    )
}

pub fn reveal_needs_daily(lang: Lang) -> &'static str {
    pick(
        lang,
        "请先用 /daily HH:MM 设定每日一题，再设定公布时间。",
        "Set a question of the day with /daily HH:MM first, then the reveal.",
    )
}

pub fn reveal_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/reveal HH:MM（当天该时刻）| 6h | 90m（发题后多久）| off（仅在请求时）",
        "Usage: /reveal HH:MM (that local time) | 6h | 90m (after the post) | off (only on request)",
    )
}

pub fn unknown_word(lang: Lang, word: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("「{word}」既不是时区也不是标签。时区如 Asia/Shanghai，标签见 /topics。")
        }
        Lang::En => format!(
            "“{word}” is neither a time zone nor a tag. Zones look like Europe/London; tags: /topics."
        ),
    }
}

pub fn bad_thread_or_ping(lang: Lang, word: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("「{word}」无法识别：请写 thread:on 或 thread:off，ping:@角色 或 ping:off。")
        }
        Lang::En => {
            format!("I can't read “{word}”: write thread:on or thread:off, ping:@role or ping:off.")
        }
    }
}

/// Telegram's `/daily` given Discord's words.
pub fn discord_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "thread: 和 ping: 只在 Discord 上可用：Telegram 没有讨论串，也不提及角色。请去掉这两项再设定。",
        "thread: and ping: work on Discord only: Telegram has no threads and no roles to mention. Set the plan without them.",
    )
}

/// `on` or `off`, for a setting that is one or the other.
pub fn on_off(lang: Lang, on: bool) -> &'static str {
    match on {
        true => pick(lang, "开启", "on"),
        false => off(lang),
    }
}

pub fn error(lang: Lang, error: &ScheduleError) -> String {
    match (lang, error) {
        (Lang::Zh, ScheduleError::BadTime(t)) => {
            format!("「{t}」不是有效时间：请用 24 小时制 HH:MM，例如 09:00")
        }
        (Lang::Zh, ScheduleError::BadZone(z)) => {
            format!("未知时区「{z}」：请用 IANA 名称，例如 Asia/Shanghai")
        }
        (Lang::Zh, ScheduleError::ZoneTypo { input, suggestion }) => {
            format!("未知时区「{input}」：是不是 {suggestion}？")
        }
        (Lang::Zh, ScheduleError::OffsetNotZone { input, .. }) => {
            format!("「{input}」是 UTC 偏移，不是时区：请用 IANA 名称，例如 Asia/Shanghai")
        }
        (Lang::Zh, ScheduleError::BadReveal(r)) => {
            format!("「{r}」不是公布规则：请用 21:00、6h、90m、1h30m 或 off")
        }
        (Lang::Zh, ScheduleError::RevealDelayOutOfRange(r)) => {
            format!("公布延迟「{r}」超出范围：请用 1m 到 23h59m")
        }
        (Lang::Zh, ScheduleError::BadDays(d)) => {
            format!(
                "「{d}」不是出题日规则：请用 weekdays（工作日）、星期如 mon,wed,fri，或 every 2 days"
            )
        }
        (Lang::Zh, ScheduleError::EveryOutOfRange(d)) => {
            format!("「{d}」超出范围：请用每 2 天到每 30 天")
        }
        (Lang::Zh, ScheduleError::BadWeekday(d)) => {
            format!("「{d}」不是星期几：请用 mon、tue、wed、thu、fri、sat、sun 或 周一…周日")
        }
        (Lang::En, e) => format!("{}.", capitalized(&e.to_string())),
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn settings_heading(lang: Lang) -> &'static str {
    pick(lang, "设置", "Settings")
}

pub fn saved(lang: Lang) -> &'static str {
    pick(lang, "已设定。", "Saved.")
}

/// One `label: value` line of the settings summary.
pub fn line(lang: Lang, label: Label, value: &str) -> String {
    let label = match label {
        Label::Language => pick(lang, "语言", "Language"),
        Label::Zone => pick(lang, "时区", "Time zone"),
        Label::Daily => pick(lang, "每日一题", "Question of the day"),
        Label::Reveal => pick(lang, "公布答案", "Answer revealed"),
        Label::NextPost => pick(lang, "下次出题", "Next question"),
        Label::NextReveal => pick(lang, "下次公布", "Next reveal"),
        Label::Digest => pick(lang, "每周回顾", "Weekly digest"),
        Label::Reminder => pick(lang, "复习提醒", "Review reminder"),
        Label::Thread => pick(lang, "每题讨论串", "Thread per question"),
        Label::Ping => pick(lang, "提及角色", "Role pinged"),
    };
    match lang {
        Lang::Zh => format!("{label}：{value}"),
        Lang::En => format!("{label}: {value}"),
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Label {
    Language,
    Zone,
    Daily,
    Reveal,
    NextPost,
    NextReveal,
    Digest,
    Reminder,
    Thread,
    Ping,
}

pub fn language_name(lang: Lang) -> &'static str {
    pick(lang, "中文", "English")
}

/// The plan's rule: `每天 09:00`, `weekdays at 09:00 (deck llm-startup)`.
pub fn daily_value(lang: Lang, time: &str, days: &Days, filter: &PlanFilter) -> String {
    let rule = match lang {
        Lang::Zh => format!("{} {time}", days_words(lang, days)),
        Lang::En => format!("{} at {time}", days_words(lang, days)),
    };
    let mut parts = Vec::new();
    if let Some(deck) = &filter.deck {
        parts.push(match lang {
            Lang::Zh => format!("题库 {deck}"),
            Lang::En => format!("deck {deck}"),
        });
    }
    if !filter.tags.is_empty() {
        let tags = filter.tags.join(", ");
        parts.push(match lang {
            Lang::Zh => format!("标签 {tags}"),
            Lang::En if filter.tags.len() == 1 => format!("tag {tags}"),
            Lang::En => format!("tags {tags}"),
        });
    }
    match (lang, parts.is_empty()) {
        (_, true) => rule,
        (Lang::Zh, false) => format!("{rule}（{}）", parts.join("，")),
        (Lang::En, false) => format!("{rule} ({})", parts.join(", ")),
    }
}

const ZH_DAYS: [(&str, &str); 7] = [
    ("mon", "周一"),
    ("tue", "周二"),
    ("wed", "周三"),
    ("thu", "周四"),
    ("fri", "周五"),
    ("sat", "周六"),
    ("sun", "周日"),
];

fn days_words(lang: Lang, days: &Days) -> String {
    let text = days.text();
    match (lang, days) {
        (Lang::Zh, Days::Every) => "每天".to_string(),
        (Lang::En, Days::Every) => "every day".to_string(),
        (Lang::Zh, Days::EveryN { n, .. }) => format!("每 {n} 天"),
        (Lang::Zh, Days::Weekdays(_)) if text == "weekdays" => "工作日".to_string(),
        (Lang::Zh, Days::Weekdays(_)) => text
            .split(',')
            .filter_map(|d| ZH_DAYS.iter().find(|(en, _)| *en == d).map(|(_, zh)| *zh))
            .collect::<Vec<_>>()
            .join("、"),
        (Lang::En, _) => text,
    }
}

/// `/settings` of a chat whose plan comes from the operator's file.
pub fn by_operator(lang: Lang) -> &'static str {
    pick(
        lang,
        "此计划由运营者设定。",
        "This plan is set by the operator.",
    )
}

/// `/daily` or `/reveal` in a chat whose plan comes from the operator.
pub fn operator_locked(lang: Lang) -> &'static str {
    pick(
        lang,
        "此聊天的每日一题由运营者设定，不能在这里更改。",
        "This chat's question of the day is set by the operator and cannot be changed here.",
    )
}

pub fn unknown_deck(lang: Lang, deck: &str, known: &str) -> String {
    match lang {
        Lang::Zh => format!("没有题库「{deck}」。现有题库：{known}"),
        Lang::En => format!("There is no deck “{deck}”. Decks: {known}"),
    }
}

pub fn unknown_tag(lang: Lang, tag: &str, known: &str) -> String {
    match lang {
        Lang::Zh => format!("没有标签「{tag}」。现有标签：{known}"),
        Lang::En => format!("There is no tag “{tag}”. Tags: {known}"),
    }
}

pub fn off(lang: Lang) -> &'static str {
    pick(lang, "未开启", "off")
}

pub fn on_request(lang: Lang) -> &'static str {
    pick(
        lang,
        "仅在请求时（/answer 或按钮）",
        "only on request (/answer or the button)",
    )
}

pub fn at_time(lang: Lang, time: &str, next_day: bool) -> String {
    match (lang, next_day) {
        (Lang::Zh, false) => format!("当天 {time}"),
        (Lang::Zh, true) => format!("次日 {time}"),
        (Lang::En, false) => format!("at {time} the same day"),
        (Lang::En, true) => format!("at {time} the next day"),
    }
}

pub fn after(lang: Lang, hours: i64, minutes: i64) -> String {
    match lang {
        Lang::Zh if minutes == 0 => format!("发题后 {hours} 小时"),
        Lang::Zh if hours == 0 => format!("发题后 {minutes} 分钟"),
        Lang::Zh => format!("发题后 {hours} 小时 {minutes} 分钟"),
        Lang::En if minutes == 0 => format!("{hours} h after the question"),
        Lang::En if hours == 0 => format!("{minutes} min after the question"),
        Lang::En => format!("{hours} h {minutes} min after the question"),
    }
}
