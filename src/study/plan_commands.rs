//! `/daily`, `/reveal` and `/settings`: a chat's plan, set and shown in its
//! own language and local time.

use jiff::Timestamp;
use jiff::civil::Date;

use super::i18n::plan::{self as words, Label};
use super::{Engine, Incoming, Lang, Result, plan_args};
use crate::domain::{ChatId, Platform};
use crate::post::{Block, Post};
use crate::schedule::{self, DailyPlan, Days, PlanFilter, RevealDescription, RevealRule};
use crate::store::{LedgerKind, LedgerState, PlanRow};

/// `2026-11-30 09:00` in the plan's zone.
fn local(plan: &DailyPlan, at: Timestamp) -> String {
    let dt = plan.zone.to_datetime(at);
    format!("{} {}", dt.date(), schedule::format_time(dt.time()))
}

/// `plan` as stored for `chat_id`, set in the chat or by the operator, no
/// Discord thread or ping.
pub(super) fn plan_row(
    chat_id: ChatId,
    plan: &DailyPlan,
    thread_id: Option<i64>,
    set_by_operator: bool,
) -> PlanRow {
    PlanRow {
        thread_id,
        set_by_operator,
        ..PlanRow::new(chat_id, plan.clone())
    }
}

/// The plan `time`, `zone`, `days` (as typed), `filter` and `reveal` make
/// when set at `now`: "every N days" keeps the anchor of the plan it
/// replaces (`old_anchor`) or counts from today; a plan whose time today
/// has passed starts on its next matching date.
pub(crate) fn new_plan(
    parts: (&str, &str, Option<&str>, PlanFilter, RevealRule),
    old_anchor: Option<Date>,
    now: Timestamp,
) -> std::result::Result<DailyPlan, schedule::ScheduleError> {
    let (time, zone, days, filter, reveal) = parts;
    let (zone_name, zone) = schedule::parse_zone(zone)?;
    let mut plan = DailyPlan {
        time: schedule::parse_time(time)?,
        zone,
        zone_name,
        filter,
        reveal,
        days: Days::Every,
        starts_on: None,
    };
    let anchor = old_anchor.unwrap_or_else(|| schedule::local_date(&plan, now));
    plan.days = schedule::parse_days(days.unwrap_or("daily"), anchor)?;
    plan.starts_on = Some(plan.first_date_if_set_at(now));
    Ok(plan)
}

/// Discord's thread and ping lines of `/settings`.
fn discord_lines(lang: Lang, row: &PlanRow) -> [String; 2] {
    let ping = match row.ping_role {
        Some(role) => format!("<@&{role}>"),
        None => words::off(lang).to_string(),
    };
    [
        words::line(lang, Label::Thread, words::on_off(lang, row.open_thread)),
        words::line(lang, Label::Ping, &ping),
    ]
}

