//! Words for `/suggest`: the private form, the moderators' queue, and the
//! outcome the suggester hears.

use super::{Lang, pick};
use crate::domain::Platform;

/// Which part of a suggestion a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Question,
    Answer,
    Analysis,
    Tags,
}

pub fn part_name(lang: Lang, part: Part) -> &'static str {
    match part {
        Part::Question => pick(lang, "问题", "question"),
        Part::Answer => pick(lang, "答案", "answer"),
        Part::Analysis => pick(lang, "解析", "analysis"),
        Part::Tags => pick(lang, "标签", "tags"),
    }
}

pub fn open_in_private(lang: Lang) -> &'static str {
    pick(
        lang,
        "为本群自己的题库出一道题：点下面的按钮，我会在私聊里一步步问你。",
        "Suggest a question for this group's own deck: press the button and I will ask for it step by step in a private chat.",
    )
}

pub fn open_label(lang: Lang) -> &'static str {
    pick(lang, "出一道题", "Suggest a question")
}

pub fn open_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "请在私聊中打开机器人，然后在群里再发一次 /suggest。",
        "Open a private chat with the bot, then send /suggest in the group again.",
    )
}

pub fn closed(lang: Lang) -> &'static str {
    pick(
        lang,
        "这里还不能出题：机器人的运营者没有指定审核人（STUDYBOT_ADMINS）。",
        "Suggestions are closed here: the bot's operator has named no moderators (STUDYBOT_ADMINS).",
    )
}

pub fn private_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "在群里发 /suggest，为那个群的题库出题。/suggest status 查看你出过的题的结果。",
        "Send /suggest in a group to suggest a question for that group's deck. /suggest status shows what became of yours.",
    )
}

pub fn unknown_chat(lang: Lang) -> &'static str {
    pick(
        lang,
        "这个链接指向一个我不认识（或已离开）的群。请在群里再发一次 /suggest。",
        "This link is for a chat I do not know (or have left). Send /suggest in the group again.",
    )
}

pub fn capped(lang: Lang, per_day: u32) -> String {
    match lang {
        Lang::Zh => format!("你今天已经出了 {per_day} 道题，达到每天的上限。明天再来吧！"),
        Lang::En => format!(
            "You have suggested {per_day} questions today, the most a day allows. Try again tomorrow!"
        ),
    }
}

pub fn intro(lang: Lang, chat: &str) -> String {
    match lang {
        Lang::Zh => format!("为「{chat}」的题库出一道题。随时发 /cancel 取消。"),
        Lang::En => {
            format!("A question for the deck of “{chat}”. Send /cancel at any time to stop.")
        }
    }
}

/// The prompt of each step; the person replies to it.
pub fn step_prompt(lang: Lang, part: Part) -> &'static str {
    match part {
        Part::Question => pick(
            lang,
            "1/4 请回复这条消息，写下问题。",
            "1/4 Reply to this message with the question.",
        ),
        Part::Answer => pick(
            lang,
            "2/4 请回复这条消息，写下答案（可用 Markdown）。",
            "2/4 Reply to this message with the answer (Markdown works).",
        ),
        Part::Analysis => pick(
            lang,
            "3/4 请回复这条消息，写下解析；没有就发 /skip。",
            "3/4 Reply to this message with an analysis, or send /skip.",
        ),
        Part::Tags => pick(
            lang,
            "4/4 请回复这条消息，写下最多 5 个标签（用逗号或空格分隔）；没有就发 /skip。",
            "4/4 Reply to this message with up to 5 tags (separated by commas or spaces), or send /skip.",
        ),
    }
}

pub fn empty(lang: Lang) -> &'static str {
    pick(lang, "这一步不能为空。", "This step cannot be empty.")
}

pub fn too_long(lang: Lang, part: Part, max: usize) -> String {
    let name = part_name(lang, part);
    match lang {
        Lang::Zh => format!("{name}太长了：最多 {max} 个字符，请改短。"),
        Lang::En => format!("The {name} is too long: at most {max} characters; please shorten it."),
    }
}

