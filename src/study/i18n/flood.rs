//! Words for a chat or a person sending commands faster than the bot may
//! answer (Telegram allows a group 20 messages a minute).

use super::Lang;

/// Some commands were skipped; said at most once a minute in a chat.
pub fn slow_down(lang: Lang, skipped: usize) -> String {
    match lang {
        Lang::Zh => {
            format!("请慢一点：命令太多，我来不及回复，已跳过 {skipped} 条。稍等片刻再发。")
        }
        Lang::En => format!(
            "Slow down, please: too many commands to answer, {skipped} skipped. Wait a moment before sending more."
        ),
    }
}

/// A report past the day's cap: stored, not sent to the operators now.
pub fn reports_capped(lang: Lang, per_day: u32) -> String {
    match lang {
        Lang::Zh => format!(
            "谢谢！你今天已经向管理员发送了 {per_day} 条反馈，这一条已保存，管理员稍后会看到。"
        ),
        Lang::En => format!(
            "Thanks! You have sent the operators {per_day} reports today; this one is saved and they will see it later."
        ),
    }
}
