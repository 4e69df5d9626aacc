//! Words for rating, personal review and stats (`/review`, `/stats`).

use super::{Lang, pick};
use crate::learn::Rating;

/// A rating button's label: 忘了 / 模糊 / 记得 / 简单.
pub fn rating(lang: Lang, rating: Rating) -> &'static str {
    match rating {
        Rating::Again => pick(lang, "忘了", "Again"),
        Rating::Hard => pick(lang, "模糊", "Hard"),
        Rating::Good => pick(lang, "记得", "Good"),
        Rating::Easy => pick(lang, "简单", "Easy"),
    }
}

/// The toast after a rating: "Good, next review in 4 days".
pub fn rated(lang: Lang, rated: Rating, days: i64, replaced: bool) -> String {
    let word = rating(lang, rated);
    match (lang, replaced, days) {
        (Lang::Zh, false, _) => format!("{word}，{days} 天后复习"),
        (Lang::Zh, true, _) => format!("已改为{word}，{days} 天后复习"),
        (Lang::En, false, 1) => format!("{word}, next review tomorrow"),
        (Lang::En, false, _) => format!("{word}, next review in {days} days"),
        (Lang::En, true, 1) => format!("Changed to {word}, next review tomorrow"),
        (Lang::En, true, _) => format!("Changed to {word}, next review in {days} days"),
    }
}

/// A press from someone the platform did not name (an anonymous admin).
pub fn anonymous(lang: Lang) -> &'static str {
    pick(
        lang,
        "匿名身份无法记录个人复习。",
        "Anonymous presses cannot be kept as your own reviews.",
    )
}

/// The heading of a card served by `/review`.
pub fn review_heading(lang: Lang, due: i64) -> String {
    match lang {
        Lang::Zh => format!("复习（待复习 {due} 张）"),
        Lang::En if due == 1 => "Review (1 card due)".to_string(),
        Lang::En => format!("Review ({due} cards due)"),
    }
}

pub fn nothing_due(lang: Lang, next: &str) -> String {
    match lang {
        Lang::Zh => format!("现在没有要复习的卡片；下次复习：{next}。"),
        Lang::En => format!("Nothing due; next review on {next}."),
    }
}

pub fn no_cards(lang: Lang) -> &'static str {
    pick(
        lang,
        "你还没有复习卡片：公布答案后点“忘了/模糊/记得/简单”给自己打分，题目就会进入你的复习。",
        "You have no cards yet: after an answer is revealed, rate yourself (Again / Hard / Good / Easy) and the question joins your review.",
    )
}

pub fn all_done(lang: Lang, next: &str) -> String {
    match lang {
        Lang::Zh => format!("今天的复习完成了！下次复习：{next}。"),
        Lang::En => format!("That was the last card due. Next review on {next}."),
    }
}

/// `/review` in a group: reviews are private.
pub fn review_in_private(lang: Lang) -> &'static str {
    pick(
        lang,
        "复习是个人的：点下面的按钮，在和我的私聊里开始（或私聊我发送 /review）。",
        "Reviews are personal: tap the button to start in a private chat with me (or send me /review there).",
    )
}

pub fn open_review_button(lang: Lang) -> &'static str {
    pick(lang, "开始我的复习", "Start my review")
}

/// A press of the deep-link button where the platform cannot open links.
pub fn open_review_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "请在和我的私聊中发送 /review。",
        "Send /review in a private chat with me.",
    )
}

pub fn my_stats_heading(lang: Lang) -> &'static str {
    pick(lang, "我的学习", "My learning")
}

/// A person's own figures, one per line.
pub struct MyStats {
    pub streak: i64,
    pub longest: i64,
    pub this_week: i64,
    /// Percent of due reviews rated Good or Easy.
    pub retention: Option<u32>,
    pub due_today: i64,
    pub due_week: i64,
    pub cards: i64,
}

pub fn my_stats(lang: Lang, s: &MyStats) -> String {
    let retention = s.retention.map_or("—".to_string(), |r| format!("{r}%"));
    match lang {
        Lang::Zh => format!(
            "连续学习：{} 天（最长 {} 天）\n本周打分：{} 次\n记忆保持率：{retention}（到期复习中“记得/简单”的比例）\n今天待复习：{} 张 · 本周：{} 张\n卡片总数：{}",
            s.streak, s.longest, s.this_week, s.due_today, s.due_week, s.cards
        ),
        Lang::En => format!(
            "Streak: {} days (longest {})\nRatings this week: {}\nRetention: {retention} (due reviews rated Good or Easy)\nDue today: {} · this week: {}\nCards: {}",
            s.streak, s.longest, s.this_week, s.due_today, s.due_week, s.cards
        ),
    }
}

