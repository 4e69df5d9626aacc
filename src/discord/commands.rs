//! The slash commands: what is registered with Discord (names and
//! descriptions in English and Chinese, settings hidden from members), and
//! how an invocation becomes the same `study::Command` a Telegram message
//! becomes.

use twilight_model::application::command::{Command, CommandType};
use twilight_model::application::interaction::InteractionContextType;
use twilight_model::application::interaction::application_command::{
    CommandData, CommandOptionValue,
};
use twilight_model::guild::Permissions;
use twilight_util::builder::command::{CommandBuilder, StringBuilder};

use crate::study::{self, Suggest};

/// One option of a slash command: its name, English and Chinese
/// descriptions, and what to suggest while it is typed.
type Opt = (&'static str, &'static str, &'static str, Option<Suggest>);

/// One slash command: its name, its Chinese name, descriptions, options,
/// and whether it changes settings.
struct Spec {
    name: &'static str,
    zh_name: &'static str,
    en: &'static str,
    zh: &'static str,
    options: &'static [Opt],
    settings: bool,
}

const SPECS: &[Spec] = &[
    Spec {
        name: "ask",
        zh_name: "提问",
        en: "A random question (optionally from one tag)",
        zh: "随机出一道题（可指定标签）",
        options: &[(
            "tag",
            "A tag, e.g. training",
            "标签，例如 training",
            Some(Suggest::Tag),
        )],
        settings: false,
    },
    Spec {
        name: "answer",
        zh_name: "答案",
        en: "The answer and analysis of the current (or given) question",
        zh: "当前（或指定）题目的答案与解析",
        options: &[("id", "A question id", "题目编号", Some(Suggest::QuestionId))],
        settings: false,
    },
    Spec {
        name: "topics",
        zh_name: "题库",
        en: "Decks and tags",
        zh: "题库与标签",
        options: &[],
        settings: false,
    },
    Spec {
        name: "daily",
        zh_name: "每日一题",
        en: "A question at a local time, every day or on chosen days (time: HH:MM, or off)",
        zh: "定时出题，每天或指定日子（时间 HH:MM，或 off 关闭）",
        options: &[
            ("time", "HH:MM, or off", "HH:MM，或 off", None),
            (
                "zone",
                "An IANA zone, e.g. Asia/Shanghai",
                "时区，例如 Asia/Shanghai",
                Some(Suggest::Zone),
            ),
            (
                "tag",
                "Only questions with these tags, e.g. training,startup",
                "只出这些标签的题，例如 training,startup",
                Some(Suggest::Tag),
            ),
            (
                "days",
                "weekdays, mon,wed,fri or every 2 days (default: every day)",
                "weekdays、mon,wed,fri 或 every 2 days（默认每天）",
                None,
            ),
            (
                "deck",
                "Only questions of this deck, e.g. llm-startup",
                "只出此题库的题，例如 llm-startup",
                None,
            ),
        ],
        settings: true,
    },
    Spec {
        name: "reveal",
        zh_name: "揭晓",
        en: "When the day's answer is revealed: HH:MM, 6h, 90m or off",
        zh: "何时自动公布答案：HH:MM、6h、90m 或 off",
        options: &[(
            "when",
            "HH:MM, 6h, 90m or off",
            "HH:MM、6h、90m 或 off",
            None,
        )],
        settings: true,
    },
    Spec {
        name: "settings",
        zh_name: "设置",
        en: "Language, zone, plan, next post and reveal",
        zh: "语言、时区、计划、下次出题与揭晓",
        options: &[],
        settings: false,
    },
    Spec {
        name: "lang",
        zh_name: "语言",
        en: "The channel's language: zh or en",
        zh: "频道语言：zh 或 en",
        options: &[("code", "zh or en", "zh 或 en", None)],
        settings: true,
    },
    Spec {
        name: "review",
        zh_name: "复习",
        en: "Your own due cards, one at a time (in a DM with the bot)",
        zh: "逐张复习你到期的卡片（在与机器人的私信中）",
        options: &[],
        settings: false,
    },
    Spec {
        name: "stats",
        zh_name: "统计",
        en: "Streaks, this week's ratings and the leaderboard (hide or show: leave or rejoin it)",
        zh: "连续天数、本周评分与排行榜（hide 或 show：退出或重新加入排行榜）",
        options: &[("leaderboard", "hide or show", "hide 或 show", None)],
        settings: false,
    },
    Spec {
        name: "forget",
        zh_name: "删除我的数据",
        en: "Delete every rating and card kept about you (asks first)",
        zh: "删除关于你的全部评分与卡片（会先确认）",
        options: &[],
        settings: false,
    },
    Spec {
        name: "pin",
        zh_name: "置顶",
        en: "Pin each day's question and unpin the day before's: on or off",
        zh: "置顶每日一题并取消前一天的置顶：on 或 off",
        options: &[("state", "on or off", "on 或 off", None)],
        settings: true,
    },
    Spec {
        name: "remind",
        zh_name: "复习提醒",
        en: "A direct message from the bot on days when your cards are due: HH:MM, or off",
        zh: "有卡片到期的日子由机器人私信提醒你：HH:MM，或 off",
        options: &[
            ("time", "HH:MM, or off", "HH:MM，或 off", None),
            (
                "zone",
                "Your IANA zone, e.g. Asia/Shanghai",
                "你的时区，例如 Asia/Shanghai",
                Some(Suggest::Zone),
            ),
        ],
        settings: false,
    },
    Spec {
        name: "digest",
        zh_name: "每周回顾",
        en: "Post the channel's week every week: a day and HH:MM, or off",
        zh: "每周发布本频道的一周回顾：星期与 HH:MM，或 off",
        options: &[
            ("day", "mon … sun, or off", "mon … sun，或 off", None),
            ("time", "HH:MM, local", "HH:MM，本地时间", None),
        ],
        settings: true,
    },
    Spec {
        name: "help",
        zh_name: "帮助",
        en: "What the bot does",
        zh: "机器人能做什么",
        options: &[],
        settings: false,
    },
];

/// Every command, ready for one bulk overwrite.
pub fn all() -> Vec<Command> {
    SPECS.iter().map(|spec| builder(spec).build()).collect()
}

fn builder(spec: &Spec) -> CommandBuilder {
    let mut command = CommandBuilder::new(spec.name, spec.en, CommandType::ChatInput)
        .name_localizations([("zh-CN", spec.zh_name), ("en-US", spec.name)])
        .description_localizations([("zh-CN", spec.zh), ("en-US", spec.en)])
        .contexts([InteractionContextType::Guild, InteractionContextType::BotDm]);
    if spec.settings {
        // Hidden from members by default; server admins may change that,
        // so the engine still checks the member's permissions.
        command = command.default_member_permissions(Permissions::MANAGE_GUILD);
    }
    for &(name, en, zh, suggest) in spec.options {
        command = command.option(
            StringBuilder::new(name, en)
                .description_localizations([("zh-CN", zh), ("en-US", en)])
                .autocomplete(suggest.is_some())
                .required(false),
        );
    }
    command
}

/// The option being typed in an autocomplete interaction: what to suggest
/// and what was typed so far.
pub fn focused(data: &CommandData) -> Option<(Suggest, String)> {
    let spec = SPECS.iter().find(|s| s.name == data.name)?;
    data.options.iter().find_map(|o| match &o.value {
        CommandOptionValue::Focused(typed, _) => {
            let suggest = spec.options.iter().find(|opt| opt.0 == o.name)?.3?;
            Some((suggest, typed.clone()))
        }
        _ => None,
    })
}

/// `/daily`'s options as the words of the text command: the time, zone
/// and day rule as given, the filters as `deck:` and `tag:` words.
fn daily_args(arg: &impl Fn(&str) -> Option<String>) -> Vec<String> {
    let filter = |name: &str, key: &str| {
        arg(name).map(|v| match v.strip_prefix(key) {
            Some(_) => v,
            None => format!("{key}{}", v.split_whitespace().collect::<Vec<_>>().join("")),
        })
    };
    [
        arg("time"),
        arg("zone"),
        arg("days"),
        filter("deck", "deck:"),
        filter("tag", "tag:"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The command an invocation means, as the engine parses text commands.
pub fn parse(data: &CommandData) -> study::Parsed {
    let arg = |name: &str| -> Option<String> {
        data.options
            .iter()
            .find(|o| o.name == name)
            .and_then(|o| match &o.value {
                CommandOptionValue::String(s) => {
                    let s = s.trim();
                    (!s.is_empty()).then(|| s.to_string())
                }
                _ => None,
            })
    };
    let command = match data.name.as_str() {
        "ask" => study::Command::Ask { tag: arg("tag") },
        "answer" => study::Command::Answer { id: arg("id") },
        "topics" => study::Command::Topics,
        "daily" => study::Command::Daily {
            args: daily_args(&arg),
        },
        "reveal" => study::Command::Reveal {
            args: arg("when").into_iter().collect(),
        },
        "settings" => study::Command::Settings,
        "lang" => study::Command::Lang { code: arg("code") },
        "review" => study::Command::Review,
        "stats" => study::Command::Stats {
            args: arg("leaderboard").into_iter().collect(),
        },
        "forget" => study::Command::Forget,
        "pin" => study::Command::Pin {
            args: arg("state").into_iter().collect(),
        },
        "remind" => study::Command::Remind {
            args: ["time", "zone"].iter().filter_map(|n| arg(n)).collect(),
        },
        "digest" => study::Command::Digest {
            args: ["day", "time"].iter().filter_map(|n| arg(n)).collect(),
        },
        "help" => study::Command::Help,
        other => study::Command::Unknown {
            name: other.to_string(),
        },
    };
    study::Parsed::Command {
        command,
        addressed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_pass_discords_validation_and_hide_settings_from_members() {
        for spec in SPECS {
            assert!(builder(spec).validate().is_ok(), "{} is valid", spec.name);
        }
        let commands = all();
        assert_eq!(commands.len(), 14);
        for command in &commands {
            let hidden = command.default_member_permissions == Some(Permissions::MANAGE_GUILD);
            let settings =
                ["daily", "reveal", "lang", "pin", "digest"].contains(&command.name.as_str());
            assert_eq!(hidden, settings, "{}", command.name);
        }
    }
}
