use super::*;
use crate::study::parse;

fn parsed(text: &str) -> Command {
    match parse(text, None) {
        Parsed::Command { command, .. } => command,
        other => panic!("{text:?} parsed as {other:?}"),
    }
}

#[test]
fn registry_names_are_unique_lower_case_and_parse_as_themselves() {
    let mut seen = std::collections::HashSet::new();
    for spec in COMMANDS {
        for name in std::iter::once(&spec.name).chain(spec.aliases) {
            assert!(seen.insert(*name), "/{name} is registered twice");
            assert!((1..=32).contains(&name.len()), "{name}");
            assert!(name.bytes().all(|b| b.is_ascii_lowercase()), "{name}");
            let command = parsed(&format!("/{name}"));
            assert_eq!(command.name(), spec.name, "/{name}");
            assert!(command.spec().is_some_and(|s| std::ptr::eq(s, spec)));
        }
    }
}

#[test]
fn registry_arguments_reach_the_command_and_decide_the_admin_rule() {
    for spec in COMMANDS.iter().filter(|s| !s.args.is_empty()) {
        let command = parsed(&format!("/{} x", spec.name));
        assert!(command.has_args(), "/{} x keeps its word", spec.name);
        assert_eq!(
            command.changes_settings(),
            spec.settings,
            "/{} x",
            spec.name
        );
        assert!(!parsed(&format!("/{}", spec.name)).changes_settings());
        let misused = parsed(&format!("/{} x y", spec.name));
        let refused = matches!(misused, Command::Misused { name } if name == spec.name);
        assert_eq!(refused, spec.arity == Arity::One, "/{} x y", spec.name);
    }
}

#[test]
fn registry_usage_lines_are_the_text_forms() {
    let usage = |name| find(name).unwrap().usage();
    assert_eq!(usage("ask"), "/ask [tag]");
    assert_eq!(usage("answer"), "/answer [id]");
    assert_eq!(usage("lang"), "/lang zh|en");
    assert_eq!(find("tags").unwrap().name, "topics");
    assert_eq!(find("language").unwrap().name, "lang");
}

#[test]
fn registry_menus_fit_telegram_rules_and_list_settings_to_admins_only() {
    for lang in Lang::all() {
        let everyone = menu(lang, false);
        let admins = menu(lang, true);
        for (command, description) in &admins {
            assert!(command.len() <= 32 && command.bytes().all(|b| b.is_ascii_lowercase()));
            assert!((1..=256).contains(&description.chars().count()));
        }
        for spec in on(Platform::Telegram).filter(|s| s.listed) {
            assert!(admins.iter().any(|(c, _)| *c == spec.name), "{}", spec.name);
            let listed = everyone.iter().any(|(c, _)| *c == spec.name);
            assert_eq!(listed, !spec.settings, "{}", spec.name);
        }
        assert!(admins.iter().all(|(c, _)| *c != "start"));
    }
}

#[test]
fn registry_help_lists_every_listed_command_of_its_platform() {
    let platforms = [Platform::Telegram, Platform::Discord, Platform::Console];
    for (lang, platform) in Lang::all()
        .into_iter()
        .flat_map(|l| platforms.map(|p| (l, p)))
    {
        let help = i18n::help(lang, 7, platform);
        for spec in COMMANDS.iter().filter(|s| s.listed && s.name != "help") {
            let line = format!("\n/{} ", spec.name);
            assert_eq!(
                help.contains(&line),
                spec.platforms.has(platform),
                "/help in {lang:?} on {platform:?} and /{}",
                spec.name
            );
        }
    }
    assert!(!i18n::help(Lang::En, 7, Platform::Console).contains("/suggest"));
}

/// `/help` from the registry says word for word what the hand-written
/// text said before the registry.
#[test]
fn registry_help_is_unchanged() {
    assert_eq!(
        i18n::help(Lang::Zh, 42, Platform::Telegram),
        "我是学习机器人：每天推送一道面试题，按时或按需公布答案与解析。题库共 42 题。\n\n\
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
         /suggest — 为本群自己的题库出一道题（填写表单，审核后加入）；/suggest status 查看结果\n\
         /forget — 删除我保存的关于你的一切（私聊）\n\n\
         公布答案后点“忘了/模糊/记得/简单”给自己打分，题目会按记忆规律（FSRS）进入你的复习。\
         群组中只有管理员可以修改设置。"
    );
    assert_eq!(
        i18n::help(Lang::En, 1, Platform::Telegram),
        "I am a study bot: a question of the day, and its answer and analysis on time or on request. \
         The bank has 1 questions.\n\n\
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
         /suggest — suggest a question for the group's own deck (you fill in a form; moderators approve it); /suggest status shows the outcomes\n\
         /forget — delete everything kept about you (in private)\n\n\
         After a reveal, rate yourself (Again / Hard / Good / Easy): the question joins your own spaced review (FSRS). \
         In groups only administrators change settings."
    );
}