pub fn too_many_tags(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Zh => format!("标签太多了：最多 {max} 个。"),
        Lang::En => format!("Too many tags: at most {max}."),
    }
}

pub fn bad_tag(lang: Lang, tag: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("标签「{tag}」不行：只能用小写字母（任何文字）、数字和 -，最长 32 字节。")
        }
        Lang::En => format!(
            "The tag “{tag}” cannot be used: only lowercase letters (any script), digits and -, at most 32 bytes."
        ),
    }
}

pub fn cannot_skip(lang: Lang) -> &'static str {
    pick(
        lang,
        "这一步不能跳过：问题和答案都是必填的。",
        "This step cannot be skipped: a question and an answer are required.",
    )
}

pub fn no_draft(lang: Lang) -> &'static str {
    pick(
        lang,
        "你现在没有正在写的题目。在群里发 /suggest 开始。",
        "You have no suggestion under way. Send /suggest in a group to start one.",
    )
}

pub fn cancelled(lang: Lang) -> &'static str {
    pick(
        lang,
        "已取消，草稿已删除。",
        "Cancelled: the draft is deleted.",
    )
}

pub fn summary_heading(lang: Lang, chat: &str) -> String {
    match lang {
        Lang::Zh => format!("你为「{chat}」出的题："),
        Lang::En => format!("Your suggestion for “{chat}”:"),
    }
}

pub fn send_label(lang: Lang) -> &'static str {
    pick(lang, "提交审核", "Send")
}

pub fn cancel_label(lang: Lang) -> &'static str {
    pick(lang, "取消", "Cancel")
}

pub fn sent(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("已提交审核（#{id}）。结果会在这里告诉你。"),
        Lang::En => format!("Sent to the moderators as #{id}. You will hear the outcome here."),
    }
}

pub fn duplicate(lang: Lang, existing: &str) -> String {
    match lang {
        Lang::Zh => format!("这道题已经在题库里了：「{existing}」。草稿保留，可以 /cancel。"),
        Lang::En => format!(
            "That question is in the deck already: “{existing}”. The draft is kept; /cancel drops it."
        ),
    }
}

pub fn approve_label(lang: Lang) -> &'static str {
    pick(lang, "通过", "Approve")
}

pub fn edit_label(lang: Lang) -> &'static str {
    pick(lang, "修改后通过", "Edit")
}

pub fn reject_label(lang: Lang) -> &'static str {
    pick(lang, "拒绝", "Reject")
}

pub fn for_moderators(lang: Lang, id: i64, chat: &str, who: &str) -> String {
    match lang {
        Lang::Zh => format!("待审核的题 #{id}，来自「{chat}」的 {who}："),
        Lang::En => format!("Suggestion #{id} for “{chat}” from {who}:"),
    }
}

pub fn near_duplicate(lang: Lang, near: &str) -> String {
    match lang {
        Lang::Zh => format!("⚠ 与已有的题相近：{near}"),
        Lang::En => format!("⚠ Close to a question already there: {near}"),
    }
}

pub fn not_moderator(lang: Lang) -> &'static str {
    pick(
        lang,
        "只有审核人才能处理出题。",
        "Only the moderators decide suggestions.",
    )
}

pub fn gone(lang: Lang) -> &'static str {
    pick(
        lang,
        "这道题已经不存在了。",
        "That suggestion no longer exists.",
    )
}

pub fn already_decided(lang: Lang, id: i64, approved: bool, by: &str) -> String {
    match (lang, approved) {
        (Lang::Zh, true) => format!("#{id} 已由 {by} 通过。"),
        (Lang::Zh, false) => format!("#{id} 已由 {by} 拒绝。"),
        (Lang::En, true) => format!("#{id} was already approved by {by}."),
        (Lang::En, false) => format!("#{id} was already rejected by {by}."),
    }
}

pub fn reason_prompt(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("请回复这条消息，写下拒绝 #{id} 的理由（出题人会看到）。"),
        Lang::En => format!(
            "Reply to this message with the reason for rejecting #{id} (the suggester will read it)."
        ),
    }
}

