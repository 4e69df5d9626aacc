//! The registry's rows for the commands that schedule something in a
//! chat: `/daily`, `/reveal`, `/pin`, `/remind` and `/digest`. Each hands
//! its words whole to the engine's handlers (`plan_commands`, `pin`,
//! `nudge`), which read them; [`super::registry::COMMANDS`] places each row
//! in its order. Apart so the table stays short enough to read.

use super::{Arg, Arity, Command, Platforms, Spec, arg, keyed, suggesting, w};
use crate::study::Suggest;

const ZONE: Arg = suggesting(
    arg(
        "zone",
        "[zone]",
        "An IANA zone, e.g. Asia/Shanghai",
        "时区，例如 Asia/Shanghai",
    ),
    Suggest::Zone,
);

pub(super) const DAILY: Spec = Spec {
    name: "daily",
    aliases: &[],
    zh_name: "每日一题",
    arity: Arity::Many,
    args: &[
        arg("time", "HH:MM", "HH:MM, or off", "HH:MM，或 off"),
        ZONE,
        keyed(
            suggesting(
                arg(
                    "tag",
                    "[tag:a,b]",
                    "Only questions with these tags, e.g. training,startup",
                    "只出这些标签的题，例如 training,startup",
                ),
                Suggest::Tag,
            ),
            "tag:",
        ),
        arg(
            "days",
            "[days]",
            "weekdays, mon,wed,fri or every 2 days (default: every day)",
            "weekdays、mon,wed,fri 或 every 2 days（默认每天）",
        ),
        keyed(
            arg(
                "deck",
                "[deck:name]",
                "Only questions of this deck, e.g. llm-startup",
                "只出此题库的题，例如 llm-startup",
            ),
            "deck:",
        ),
        keyed(
            arg(
                "thread",
                "[thread:on]",
                "Discord: open a thread on each question, its answer goes there (on/off)",
                "Discord：每题开一个讨论串，答案发在串里（on/off）",
            ),
            "thread:",
        ),
        keyed(
            arg(
                "ping",
                "[ping:@role]",
                "Discord: mention this role in each question (a role, or off)",
                "Discord：每题提及这个角色（角色，或 off）",
            ),
            "ping:",
        ),
    ],
    menu: w(
        "每日一题：/daily 09:00 [Asia/Shanghai]",
        "question of the day: /daily 09:00 [Europe/London]",
    ),
    about: w(
        "定时出题，每天或指定日子（时间 HH:MM，或 off 关闭）",
        "A question at a local time, every day or on chosen days (time: HH:MM, or off)",
    ),
    help: Some(w(
        "/daily HH:MM [时区] [工作日|周一,周三|每2天] [deck:题库] [tag:标签] — 定时出题，如 /daily 09:00 Asia/Shanghai 工作日；/daily off 关闭",
        "/daily HH:MM [zone] [weekdays|mon,wed,fri|every 2 days] [deck:name] [tag:a,b] — a question on those days, e.g. /daily 09:00 Europe/London weekdays; /daily off stops it",
    )),
    settings: true,
    listed: true,
    platforms: Platforms::ALL,
    parse: |args| Command::Daily { args },
};

pub(super) const REVEAL: Spec = Spec {
    name: "reveal",
    aliases: &[],
    zh_name: "揭晓",
    arity: Arity::Many,
    args: &[arg(
        "when",
        "HH:MM|6h|off",
        "HH:MM, 6h, 90m or off",
        "HH:MM、6h、90m 或 off",
    )],
    menu: w(
        "定时公布答案：/reveal 21:00 | 6h | off",
        "timed reveal: /reveal 21:00 | 6h | off",
    ),
    about: w(
        "何时自动公布答案：HH:MM、6h、90m 或 off",
        "When the day's answer is revealed: HH:MM, 6h, 90m or off",
    ),
    help: Some(w(
        "/reveal HH:MM | 6h | 90m | off — 每日一题的答案何时自动公布",
        "/reveal HH:MM | 6h | 90m | off — when the day's answer is revealed",
    )),
    settings: true,
    listed: true,
    platforms: Platforms::ALL,
    parse: |args| Command::Reveal { args },
};

pub(super) const PIN: Spec = Spec {
    name: "pin",
    aliases: &[],
    zh_name: "置顶",
    arity: Arity::Many,
    args: &[arg("state", "on|off", "on or off", "on 或 off")],
    menu: w(
        "置顶每日一题：/pin on|off",
        "pin the question of the day: /pin on|off",
    ),
    about: w(
        "置顶每日一题并取消前一天的置顶：on 或 off",
        "Pin each day's question and unpin the day before's: on or off",
    ),
    help: Some(w(
        "/pin on|off — 每天置顶当天的题目（管理员）",
        "/pin on|off — pin each day's question (admins)",
    )),
    settings: true,
    listed: true,
    platforms: Platforms::ALL,
    parse: |args| Command::Pin { args },
};

pub(super) const REMIND: Spec = Spec {
    name: "remind",
    aliases: &[],
    zh_name: "复习提醒",
    arity: Arity::Many,
    args: &[
        arg("time", "HH:MM|off", "HH:MM, or off", "HH:MM，或 off"),
        suggesting(
            arg(
                "zone",
                "[zone]",
                "Your IANA zone, e.g. Asia/Shanghai",
                "你的时区，例如 Asia/Shanghai",
            ),
            Suggest::Zone,
        ),
    ],
    menu: w(
        "复习提醒：/remind 20:00 [时区] | off（私聊）",
        "review reminder: /remind 20:00 [zone] | off (in private)",
    ),
    about: w(
        "有卡片到期的日子由机器人私信提醒你：HH:MM，或 off",
        "A direct message from the bot on days when your cards are due: HH:MM, or off",
    ),
    help: Some(w(
        "/remind HH:MM [时区] | off — 有卡片到期时私聊提醒我（每天最多一次）",
        "/remind HH:MM [zone] | off — a private reminder on days when your cards are due (at most once a day)",
    )),
    settings: false,
    listed: true,
    platforms: Platforms::ALL,
    parse: |args| Command::Remind { args },
};

pub(super) const DIGEST: Spec = Spec {
    name: "digest",
    aliases: &[],
    zh_name: "每周回顾",
    arity: Arity::Many,
    args: &[
        arg("day", "<day>|off", "mon … sun, or off", "mon … sun，或 off"),
        arg("time", "HH:MM", "HH:MM, local", "HH:MM，本地时间"),
    ],
    menu: w(
        "每周回顾：/digest mon 09:00 | off",
        "weekly digest: /digest mon 09:00 | off",
    ),
    about: w(
        "每周发布本频道的一周回顾：星期与 HH:MM，或 off",
        "Post the channel's week every week: a day and HH:MM, or off",
    ),
    help: Some(w(
        "/digest 星期 HH:MM | off — 每周在群里发布本周回顾（管理员）",
        "/digest <day> HH:MM | off — the group's week, posted every week (administrators)",
    )),
    settings: true,
    listed: true,
    platforms: Platforms::ALL,
    parse: |args| Command::Digest { args },
};
