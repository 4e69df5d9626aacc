//! A plan's columns hold text (`09:00`, `Asia/Shanghai`, `at 21:00`,
//! `every 2 days`, `2026-11-30`). The store reads them into `schedule`'s
//! types once, when a row is loaded, and writes a typed plan back as the
//! same text, so the engine never parses a stored plan. A row that does not
//! read (a database edited by hand, or written by a future version) never
//! leaves the store: readers skip it, and `take_due_plans` parks it
//! (`due::PARKED`) until the plan is saved again.

use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::chat_from_row;
use super::plans::PlanRow;
use crate::domain::ChatId;
use crate::schedule::{self, DailyPlan, PlanFilter};

/// A plan's text columns, as stored.
pub(super) struct PlanText {
    pub post_time: String,
    pub timezone: String,
    pub tag: Option<String>,
    pub reveal: String,
    pub days: String,
    pub anchor: Option<String>,
    pub starts_on: Option<String>,
    pub deck: Option<String>,
}

/// A stored plan whose text does not read, and why.
#[derive(Debug)]
pub(super) struct BadPlan {
    pub chat_id: ChatId,
    pub reason: String,
}

impl PlanText {
    /// The text the columns hold for `plan`.
    pub fn of(plan: &DailyPlan) -> PlanText {
        PlanText {
            post_time: schedule::format_time(plan.time),
            timezone: plan.zone_name.clone(),
            tag: plan.filter.tags_text(),
            reveal: schedule::format_reveal(&plan.reveal),
            days: plan.days.text(),
            anchor: plan.days.anchor().map(|d| d.to_string()),
            starts_on: plan.starts_on.map(|d| d.to_string()),
            deck: plan.filter.deck.clone(),
        }
    }

    fn from_row(r: &AnyRow) -> PlanText {
        PlanText {
            post_time: r.get("post_time"),
            timezone: r.get("timezone"),
            tag: r.get("tag"),
            reveal: r.get("reveal"),
            days: r.get("days"),
            anchor: r.get("anchor"),
            starts_on: r.get("starts_on"),
            deck: r.get("deck"),
        }
    }

    /// The plan this text says; an error names the part that does not read.
    fn plan(self) -> Result<DailyPlan, String> {
        let filter = PlanFilter::with_tags_text(self.deck, self.tag.as_deref());
        let reveal = reveal_text(&self.reveal);
        let mut plan = DailyPlan::from_parts(&self.post_time, &self.timezone, filter, &reveal)
            .map_err(|e| e.to_string())?;
        let anchor = date(self.anchor.as_deref())?.unwrap_or(Date::MIN);
        plan.days = schedule::parse_days(&self.days, anchor).map_err(|e| e.to_string())?;
        plan.starts_on = date(self.starts_on.as_deref())?;
        Ok(plan)
    }
}

/// The reveal as `schedule` reads it. Early releases stored `at HH:MM` and
/// `after MINUTES`; today's text (`21:00`, `6h`, `off`) passes unchanged.
fn reveal_text(stored: &str) -> String {
    let text = stored.trim();
    if let Some(time) = text.strip_prefix("at ") {
        return time.to_string();
    }
    match text.strip_prefix("after ") {
        Some(minutes) if !minutes.is_empty() && minutes.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{minutes}m")
        }
        _ => text.to_string(),
    }
}

fn date(text: Option<&str>) -> Result<Option<Date>, String> {
    text.map(|t| t.parse().map_err(|_| format!("`{t}` is not a date")))
        .transpose()
}

/// The typed plan in a row read with `PLAN_COLUMNS`.
pub(super) fn plan_from_row(r: &AnyRow) -> Result<PlanRow, BadPlan> {
    let chat_id = chat_from_row(r, "chat_id");
    let plan = PlanText::from_row(r)
        .plan()
        .map_err(|reason| BadPlan { chat_id, reason })?;
    Ok(PlanRow {
        chat_id,
        plan,
        thread_id: r.get("thread_id"),
        paused: r.get::<i64, _>("paused") != 0,
        set_by_operator: r.get::<i64, _>("set_by_operator") != 0,
        open_thread: r.get::<i64, _>("open_thread") != 0,
        ping_role: r.get("ping_role"),
    })
}

