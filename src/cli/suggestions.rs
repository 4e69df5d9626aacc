//! `studybot suggestions`: the moderation queue at the terminal, pending
//! first (oldest first, the order to work through them), then the latest
//! decided. Read-only: decisions are made in the chat, where the suggester
//! is told.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use studybot::config::Settings;
use studybot::store::{Store, SuggestionRow, SuggestionState, redacted};

/// Lists at most `limit` suggestions from `$STUDYBOT_DATABASE`.
pub fn suggestions(limit: u32) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    if let Some(file) = missing_sqlite_file(&settings.database) {
        anyhow::bail!(
            "there is no database at {}: run the bot first, or point STUDYBOT_DATABASE at its database",
            file.display()
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let rows = runtime.block_on(async {
        let store = Store::open(&settings.database).await?;
        let rows = store.suggestion_queue(limit).await;
        store.close().await;
        rows
    })?;
    if rows.is_empty() {
        println!("no suggestions in {}", redacted(&settings.database));
    }
    for row in &rows {
        print!("{}", describe(row));
    }
    Ok(ExitCode::SUCCESS)
}

/// An SQLite database file that does not exist (opening it would create
/// an empty one and list nothing, hiding a wrong path).
fn missing_sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let path = PathBuf::from(path);
    (!path.exists()).then_some(path)
}

fn when(at: i64) -> String {
    let at = jiff::Timestamp::from_second(at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// One suggestion: a head line, its chat and author, the question's first
/// line, a near-duplicate, the decision.
fn describe(row: &SuggestionRow) -> String {
    let chat = row.chat_title.as_deref().unwrap_or("-");
    let first = row.text.question.lines().next().unwrap_or("");
    let mut text = format!(
        "#{} {} {}\n  chat: {chat} ({}), from: {} ({})\n  Q: {first}\n",
        row.id,
        row.state.as_str(),
        when(row.created_at),
        row.chat_id,
        row.person_name,
        row.person,
    );
    if let Some(near) = &row.near {
        text.push_str(&format!("  near-duplicate: {near}\n"));
    }
    let by = row.moderator_name.as_deref().unwrap_or("-");
    match row.state {
        SuggestionState::Pending => {}
        SuggestionState::Approved => {
            let id = row.question_id.as_deref().unwrap_or("-");
            text.push_str(&format!("  approved by {by} as {id}\n"));
        }
        SuggestionState::Rejected => {
            let reason = row.reason.as_deref().unwrap_or("");
            text.push_str(&format!("  rejected by {by}: {reason}\n"));
        }
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_named_sqlite_file_that_is_not_there_is_missing() {
        assert_eq!(missing_sqlite_file("postgres://u@h/db"), None);
        assert_eq!(missing_sqlite_file("sqlite::memory:"), None);
        let missing = missing_sqlite_file("sqlite:///no/such/dir/bot.db?mode=rwc");
        assert_eq!(missing, Some(PathBuf::from("/no/such/dir/bot.db")));
    }
}