impl Engine {
    pub(super) async fn daily(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        if args.is_empty() {
            return self.settings(incoming, lang).await;
        }
        let old = self.store.plan(chat_id).await?;
        if old.as_ref().is_some_and(|p| p.set_by_operator) {
            return Ok(vec![Post::text(words::operator_locked(lang))]);
        }
        match args {
            [off] if off.eq_ignore_ascii_case("off") => {
                self.store.delete_plan(chat_id).await?;
                self.plans_changed.announce();
                return Ok(vec![Post::text(words::stopped(lang))]);
            }
            _ if args.len() > 8 => return Ok(vec![Post::text(words::daily_usage(lang))]),
            _ => {}
        }
        let extras = match plan_args::daily_extras(&self.bank(), lang, &args[1..]) {
            Ok(extras) => extras,
            Err(message) => return Ok(vec![Post::text(message)]),
        };
        if extras.has_discord_words() && chat_id.platform != Platform::Discord {
            return Ok(vec![Post::text(words::discord_only(lang))]);
        }
        // Unless given again, the thread and the ping stay as they were.
        let open_thread = extras
            .open_thread
            .unwrap_or(old.as_ref().is_some_and(|p| p.open_thread));
        let ping_role = extras
            .ping_role
            .unwrap_or(old.as_ref().and_then(|p| p.ping_role));
        let chat = self.store.chat(chat_id).await?;
        let zone = extras
            .zone
            .or_else(|| chat.and_then(|c| c.timezone).map(|z| z.name))
            .unwrap_or_else(|| self.config.default_zone.clone());
        let reveal = old.as_ref().map_or(RevealRule::Off, |p| p.plan.reveal);
        let old_anchor = old.as_ref().and_then(|p| p.plan.days.anchor());
        let parts = (
            args[0].as_str(),
            zone.as_str(),
            extras.days.as_deref(),
            extras.filter,
            reveal,
        );
        let plan = match new_plan(parts, old_anchor, incoming.now) {
            Ok(plan) => plan,
            Err(e) => {
                return Ok(vec![Post::text(format!(
                    "{}\n{}",
                    words::error(lang, &e),
                    words::daily_usage(lang)
                ))]);
            }
        };
        self.save_plan(incoming, &plan, (open_thread, ping_role))
            .await?;
        self.settings_with(incoming, lang, words::saved(lang)).await
    }

    /// Saves `plan` with Discord's `(open_thread, ping_role)`.
    async fn save_plan(
        &self,
        incoming: &Incoming,
        plan: &DailyPlan,
        (open_thread, ping_role): (bool, Option<i64>),
    ) -> Result<()> {
        let now = incoming.now.as_second();
        let row = PlanRow {
            open_thread,
            ping_role,
            ..plan_row(
                incoming.place.chat_id,
                plan,
                incoming.place.thread_id,
                false,
            )
        };
        self.store.save_plan(&row, now).await?;
        self.store
            .set_timezone(row.chat_id, &row.plan.zone_name, now)
            .await?;
        self.plans_changed.announce();
        Ok(())
    }

    pub(super) async fn reveal_rule(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let Some(row) = self.store.plan(incoming.place.chat_id).await? else {
            return Ok(vec![Post::text(words::reveal_needs_daily(lang))]);
        };
        if row.set_by_operator && !args.is_empty() {
            return Ok(vec![Post::text(words::operator_locked(lang))]);
        }
        let [rule] = args else {
            if args.is_empty() {
                return self.settings(incoming, lang).await;
            }
            return Ok(vec![Post::text(words::reveal_usage(lang))]);
        };
        let reveal = match schedule::parse_reveal(rule) {
            Ok(reveal) => reveal,
            Err(e) => {
                return Ok(vec![Post::text(format!(
                    "{}\n{}",
                    words::error(lang, &e),
                    words::reveal_usage(lang)
                ))]);
            }
        };
        let row = PlanRow {
            plan: DailyPlan { reveal, ..row.plan },
            ..row
        };
        self.store.save_plan(&row, incoming.now.as_second()).await?;
        self.plans_changed.announce();
        self.settings_with(incoming, lang, words::saved(lang)).await
    }

    pub(super) async fn settings(&self, incoming: &Incoming, lang: Lang) -> Result<Vec<Post>> {
        self.settings_with(incoming, lang, words::settings_heading(lang))
            .await
    }

