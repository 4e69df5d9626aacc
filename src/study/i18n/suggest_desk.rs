//! Words for `/suggest` where a server's own channel moderates (Discord):
//! naming that channel, the form sent whole, and the decisions as the
//! channel sees them.

use super::{Lang, pick};

pub fn server_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "请在服务器的频道里使用 /suggest：题目会加入那个频道的题库。",
        "Use /suggest in a server's channel: the question joins that channel's deck.",
    )
}

pub fn not_open(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个服务器还没有开放出题：需要有“管理服务器”权限的成员在审核频道里发 /suggest moderation:here。",
        "Suggestions are not open in this server yet: a member with Manage Server opens them by sending /suggest moderation:here in the channel where suggestions should be moderated.",
    )
}

pub fn admins_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "只有拥有“管理服务器”权限的成员才能指定审核频道。",
        "Only members with Manage Server name the moderation channel.",
    )
}

pub fn desk_named(lang: Lang) -> &'static str {
    pick(
        lang,
        "好的：本服务器的出题会发到这个频道审核，拥有“管理服务器”权限的成员可以通过、修改或拒绝。/suggest moderation:off 关闭出题。",
        "Done: this server's suggestions come to this channel, where members with Manage Server approve, edit or reject them. /suggest moderation:off closes suggestions.",
    )
}

pub fn desk_closed(lang: Lang, was_open: bool) -> &'static str {
    match was_open {
        true => pick(
            lang,
            "已关闭本服务器的出题。",
            "Suggestions are closed in this server.",
        ),
        false => pick(
            lang,
            "本服务器的出题本来就没有开放。",
            "Suggestions were not open in this server.",
        ),
    }
}

pub fn unknown_word(lang: Lang, word: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "看不懂「{word}」：/suggest 打开出题表单；status 查看结果；moderation:here 或 moderation:off（管理员）。"
        ),
        Lang::En => format!(
            "“{word}” is not something /suggest takes: /suggest alone opens the form; status shows outcomes; moderation:here or moderation:off (Manage Server)."
        ),
    }
}

/// The form's title (Discord: at most 45 characters).
pub fn form_title(lang: Lang) -> &'static str {
    pick(
        lang,
        "为本频道题库出一道题",
        "Suggest a question for this deck",
    )
}

pub fn edit_title(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("修改并通过 #{id}"),
        Lang::En => format!("Edit and approve #{id}"),
    }
}

pub fn reject_title(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("拒绝 #{id}"),
        Lang::En => format!("Reject #{id}"),
    }
}

pub fn reason_label(lang: Lang) -> &'static str {
    pick(
        lang,
        "理由（出题人会看到）",
        "Reason (the suggester reads it)",
    )
}

pub fn optional(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("{name}（可选）"),
        Lang::En => format!("{name} (optional)"),
    }
}

pub fn tags_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "最多 5 个，用逗号或空格分隔",
        "up to 5, separated by commas or spaces",
    )
}

pub fn queued(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("已提交审核（#{id}）。结果会私信告诉你。"),
        Lang::En => format!("Sent to the moderators as #{id}. You will hear the outcome in a DM."),
    }
}

pub fn duplicate(lang: Lang, existing: &str) -> String {
    match lang {
        Lang::Zh => format!("这道题已经在题库里了：「{existing}」。"),
        Lang::En => format!("That question is in the deck already: “{existing}”."),
    }
}

pub fn approved_by(lang: Lang, id: i64, by: &str, question_id: &str) -> String {
    match lang {
        Lang::Zh => format!("#{id} 已由 {by} 通过：题号 {question_id}，现在就能被 /ask 抽到。"),
        Lang::En => {
            format!("#{id} approved by {by}: it is {question_id} and /ask can serve it now.")
        }
    }
}

pub fn rejected_by(lang: Lang, id: i64, by: &str, reason: &str) -> String {
    match lang {
        Lang::Zh => format!("#{id} 已由 {by} 拒绝，理由：{reason}"),
        Lang::En => format!("#{id} rejected by {by}. Reason: {reason}"),
    }
}

pub fn form_late(lang: Lang) -> &'static str {
    pick(
        lang,
        "这次打开表单太慢了，请再试一次。",
        "The form took too long to open: please try again.",
    )
}

pub fn settings_open(lang: Lang, channel: &str) -> String {
    match lang {
        Lang::Zh => format!("出题审核：{channel}"),
        Lang::En => format!("Suggestions moderated in: {channel}"),
    }
}

pub fn settings_closed(lang: Lang) -> &'static str {
    pick(
        lang,
        "出题：未开放（管理员在审核频道发 /suggest moderation:here）",
        "Suggestions: closed (/suggest moderation:here in the moderation channel, Manage Server)",
    )
}
