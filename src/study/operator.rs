//! Applying the operator's config file to the chats it lists: their plans
//! are set from the file and locked against `/daily` and `/reveal` in the
//! chat; chats no longer listed get their lock back.
//!
//! Applied at start-up and again on each reload of the file. Applying the
//! same file twice changes nothing: a plan whose parts did not change keeps
//! its first date and anchor, so a restart after today's time still posts
//! today's missed question within grace.

use jiff::Timestamp;

use super::plan_commands::{new_plan, plan_row};
use super::{Engine, Result};
use crate::config::operator::{OperatorChat, OperatorConfig};
use crate::domain::{ChatKind, Platform};
use crate::schedule::{self, PlanFilter};
use crate::store::PlanRow;

/// What one application of the file did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OperatorApplied {
    /// Chats whose plan was written (new or changed).
    pub set: usize,
    /// Chats listed whose plan was already as the file says.
    pub unchanged: usize,
    /// Chats no longer listed: their plan stays, and the chat may change
    /// it again.
    pub released: usize,
}

impl Engine {
    /// Sets the plan of every chat `config` lists (as of `now`) and locks
    /// it; releases the lock of operator plans the file no longer lists
    /// (their plans stay). The file must have been checked against the
    /// bank (`OperatorConfig::check_bank`).
    pub async fn apply_operator_chats(
        &self,
        config: &OperatorConfig,
        now: Timestamp,
    ) -> Result<OperatorApplied> {
        let mut applied = OperatorApplied::default();
        for chat in &config.chats {
            if self.apply_chat(chat, now).await? {
                applied.set += 1;
            } else {
                applied.unchanged += 1;
            }
        }
        for row in self.store.operator_plans().await? {
            if !config.chats.iter().any(|c| c.chat_id == row.chat_id) {
                self.store.release_plan(row.chat_id).await?;
                log::info!(
                    "chat {}: no longer in {}; its plan stays and the chat may change it",
                    row.chat_id,
                    config.path.display()
                );
                applied.released += 1;
            }
        }
        self.plans_changed.announce();
        Ok(applied)
    }

    /// True when the chat's plan was written.
    async fn apply_chat(&self, chat: &OperatorChat, now: Timestamp) -> Result<bool> {
        let id = chat.chat_id;
        let seconds = now.as_second();
        if self.chat_facts(id).await?.is_none() {
            let kind = match id.platform {
                Platform::Telegram if id.id > 0 => ChatKind::Private,
                _ => ChatKind::Group,
            };
            self.write_chat_seen(id, kind, None, None, seconds).await?;
        }
        let old = self.store.plan(id).await?;
        let filter = PlanFilter {
            deck: chat.deck.clone(),
            tags: chat.tags.clone(),
        };
        let days = chat.days.as_deref();
        let old_anchor = old.as_ref().and_then(|p| p.plan.days.anchor());
        let made = schedule::parse_reveal(&chat.reveal).and_then(|reveal| {
            let parts = (chat.time.as_str(), chat.zone.as_str(), days, filter, reveal);
            new_plan(parts, old_anchor, now)
        });
        let plan = match made {
            Ok(plan) => plan,
            Err(e) => {
                // Checked when the file was read; only a vanished zone.
                log::warn!("chat {id}: the operator's plan is unusable: {e}");
                return Ok(false);
            }
        };
        let thread_id = old.as_ref().and_then(|p| p.thread_id);
        let row = PlanRow {
            paused: old.as_ref().is_some_and(|p| p.paused),
            open_thread: chat.open_thread,
            ping_role: chat.ping_role,
            ..plan_row(id, &plan, thread_id, true)
        };
        if let Some(old) = old.as_ref().filter(|old| same_plan(old, &row)) {
            if !old.set_by_operator {
                let locked = PlanRow {
                    set_by_operator: true,
                    ..old.clone()
                };
                self.store.save_plan(&locked, seconds).await?;
            }
            return Ok(false);
        }
        self.store.save_plan(&row, seconds).await?;
        self.store
            .set_timezone(id, &row.plan.zone_name, seconds)
            .await?;
        log::info!(
            "chat {id}: daily plan set by the operator: {} {} {}",
            schedule::format_time(row.plan.time),
            row.plan.zone_name,
            row.plan.days.text()
        );
        Ok(true)
    }
}

/// Whether two stored plans say the same thing (who set them, the first
/// date and the anchor aside).
fn same_plan(a: &PlanRow, b: &PlanRow) -> bool {
    let (p, q) = (&a.plan, &b.plan);
    p.time == q.time
        && p.zone_name == q.zone_name
        && p.filter == q.filter
        && p.reveal == q.reveal
        && p.days.text() == q.days.text()
        && a.open_thread == b.open_thread
        && a.ping_role == b.ping_role
}
