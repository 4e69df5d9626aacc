//! `/remind` and `/digest`: the two nudges a learner and a group opt in to.
//!
//! `/remind HH:MM [zone]` asks for a private message on days when the
//! person has cards due; the zone given becomes the person's own, so their
//! streaks count their days too (`/remind zone <zone>` sets only the zone).
//! `/digest <day> HH:MM` (administrators) has the group's week posted every
//! week. Both are sent by the daily driver (`nudge_due`), exactly once.

use super::i18n::nudge as words;
use super::i18n::plan as plan_words;
use super::review::person_of;
use super::{Engine, Incoming, Lang, Reply, Result, i18n};
use crate::domain::{ChatKind, PersonId, Platform};
use crate::post::{Action, Button, Post};
use crate::schedule::{self, WeeklyPlan};
use crate::store::{DigestRow, ReminderRow};

fn said(text: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: vec![Post::text(text)],
        toast: None,
        lang,
    }
}

impl Engine {
    /// `/remind`: show, set or stop the person's reminder, or set their zone.
    pub(super) async fn remind(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Reply> {
        // The bot cannot open a Discord DM on its own yet: say so, privately.
        if incoming.place.chat_id.platform == Platform::Discord {
            return Ok(Reply {
                posts: Vec::new(),
                toast: Some(words::remind_telegram_only(lang).to_string()),
                lang,
            });
        }
        let Some(person) = person_of(incoming) else {
            return Ok(said(i18n::learn::anonymous(lang), lang));
        };
        if incoming.place.kind != ChatKind::Private {
            let mut post = Post::text(words::remind_in_private(lang));
            post.buttons.push(Button {
                label: i18n::learn::open_review_button(lang).to_string(),
                action: Action::OpenReview,
            });
            return Ok(Reply {
                posts: vec![post],
                toast: None,
                lang,
            });
        }
        let lower: Vec<String> = args.iter().map(|a| a.to_lowercase()).collect();
        let text = match lower.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            [] => self.reminder_now(person, lang).await?,
            ["off"] => {
                self.store.delete_reminder(person).await?;
                self.plans_changed.announce();
                words::remind_off(lang).to_string()
            }
            ["zone", _] => self.set_zone(incoming, person, lang, &args[1]).await?,
            [_] | [_, _] => {
                self.set_reminder(incoming, person, lang, &args[0], args.get(1))
                    .await?
            }
            _ => words::remind_usage(lang).to_string(),
        };
        Ok(said(text, lang))
    }

    async fn reminder_now(&self, person: PersonId, lang: Lang) -> Result<String> {
        let zone = self.person_zone_name(person).await?;
        let text = match self.store.reminder(person).await? {
            Some(r) => words::remind_current(lang, Some(&r.time), &r.timezone),
            None => words::remind_current(lang, None, &zone),
        };
        Ok(format!("{text}\n{}", words::remind_usage(lang)))
    }

    async fn person_zone_name(&self, person: PersonId) -> Result<String> {
        Ok(self
            .store
            .person_zone(person)
            .await?
            .unwrap_or_else(|| self.config.default_zone.clone()))
    }

    async fn set_zone(
        &self,
        incoming: &Incoming,
        person: PersonId,
        lang: Lang,
        typed: &str,
    ) -> Result<String> {
        let (zone, _) = match schedule::parse_zone(typed) {
            Ok(zone) => zone,
            Err(e) => {
                return Ok(format!(
                    "{}\n{}",
                    plan_words::error(lang, &e),
                    words::remind_usage(lang)
                ));
            }
        };
        let now = incoming.now.as_second();
        self.store.set_person_zone(person, &zone, now).await?;
        if let Some(reminder) = self.store.reminder(person).await? {
            let moved = ReminderRow {
                timezone: zone.clone(),
                ..reminder
            };
            self.store.save_reminder(&moved, now).await?;
            self.plans_changed.announce();
        }
        Ok(words::zone_set(lang, &zone))
    }

    async fn set_reminder(
        &self,
        incoming: &Incoming,
        person: PersonId,
        lang: Lang,
        time: &str,
        zone: Option<&String>,
    ) -> Result<String> {
        let zone = match zone {
            Some(typed) => typed.clone(),
            None => self.person_zone_name(person).await?,
        };
        let checked =
            schedule::parse_time(time).and_then(|t| Ok((t, schedule::parse_zone(&zone)?)));
        let (time, (zone, _)) = match checked {
            Ok(parts) => parts,
            Err(e) => {
                return Ok(format!(
                    "{}\n{}",
                    plan_words::error(lang, &e),
                    words::remind_usage(lang)
                ));
            }
        };
        let now = incoming.now.as_second();
        self.store.set_person_zone(person, &zone, now).await?;
        let row = ReminderRow {
            person,
            chat_id: incoming.place.chat_id,
            time: schedule::format_time(time),
            timezone: zone,
        };
        self.store.save_reminder(&row, now).await?;
        self.plans_changed.announce();
        Ok(words::remind_set(lang, &row.time, &row.timezone))
    }

    /// `/digest`: show, set or stop the chat's weekly digest.
    pub(super) async fn digest(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let place = &incoming.place;
        if place.kind == ChatKind::Private {
            return Ok(vec![Post::text(words::digest_in_groups(lang))]);
        }
        match args {
            [] => self.settings(incoming, lang).await,
            [off] if off.eq_ignore_ascii_case("off") => {
                self.store.delete_digest(place.chat_id).await?;
                self.plans_changed.announce();
                Ok(vec![Post::text(words::digest_off(lang))])
            }
            [day, time] => {
                let chat = self.store.chat(place.chat_id).await?;
                let zone = chat
                    .and_then(|c| c.timezone)
                    .unwrap_or_else(|| self.config.default_zone.clone());
                let plan = match WeeklyPlan::from_parts(day, time, &zone) {
                    Ok(plan) => plan,
                    Err(e) => {
                        let text = format!(
                            "{}\n{}",
                            plan_words::error(lang, &e),
                            words::digest_usage(lang)
                        );
                        return Ok(vec![Post::text(text)]);
                    }
                };
                let row = DigestRow {
                    chat_id: place.chat_id,
                    weekday: i64::from(plan.weekday.to_monday_one_offset()),
                    time: schedule::format_time(plan.time),
                    timezone: plan.zone_name,
                    thread_id: place.thread_id,
                };
                self.store
                    .save_digest(&row, incoming.now.as_second())
                    .await?;
                self.plans_changed.announce();
                self.settings_with(incoming, lang, plan_words::saved(lang))
                    .await
            }
            _ => Ok(vec![Post::text(words::digest_usage(lang))]),
        }
    }
}
