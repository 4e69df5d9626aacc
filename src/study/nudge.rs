//! `/remind` and `/digest`: the two nudges a learner and a group opt in to.
//!
//! `/remind HH:MM [zone]` asks for a private message on days when the
//! person has cards due; the zone given becomes the person's own, so their
//! streaks count their days too (`/remind zone <zone>` sets only the zone).
//! Where the bot may open a private chat itself (a Discord DM), `/remind`
//! works anywhere and the nudge goes to that chat; elsewhere (Telegram) it
//! is set in the private chat the person started.
//! `/digest <day> HH:MM` (administrators) has the group's week posted every
//! week. Both are sent by the daily driver (`nudge_due`), exactly once.

use super::i18n::nudge as words;
use super::i18n::plan as plan_words;
use super::review::person_of;
use super::{Engine, Incoming, Lang, Place, PrivateChat, Reply, Result, i18n};
use crate::domain::{ChatId, ChatKind, PersonId};
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

/// A note for the person alone (a Discord ephemeral message).
fn noted(text: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: Vec::new(),
        toast: Some(text.into()),
        lang,
    }
}

/// `/remind` in a group where the bot cannot write first (Telegram): the
/// way to the private chat, where it is set.
fn go_private(lang: Lang) -> Reply {
    let mut post = Post::text(words::remind_in_private(lang));
    post.buttons.push(Button {
        label: i18n::learn::open_review_button(lang).to_string(),
        action: Action::OpenReview,
    });
    Reply {
        posts: vec![post],
        toast: None,
        lang,
    }
}

impl Engine {
    /// `/remind`: show, set or stop the person's reminder, or set their zone.
    /// The reminder goes to the person's private chat: the one it was sent
    /// in, or the one the adapter opened (`private`); then the answer is a
    /// note for the person alone, wherever it was asked.
    pub(super) async fn remind(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
        private: Option<PrivateChat>,
    ) -> Result<Reply> {
        let Some(person) = person_of(incoming) else {
            return Ok(said(i18n::learn::anonymous(lang), lang));
        };
        let chat = match (incoming.place.kind, private) {
            (ChatKind::Private, _) => incoming.place.chat_id,
            (_, Some(PrivateChat::Opened(chat))) => {
                self.see_private_chat(incoming, chat).await?;
                chat
            }
            (_, Some(PrivateChat::Unavailable)) => {
                return Ok(noted(words::remind_no_private_chat(lang), lang));
            }
            (_, None) => return Ok(go_private(lang)),
        };
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
                let wanted = (args[0].as_str(), args.get(1));
                self.set_reminder(incoming, person, chat, lang, wanted)
                    .await?
            }
            _ => words::remind_usage(lang).to_string(),
        };
        Ok(match private {
            Some(_) => noted(text, lang),
            None => said(text, lang),
        })
    }

    /// Makes the person's private chat known (as if they had written
    /// there), so the driver may send to it and in their language.
    async fn see_private_chat(&self, incoming: &Incoming, chat: ChatId) -> Result<()> {
        let there = Incoming {
            place: Place {
                chat_id: chat,
                kind: ChatKind::Private,
                title: None,
                thread_id: None,
            },
            ..incoming.clone()
        };
        self.see_chat(&there).await.map(|_| ())
    }

    async fn reminder_now(&self, person: PersonId, lang: Lang) -> Result<String> {
        let zone = self.person_zone_name(person).await?;
        let text = match self.store.reminder(person).await? {
            Some(r) => {
                let time = schedule::format_time(r.time);
                words::remind_current(lang, Some(&time), &r.zone_name)
            }
            None => words::remind_current(lang, None, &zone),
        };
        Ok(format!("{text}\n{}", words::remind_usage(lang)))
    }

    async fn person_zone_name(&self, person: PersonId) -> Result<String> {
        Ok(self
            .store
            .person_zone(person)
            .await?
            .map_or_else(|| self.config.default_zone.clone(), |z| z.name))
    }

    async fn set_zone(
        &self,
        incoming: &Incoming,
        person: PersonId,
        lang: Lang,
        typed: &str,
    ) -> Result<String> {
        let (zone, zone_rule) = match schedule::parse_zone(typed) {
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
                zone: zone_rule,
                zone_name: zone.clone(),
                ..reminder
            };
            self.store.save_reminder(&moved, now).await?;
            self.plans_changed.announce();
        }
        Ok(words::zone_set(lang, &zone))
    }

    /// Sets a reminder sent to `chat` at `(time, zone)`; the zone is the
    /// person's when none is given.
    async fn set_reminder(
        &self,
        incoming: &Incoming,
        person: PersonId,
        chat: ChatId,
        lang: Lang,
        (time, zone): (&str, Option<&String>),
    ) -> Result<String> {
        let zone = match zone {
            Some(typed) => typed.clone(),
            None => self.person_zone_name(person).await?,
        };
        let checked =
            schedule::parse_time(time).and_then(|t| Ok((t, schedule::parse_zone(&zone)?)));
        let (time, (zone_name, zone)) = match checked {
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
        self.store.set_person_zone(person, &zone_name, now).await?;
        let row = ReminderRow {
            person,
            chat_id: chat,
            time,
            zone,
            zone_name,
        };
        self.store.save_reminder(&row, now).await?;
        self.plans_changed.announce();
        let time = schedule::format_time(row.time);
        Ok(words::remind_set(lang, &time, &row.zone_name))
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
                    .map_or_else(|| self.config.default_zone.clone(), |z| z.name);
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
                    plan,
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