pub fn group_stats_heading(lang: Lang) -> &'static str {
    pick(lang, "本群本周", "This week in this group")
}

pub fn participation(lang: Lang, people: i64, ratings: i64) -> String {
    match lang {
        Lang::Zh => format!("{people} 人打分 {ratings} 次"),
        Lang::En => {
            let who = if people == 1 { "person" } else { "people" };
            let times = if ratings == 1 { "time" } else { "times" };
            format!("{people} {who} rated {ratings} {times}")
        }
    }
}

pub fn leaderboard_heading(lang: Lang) -> &'static str {
    pick(
        lang,
        "排行榜（连续天数 · 本周打分）",
        "Leaderboard (streak · ratings this week)",
    )
}

pub fn standing(lang: Lang, rank: usize, name: &str, streak: i64, ratings: i64) -> String {
    match lang {
        Lang::Zh => format!("{rank}. {name} — {streak} 天 · {ratings} 次"),
        Lang::En => format!("{rank}. {name} — {streak} d · {ratings}"),
    }
}

/// A name for someone whose platform gave none.
pub fn someone(lang: Lang) -> &'static str {
    pick(lang, "无名氏", "someone")
}

pub fn hardest_heading(lang: Lang) -> &'static str {
    pick(lang, "最难的题", "Hardest questions")
}

pub fn hardest(lang: Lang, rank: usize, title: &str, agains: i64) -> String {
    match lang {
        Lang::Zh => format!("{rank}. {title} — {agains} 次“忘了”"),
        Lang::En => format!("{rank}. {title} — {agains}× Again"),
    }
}

pub fn no_ratings_here(lang: Lang) -> &'static str {
    pick(
        lang,
        "本群还没有人打分：公布答案后点“忘了/模糊/记得/简单”。",
        "Nobody has rated here yet: after a reveal, press Again / Hard / Good / Easy.",
    )
}

pub fn stats_footer(lang: Lang) -> &'static str {
    pick(
        lang,
        "私聊我发送 /review 复习自己的卡片；/stats hide 退出排行榜。",
        "Send me /review in private for your own cards; /stats hide leaves the leaderboard.",
    )
}

pub fn hidden(lang: Lang, hidden: bool) -> &'static str {
    if hidden {
        pick(
            lang,
            "你已退出排行榜（/stats show 重新加入）。",
            "You are off the leaderboard (/stats show brings you back).",
        )
    } else {
        pick(lang, "你已回到排行榜。", "You are back on the leaderboard.")
    }
}

pub fn stats_usage(lang: Lang) -> &'static str {
    pick(
        lang,
        "用法：/stats，/stats hide（退出排行榜）或 /stats show",
        "Usage: /stats, /stats hide (leave the leaderboard) or /stats show",
    )
}

pub fn forget_in_private(lang: Lang) -> &'static str {
    pick(
        lang,
        "为保护隐私，请在和我的私聊中发送 /forget。",
        "For your privacy, send /forget in a private chat with me.",
    )
}

pub fn forget_ask(lang: Lang) -> &'static str {
    pick(
        lang,
        "这将删除我保存的关于你的一切：所有打分、复习卡片、问题报告、名字、时区与排行榜设置。无法撤销。",
        "This deletes everything I keep about you: all ratings, review cards, problem reports, your name, zone and leaderboard choice. It cannot be undone.",
    )
}

pub fn forget_button(lang: Lang) -> &'static str {
    pick(lang, "确认删除", "Yes, delete it all")
}

pub fn forgotten(lang: Lang, ratings: u64, cards: u64, profile: bool) -> String {
    if ratings == 0 && cards == 0 && !profile {
        return pick(
            lang,
            "我没有保存关于你的任何数据。",
            "Nothing was stored about you.",
        )
        .to_string();
    }
    match lang {
        Lang::Zh => format!("已删除：{ratings} 条打分、{cards} 张卡片，以及你的名字与设置。"),
        Lang::En => {
            format!("Deleted: {ratings} ratings, {cards} cards, and your name and settings.")
        }
    }
}