    pub(super) async fn settings_with(
        &self,
        incoming: &Incoming,
        lang: Lang,
        heading: &str,
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        let chat = self.store.chat(chat_id).await?;
        let zone = chat
            .and_then(|c| c.timezone)
            .map_or_else(|| self.config.default_zone.clone(), |z| z.name);
        let mut lines = vec![
            words::line(lang, Label::Language, words::language_name(lang)),
            words::line(lang, Label::Zone, &zone),
        ];
        let row = self.store.plan(chat_id).await?;
        match &row {
            None => lines.push(words::line(lang, Label::Daily, words::off(lang))),
            Some(row) => {
                let plan_lines = self.plan_lines(chat_id, lang, &row.plan, incoming.now);
                lines.extend(plan_lines.await?);
            }
        }
        if chat_id.platform == Platform::Discord
            && let Some(row) = &row
        {
            lines.extend(discord_lines(lang, row));
        }
        if row.is_some_and(|r| r.set_by_operator) {
            lines.push(words::by_operator(lang).to_string());
        }
        lines.push(self.pin_line(chat_id, lang).await?);
        let person = super::review::person_of(incoming);
        if incoming.place.kind == crate::domain::ChatKind::Private
            && let Some(person) = person
            && let Some(r) = self.store.reminder(person).await?
        {
            let value = format!("{} ({})", schedule::format_time(r.time), r.zone_name);
            lines.push(words::line(lang, Label::Reminder, &value));
        }
        if let Some(digest) = self.store.digest(chat_id).await? {
            let time = schedule::format_time(digest.plan.time);
            let value = super::i18n::nudge::digest_value(lang, digest.plan.weekday, &time);
            lines.push(words::line(lang, Label::Digest, &value));
        }
        Ok(vec![Post::notice(vec![
            Block::Heading(heading.to_string()),
            Block::Text(lines.join("\n")),
        ])])
    }

    async fn plan_lines(
        &self,
        chat_id: ChatId,
        lang: Lang,
        plan: &DailyPlan,
        now: Timestamp,
    ) -> Result<Vec<String>> {
        let time = schedule::format_time(plan.time);
        let reveal = match schedule::describe_reveal(&plan.reveal) {
            RevealDescription::OnRequest => words::on_request(lang).to_string(),
            RevealDescription::AtLocalTime(t) => {
                let next_day = schedule::reveal_on_next_day(plan);
                words::at_time(lang, &schedule::format_time(t), next_day)
            }
            RevealDescription::AfterPost { hours, minutes } => words::after(lang, hours, minutes),
        };
        let mut lines = vec![
            words::line(
                lang,
                Label::Daily,
                &words::daily_value(lang, &time, &plan.days, &plan.filter),
            ),
            words::line(lang, Label::Reveal, &reveal),
        ];
        let (last_done, posted, revealed) = self.daily_progress(chat_id).await?;
        let next = schedule::next_post_instant(plan, now, last_done, self.config.grace).max(now);
        lines.push(words::line(lang, Label::NextPost, &local(plan, next)));
        if plan.reveal != RevealRule::Off
            && let Some(at) = schedule::pending_reveal(plan, posted, revealed)
        {
            lines.push(words::line(
                lang,
                Label::NextReveal,
                &local(plan, at.max(now)),
            ));
        }
        Ok(lines)
    }

    /// The chat's daily history as `schedule` reads it: the latest local
    /// date handled, the latest date actually posted (with when), and
    /// whether that date's answer was revealed.
    pub(super) async fn daily_progress(
        &self,
        chat_id: ChatId,
    ) -> Result<(
        Option<jiff::civil::Date>,
        Option<(jiff::civil::Date, Timestamp)>,
        bool,
    )> {
        let last = self.store.latest_entry(chat_id, LedgerKind::Post).await?;
        let last_done = last.as_ref().map(|e| e.local_date);
        let Some(entry) = last.filter(|e| e.state == LedgerState::Done) else {
            return Ok((last_done, None, false));
        };
        let ask = match entry.ask_id {
            Some(id) => self.store.ask(id).await?,
            None => None,
        };
        let Some(ask) = ask else {
            return Ok((last_done, None, false));
        };
        let date = entry.local_date;
        let posted_at = Timestamp::from_second(ask.asked_at).unwrap_or(Timestamp::UNIX_EPOCH);
        let revealed = self
            .store
            .entry(chat_id, date, LedgerKind::Reveal)
            .await?
            .is_some();
        Ok((last_done, Some((date, posted_at)), revealed))
    }
}