pub fn edit_prompt(lang: Lang, id: i64, form: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "请回复这条消息，发来改好的 #{id}，保留每行开头的标记（问题:、答案:、解析:、标签:）。改好即通过。\n\n{form}"
        ),
        Lang::En => format!(
            "Reply to this message with #{id} corrected, keeping the labels at the start of the lines (Q:, A:, Analysis:, Tags:). It is approved as you send it.\n\n{form}"
        ),
    }
}

pub fn edit_unreadable(lang: Lang) -> &'static str {
    pick(
        lang,
        "看不懂这段修改：请保留以「问题:」和「答案:」开头的行（以及需要的「解析:」「标签:」）。",
        "I could not read that: keep the lines starting “Q:” and “A:” (and “Analysis:”, “Tags:” if any).",
    )
}

pub fn approved_for_moderator(lang: Lang, id: i64, question_id: &str) -> String {
    match lang {
        Lang::Zh => format!("#{id} 已通过：题号 {question_id}，现在就能被 /ask 抽到。"),
        Lang::En => {
            format!("#{id} approved: it is {question_id} in the deck and /ask can serve it now.")
        }
    }
}

pub fn not_reloaded(lang: Lang, error: &str) -> String {
    match lang {
        Lang::Zh => format!("题已写入文件，但题库没能重新加载：{error}"),
        Lang::En => format!("The question is in the file, but the bank did not reload: {error}"),
    }
}

pub fn not_saved(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("#{id} 没能写入题库文件（见日志），仍待审核。"),
        Lang::En => {
            format!("#{id} could not be written to the deck file (see the log); it stays pending.")
        }
    }
}

pub fn rejected_for_moderator(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("#{id} 已拒绝，出题人会收到理由。"),
        Lang::En => format!("#{id} rejected; the suggester will get the reason."),
    }
}

pub fn approved_for_suggester(lang: Lang, question: &str, chat: &str) -> String {
    match lang {
        Lang::Zh => format!("你出的题「{question}」已通过，加入了「{chat}」的题库。谢谢！"),
        Lang::En => format!(
            "Your suggested question “{question}” was approved and joined the deck of “{chat}”. Thank you!"
        ),
    }
}

pub fn rejected_for_suggester(lang: Lang, question: &str, reason: &str) -> String {
    match lang {
        Lang::Zh => format!("你出的题「{question}」没有通过。理由：{reason}"),
        Lang::En => {
            format!("Your suggested question “{question}” was not accepted. Reason: {reason}")
        }
    }
}

pub fn status_empty(lang: Lang) -> &'static str {
    pick(
        lang,
        "你还没有出过题。",
        "You have not suggested anything yet.",
    )
}

pub fn status_line(lang: Lang, id: i64, state: &str, question: &str) -> String {
    let state = match (lang, state) {
        (Lang::Zh, "approved") => "已通过",
        (Lang::Zh, "rejected") => "未通过",
        (Lang::Zh, _) => "待审核",
        (Lang::En, state) => state,
    };
    format!("#{id} {state} — {question}")
}

pub fn status_reason(lang: Lang, reason: &str) -> String {
    match lang {
        Lang::Zh => format!("  理由：{reason}"),
        Lang::En => format!("  reason: {reason}"),
    }
}

/// `problem` with what to do next where the text was typed: a private
/// chat's prompt is replied to again (Telegram); a form is opened again
/// (Discord's modals, which cannot reopen themselves).
pub fn with_retry(lang: Lang, platform: Platform, problem: &str) -> String {
    let again = match platform {
        Platform::Discord => pick(
            lang,
            "请重新打开表单修改后再提交。",
            "Open the form again to correct it.",
        ),
        _ => pick(lang, "请再回复一次提示消息。", "Reply to the prompt again."),
    };
    match lang {
        Lang::Zh => format!("{problem}{again}"),
        Lang::En => format!("{problem} {again}"),
    }
}