/// The plans in `rows` that read, and the chats whose plan does not (each
/// logged).
pub(super) fn read_plans(rows: &[AnyRow]) -> (Vec<PlanRow>, Vec<ChatId>) {
    let mut plans = Vec::with_capacity(rows.len());
    let mut bad = Vec::new();
    for row in rows {
        match plan_from_row(row) {
            Ok(plan) => plans.push(plan),
            Err(BadPlan { chat_id, reason }) => {
                log::warn!("chat {chat_id}: stored plan does not read, left alone: {reason}");
                bad.push(chat_id);
            }
        }
    }
    (plans, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::Store;
    use crate::store::testing::each_store;

    const GOOD: ChatId = ChatId::telegram(1);
    const BAD: ChatId = ChatId::telegram(2);

    async fn two_plans(store: &Store) {
        for chat in [GOOD, BAD] {
            store
                .upsert_chat(chat, ChatKind::Private, None, 0)
                .await
                .unwrap();
            let plan = PlanRow::every_day(chat, "09:00", "UTC").unwrap();
            store.save_plan(&plan, 0).await.unwrap();
        }
    }

    /// Edits `BAD`'s row as a person or a future version might.
    async fn spoil(store: &Store, column: &str, text: &str) {
        sqlx::query(&format!(
            "UPDATE plans SET {column} = $1 WHERE chat_id = $2 AND platform = 'telegram'"
        ))
        .bind(text)
        .bind(BAD.id)
        .execute(store.pool())
        .await
        .unwrap();
    }

    fn chats(plans: &[PlanRow]) -> Vec<ChatId> {
        plans.iter().map(|p| p.chat_id).collect()
    }

    #[tokio::test]
    async fn a_row_that_does_not_read_is_parked_not_taken_in_a_loop() {
        each_store(async |store| {
            two_plans(&store).await;
            spoil(&store, "timezone", "Mars/Olympus_Mons").await;
            let taken = store.take_due_plans(100, 10, None, 160).await.unwrap();
            assert_eq!(chats(&taken), vec![GOOD]);
            // The engine stores the good plan's next instant; the bad one is
            // parked: never due again, and the driver does not wake for it.
            store.set_next_due(GOOD, 5_000).await.unwrap();
            assert_eq!(store.earliest_due(None).await.unwrap(), Some(5_000));
            let later = store.take_due_plans(4_999, 10, None, 0).await.unwrap();
            assert_eq!(chats(&later), Vec::<ChatId>::new());
            // Saving the plan again brings it back.
            let repaired = PlanRow::every_day(BAD, "10:00", "UTC").unwrap();
            store.save_plan(&repaired, 1).await.unwrap();
            let taken = store.take_due_plans(100, 10, None, 160).await.unwrap();
            assert_eq!(chats(&taken), vec![BAD]);
        })
        .await;
    }

    #[tokio::test]
    async fn readers_skip_a_row_that_does_not_read() {
        for (column, text) in [
            ("post_time", "9 o'clock"),
            ("reveal", "whenever"),
            ("days", "every 99 days"),
            ("anchor", "someday"),
            ("starts_on", "2026-13-40"),
        ] {
            each_store(async |store| {
                two_plans(&store).await;
                spoil(&store, column, text).await;
                assert_eq!(chats(&store.running_plans().await.unwrap()), vec![GOOD]);
                assert_eq!(
                    chats(&store.due_plans(100, 10, None).await.unwrap()),
                    [GOOD]
                );
                assert_eq!(store.plan(BAD).await.unwrap(), None, "{column}");
                assert!(store.plan(GOOD).await.unwrap().is_some());
            })
            .await;
        }
    }

    #[tokio::test]
    async fn an_early_releases_reveal_text_still_reads() {
        each_store(async |store| {
            two_plans(&store).await;
            for (stored, written) in [("after 360", "6h"), ("at 22:00", "22:00")] {
                spoil(&store, "reveal", stored).await;
                let read = store.plan(BAD).await.unwrap().expect(stored);
                assert_eq!(PlanText::of(&read.plan).reveal, written);
            }
        })
        .await;
    }

    #[tokio::test]
    async fn a_plan_is_written_as_the_text_it_is_read_from() {
        each_store(async |store| {
            two_plans(&store).await;
            spoil(&store, "days", "every 3 days").await;
            spoil(&store, "anchor", "2026-11-30").await;
            spoil(&store, "reveal", "1h30m").await;
            spoil(&store, "tag", "verbs,nouns").await;
            let read = store.plan(BAD).await.unwrap().unwrap();
            let text = PlanText::of(&read.plan);
            assert_eq!(
                (text.post_time.as_str(), text.timezone.as_str()),
                ("09:00", "UTC")
            );
            assert_eq!(
                (text.days.as_str(), text.anchor.as_deref()),
                ("every 3 days", Some("2026-11-30"))
            );
            assert_eq!(text.reveal, "1h30m");
            assert_eq!(text.tag.as_deref(), Some("verbs,nouns"));
            store.save_plan(&read, 1).await.unwrap();
            assert_eq!(store.plan(BAD).await.unwrap(), Some(read));
        })
        .await;
    }
}
