//! The table of commands: names, arguments, descriptions in both
//! languages, the admin rule and platforms. Its order is the order of
//! `/help`, Telegram's menus and Discord's command list. The rows of the
//! commands that schedule something are in `scheduled`, placed here.

use super::{Arity, Command, Platforms, Spec, TEXT, arg, suggesting, w};
use super::{answer, ask, help, lang, scheduled, stats};
use crate::study::Suggest;

/// Telegram alone: `/suggest` needs moderators, who are the operators
/// (`STUDYBOT_ADMINS`, Telegram user ids).
const TELEGRAM: Platforms = Platforms {
    telegram: true,
    discord: false,
    console: false,
};

/// `/suggest` itself: on Telegram the operators moderate in private; on
/// Discord the members who may manage a server, in the channel they name
/// (`/suggest moderation:here`). The form's steps stay Telegram's.
const SUGGESTING: Platforms = Platforms {
    telegram: true,
    discord: true,
    console: false,
};

/// Every command, in the order people see them.
pub static COMMANDS: &[Spec] = &[
    Spec {
        name: "ask",
        aliases: &[],
        zh_name: "提问",
        arity: Arity::One,
        args: &[suggesting(
            arg(
                "tag",
                "[tag]",
                "A tag, e.g. training",
                "标签，例如 training",
            ),
            Suggest::Tag,
        )],
        menu: w(
            "随机出一道题（可加标签）",
            "a random question (optionally by tag)",
        ),
        about: w(
            "随机出一道题（可指定标签）",
            "A random question (optionally from one tag)",
        ),
        help: Some(w(
            "/ask [标签] — 随机出一道题，本轮不重复",
            "/ask [tag] — a random question; none repeats until the round is done",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: ask::parse,
    },
    Spec {
        name: "answer",
        aliases: &[],
        zh_name: "答案",
        arity: Arity::One,
        args: &[suggesting(
            arg("id", "[id]", "A question id", "题目编号"),
            Suggest::QuestionId,
        )],
        menu: w(
            "公布当前题目的答案与解析",
            "reveal the current answer and analysis",
        ),
        about: w(
            "当前（或指定）题目的答案与解析",
            "The answer and analysis of the current (or given) question",
        ),
        help: Some(w(
            "/answer [编号] — 公布当前题目（或指定题目）的答案与解析",
            "/answer [id] — reveal the answer and analysis of the current (or a given) question",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: answer::parse,
    },
    Spec {
        name: "topics",
        aliases: &["tags"],
        zh_name: "题库",
        arity: Arity::Many,
        args: &[],
        menu: w("题库与标签", "decks and tags"),
        about: w("题库与标签", "Decks and tags"),
        help: Some(w("/topics — 题库与标签", "/topics — decks and tags")),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: |_| Command::Topics,
    },
    scheduled::DAILY,
    scheduled::REVEAL,
    scheduled::PIN,
    Spec {
        name: "settings",
        aliases: &[],
        zh_name: "设置",
        arity: Arity::Many,
        args: &[],
        menu: w("设置与下次推送时间", "this chat's settings and next posts"),
        about: w(
            "语言、时区、计划、下次出题与揭晓",
            "Language, zone, plan, next post and reveal",
        ),
        help: Some(w(
            "/settings — 查看设置与下次推送时间",
            "/settings — this chat's settings",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: |_| Command::Settings,
    },
    Spec {
        name: "lang",
        aliases: &["language"],
        zh_name: "语言",
        arity: Arity::One,
        args: &[arg("code", "zh|en", "zh or en", "zh 或 en")],
        menu: w("界面语言：/lang zh|en", "interface language: /lang zh|en"),
        about: w("频道语言：zh 或 en", "The channel's language: zh or en"),
        help: Some(w(
            "/lang zh|en — 切换界面语言",
            "/lang zh|en — interface language",
        )),
        settings: true,
        listed: true,
        platforms: Platforms::ALL,
        parse: lang::parse,
    },
    Spec {
        name: "review",
        aliases: &[],
        zh_name: "复习",
        arity: Arity::Many,
        args: &[],
        menu: w("复习我到期的卡片", "review my due cards"),
        about: w(
            "逐张复习你到期的卡片（在与机器人的私信中）",
            "Your own due cards, one at a time (in a DM with the bot)",
        ),
        help: Some(w(
            "/review — 复习自己到期的卡片（私聊）",
            "/review — your own due cards (in private)",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: |_| Command::Review,
    },
    Spec {
        name: "stats",
        aliases: &[],
        zh_name: "统计",
        arity: Arity::Many,
        args: &[arg(
            "leaderboard",
            "[hide|show]",
            "hide or show",
            "hide 或 show",
        )],
        menu: w("我的连续天数与排行榜", "my streak and the leaderboard"),
        about: w(
            "连续天数、本周评分与排行榜（hide 或 show：退出或重新加入排行榜）",
            "Streaks, this week's ratings and the leaderboard (hide or show: leave or rejoin it)",
        ),
        help: Some(w(
            "/stats — 我的连续天数与复习（私聊）或本群排行（群组）；/stats hide 退出排行榜",
            "/stats — your streak and reviews (private) or the group's week (group); /stats hide leaves the leaderboard",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: stats::parse,
    },
    scheduled::REMIND,
    scheduled::DIGEST,
    Spec {
        name: "suggest",
        aliases: &[],
        zh_name: "出题",
        arity: Arity::Many,
        args: &[
            arg(
                "status",
                "[status]",
                "status: what became of my suggestions",
                "status：我出的题的结果",
            ),
            // Discord: a server's moderators decide in the channel named here.
            arg(
                "moderation",
                "[here|off]",
                "here: moderate this server's suggestions in this channel; off: close them (Manage Server)",
                "here：在本频道审核本服务器的出题；off：关闭出题（需“管理服务器”）",
            ),
        ],
        menu: w(
            "为本群题库出一道题（审核后加入）",
            "suggest a question for this group's deck (moderated)",
        ),
        about: w(
            "为本群题库出一道题，审核通过后加入",
            "Suggest a question for this group's own deck; moderators approve it",
        ),
        help: Some(w(
            "/suggest — 为本群自己的题库出一道题（填写表单，审核后加入）；/suggest status 查看结果",
            "/suggest — suggest a question for the group's own deck (you fill in a form; moderators approve it); /suggest status shows the outcomes",
        )),
        settings: false,
        listed: true,
        platforms: SUGGESTING,
        parse: |args| Command::Suggest { args },
    },
    Spec {
        name: "skip",
        aliases: &[],
        zh_name: "跳过",
        arity: Arity::Many,
        args: &[],
        menu: w("跳过出题的可选步骤", "skip an optional step of /suggest"),
        about: w("跳过出题的可选步骤", "Skip an optional step of /suggest"),
        help: None,
        settings: false,
        listed: false,
        platforms: TELEGRAM,
        parse: |_| Command::Skip,
    },
    Spec {
        name: "cancel",
        aliases: &[],
        zh_name: "取消",
        arity: Arity::Many,
        args: &[],
        menu: w("取消正在写的出题", "cancel the /suggest draft"),
        about: w("取消正在写的出题", "Cancel the /suggest draft"),
        help: None,
        settings: false,
        listed: false,
        platforms: TELEGRAM,
        parse: |_| Command::Cancel,
    },
    Spec {
        name: "forget",
        aliases: &[],
        zh_name: "删除我的数据",
        arity: Arity::Many,
        args: &[],
        menu: w(
            "删除关于我的全部数据（私聊）",
            "delete all my data (in private)",
        ),
        about: w(
            "删除关于你的全部评分与卡片（会先确认）",
            "Delete every rating and card kept about you (asks first)",
        ),
        help: Some(w(
            "/forget — 删除我保存的关于你的一切（私聊）",
            "/forget — delete everything kept about you (in private)",
        )),
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: |_| Command::Forget,
    },
    Spec {
        name: "help",
        aliases: &[],
        zh_name: "帮助",
        arity: Arity::Many,
        args: &[],
        menu: w("使用说明", "how to use the bot"),
        about: w("机器人能做什么", "What the bot does"),
        help: None,
        settings: false,
        listed: true,
        platforms: Platforms::ALL,
        parse: |_| Command::Help,
    },
    Spec {
        name: "start",
        aliases: &[],
        zh_name: "开始",
        arity: Arity::Many,
        args: &[],
        menu: w("开始", "start"),
        about: w("开始", "Start"),
        help: None,
        settings: false,
        listed: false,
        platforms: TEXT,
        parse: help::parse_start,
    },
];
