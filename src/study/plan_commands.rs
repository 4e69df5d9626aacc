//! `/daily`, `/reveal` and `/settings`: a chat's plan, set and shown in its
//! own language and local time.

use jiff::Timestamp;

use super::i18n::plan::{self as words, Label};
use super::{Engine, Incoming, Lang, Result};
use crate::domain::ChatId;
use crate::post::{Block, Post};
use crate::schedule::{self, DailyPlan, RevealDescription, RevealRule};
use crate::store::{LedgerKind, LedgerState, PlanRow};

/// A plan as stored, checked again: a zone that vanished from the tz
/// database makes the plan unusable, which is logged, not fatal.
pub(super) fn plan_of(row: &PlanRow) -> Option<DailyPlan> {
    match DailyPlan::from_parts(&row.post_time, &row.timezone, row.tag.clone(), &row.reveal) {
        Ok(plan) => Some(plan),
        Err(e) => {
            log::warn!("chat {}: stored plan is unusable: {e}", row.chat_id);
            None
        }
    }
}

/// `2026-11-30 09:00` in the plan's zone.
fn local(plan: &DailyPlan, at: Timestamp) -> String {
    let dt = plan.zone.to_datetime(at);
    format!("{} {}", dt.date(), schedule::format_time(dt.time()))
}

/// What `/daily` was given after the time: a zone and/or a tag.
struct Extras {
    zone: Option<String>,
    tag: Option<String>,
}

impl Engine {
    pub(super) async fn daily(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        match args {
            [] => return self.settings(incoming, lang).await,
            [off] if off.eq_ignore_ascii_case("off") => {
                self.store.delete_plan(chat_id).await?;
                self.plans_changed.announce();
                return Ok(vec![Post::text(words::stopped(lang))]);
            }
            _ if args.len() > 3 => return Ok(vec![Post::text(words::daily_usage(lang))]),
            _ => {}
        }
        let extras = match self.daily_extras(lang, &args[1..]) {
            Ok(extras) => extras,
            Err(message) => return Ok(vec![Post::text(message)]),
        };
        let chat = self.store.chat(chat_id).await?;
        let zone = extras
            .zone
            .or_else(|| chat.and_then(|c| c.timezone))
            .unwrap_or_else(|| self.config.default_zone.clone());
        let reveal = match self.store.plan(chat_id).await? {
            Some(old) => old.reveal,
            None => "off".to_string(),
        };
        let plan = match DailyPlan::from_parts(&args[0], &zone, extras.tag, &reveal) {
            Ok(plan) => plan,
            Err(e) => {
                return Ok(vec![Post::text(format!(
                    "{}\n{}",
                    words::error(lang, &e),
                    words::daily_usage(lang)
                ))]);
            }
        };
        self.save_plan(incoming, &plan).await?;
        self.settings_with(incoming, lang, words::saved(lang)).await
    }

    /// Sorts the words after the time into a zone and a tag.
    fn daily_extras(
        &self,
        lang: Lang,
        words_given: &[String],
    ) -> std::result::Result<Extras, String> {
        let mut extras = Extras {
            zone: None,
            tag: None,
        };
        for word in words_given {
            let tag = word.to_lowercase();
            if extras.tag.is_none() && !self.bank().tagged(&tag).is_empty() {
                extras.tag = Some(tag);
                continue;
            }
            match schedule::parse_zone(word) {
                Ok((name, _)) if extras.zone.is_none() => extras.zone = Some(name),
                Err(e) if word.contains('/') || word.chars().any(|c| c.is_ascii_digit()) => {
                    return Err(words::error(lang, &e));
                }
                _ => return Err(words::unknown_word(lang, word)),
            }
        }
        Ok(extras)
    }

    async fn save_plan(&self, incoming: &Incoming, plan: &DailyPlan) -> Result<()> {
        let now = incoming.now.as_second();
        let row = PlanRow {
            chat_id: incoming.place.chat_id,
            post_time: schedule::format_time(plan.time),
            timezone: plan.zone_name.clone(),
            tag: plan.tag.clone(),
            reveal: schedule::format_reveal(&plan.reveal),
            thread_id: incoming.place.thread_id,
            paused: false,
        };
        self.store.save_plan(&row, now).await?;
        self.store
            .set_timezone(row.chat_id, &row.timezone, now)
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
        let [rule] = args else {
            if args.is_empty() {
                return self.settings(incoming, lang).await;
            }
            return Ok(vec![Post::text(words::reveal_usage(lang))]);
        };
        let plan = match DailyPlan::from_parts(&row.post_time, &row.timezone, row.tag.clone(), rule)
        {
            Ok(plan) => plan,
            Err(e) => {
                return Ok(vec![Post::text(format!(
                    "{}\n{}",
                    words::error(lang, &e),
                    words::reveal_usage(lang)
                ))]);
            }
        };
        let row = PlanRow {
            reveal: schedule::format_reveal(&plan.reveal),
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

    async fn settings_with(
        &self,
        incoming: &Incoming,
        lang: Lang,
        heading: &str,
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        let chat = self.store.chat(chat_id).await?;
        let zone = chat
            .and_then(|c| c.timezone)
            .unwrap_or_else(|| self.config.default_zone.clone());
        let mut lines = vec![
            words::line(lang, Label::Language, words::language_name(lang)),
            words::line(lang, Label::Zone, &zone),
        ];
        let plan = self
            .store
            .plan(chat_id)
            .await?
            .and_then(|row| plan_of(&row));
        match plan {
            None => lines.push(words::line(lang, Label::Daily, words::off(lang))),
            Some(plan) => lines.extend(self.plan_lines(chat_id, lang, &plan, incoming.now).await?),
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
                &words::daily_value(lang, &time, plan.tag.as_deref()),
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
        let last_done = last.as_ref().and_then(|e| e.local_date.parse().ok());
        let Some(entry) = last.filter(|e| e.state == LedgerState::Done) else {
            return Ok((last_done, None, false));
        };
        let ask = match entry.ask_id {
            Some(id) => self.store.ask(id).await?,
            None => None,
        };
        let (Some(ask), Some(date)) = (ask, last_done) else {
            return Ok((last_done, None, false));
        };
        let posted_at = Timestamp::from_second(ask.asked_at).unwrap_or(Timestamp::UNIX_EPOCH);
        let revealed = self
            .store
            .entry(chat_id, &entry.local_date, LedgerKind::Reveal)
            .await?
            .is_some();
        Ok((last_done, Some((date, posted_at)), revealed))
    }
}
