//! `/stats` and `/forget` in the engine. In private, a person sees their
//! own streak, retention and what is due; in a group, everyone sees the
//! week's participation, a leaderboard of first names (without those who
//! left it with `/stats hide`) and the hardest questions, never anyone's
//! cards. `/forget` deletes a person's every row after a confirmation.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::review::person_of;
use super::{Engine, Incoming, Lang, Reply, Result, i18n};
use crate::domain::{ChatId, ChatKind, PersonId};
use crate::learn::Rating;
use crate::learn::stats::{self, Standing};
use crate::post::{Block, Picture, Post};
use crate::schedule::NamedZone;

/// How many people the leaderboard shows, and how many hard questions.
const LEADERBOARD: usize = 10;
const HARDEST: i64 = 3;

impl Engine {
    /// The zone a person's days are counted in: their own (`/remind`),
    /// else the bot's (`STUDYBOT_TIMEZONE`).
    pub(super) async fn zone_of(&self, person: PersonId) -> Result<TimeZone> {
        let zone = self.store.person_zone(person).await?;
        Ok(self.zone_or_default(zone))
    }

    /// A stored zone as a zone; the bot's when unset (or no longer known,
    /// which the store reads as unset).
    pub(super) fn zone_or_default(&self, zone: Option<NamedZone>) -> TimeZone {
        zone.map(|z| z.zone)
            .or_else(|| TimeZone::get(&self.config.default_zone).ok())
            .unwrap_or(TimeZone::UTC)
    }

    /// The zone a chat's weeks are counted in: its plan's, else the bot's.
    pub(super) async fn chat_zone(&self, chat: ChatId) -> Result<TimeZone> {
        let chat = self.store.chat(chat).await?;
        Ok(self.zone_or_default(chat.and_then(|c| c.timezone)))
    }

    pub(super) async fn my_stats(
        &self,
        person: PersonId,
        lang: Lang,
        now: Timestamp,
    ) -> Result<Vec<Post>> {
        let zone = self.zone_of(person).await?;
        let quarters = self.store.rating_quarters(person).await?;
        let streaks = stats::streaks(&quarters, &zone, now);
        let week = stats::week_start(&zone, now);
        // Good and Easy count as remembered (and are the top grades).
        debug_assert!(Rating::Good.remembered() && !Rating::Hard.remembered());
        let good = i64::from(Rating::Good.grade());
        let totals = self.store.rating_totals(person, week, good).await?;
        let (today, seven_days) = stats::due_horizons(&zone, now);
        let counts = self
            .store
            .count_due(person, &[today, seven_days, i64::MAX])
            .await?;
        let figures = i18n::learn::MyStats {
            streak: streaks.current,
            longest: streaks.longest,
            this_week: totals.since,
            retention: stats::retention(totals.due as usize, totals.remembered as usize),
            due_today: counts[0],
            due_week: counts[1],
            cards: counts[2],
        };
        let picture = self.personal_picture(person, &zone, now).await?;
        let post = Post::notice(vec![
            Block::Heading(i18n::learn::my_stats_heading(lang).to_string()),
            Block::Text(i18n::learn::my_stats(lang, &figures)),
        ]);
        Ok(vec![post.with_picture(picture)])
    }

    pub(super) async fn group_stats(&self, incoming: &Incoming, lang: Lang) -> Result<Vec<Post>> {
        let chat = incoming.place.chat_id;
        let now = incoming.now;
        let week = stats::week_start(&self.chat_zone(chat).await?, now);
        let Some(figures) = self.week_blocks(chat, lang, now, week).await? else {
            return Ok(vec![Post::text(i18n::learn::no_ratings_here(lang))]);
        };
        let mut blocks = vec![Block::Heading(
            i18n::learn::group_stats_heading(lang).to_string(),
        )];
        blocks.extend(figures);
        blocks.push(Block::Text(i18n::learn::stats_footer(lang).to_string()));
        let picture = self.group_chart(chat, now).await?;
        Ok(vec![Post::notice(blocks).with_picture(picture)])
    }

    /// A group's figures since `since` (Unix seconds): participation, the
    /// leaderboard (each streak in its person's zone) and the hardest
    /// questions; `None` when no one ever rated here. Shared by `/stats`
    /// and the weekly digest.
    pub(super) async fn week_blocks(
        &self,
        chat: ChatId,
        lang: Lang,
        now: Timestamp,
        since: i64,
    ) -> Result<Option<Vec<Block>>> {
        let (people, ratings) = self.store.chat_activity(chat, since).await?;
        let raters = self.store.chat_raters(chat, since).await?;
        if raters.is_empty() {
            return Ok(None);
        }
        let standings = raters
            .into_iter()
            .filter(|r| !r.profile.hidden)
            .map(|r| Standing {
                streak: stats::streaks(&r.rated_at, &self.zone_or_default(r.profile.timezone), now)
                    .current,
                name: r
                    .profile
                    .name
                    .unwrap_or_else(|| i18n::learn::someone(lang).to_string()),
                ratings_this_week: r.ratings_since,
            })
            .collect();
        let board: Vec<String> = stats::leaderboard(standings, LEADERBOARD)
            .iter()
            .enumerate()
            .map(|(i, s)| {
                i18n::learn::standing(lang, i + 1, &s.name, s.streak, s.ratings_this_week)
            })
            .collect();
        let mut blocks = vec![Block::Text(i18n::learn::participation(
            lang, people, ratings,
        ))];
        if !board.is_empty() {
            blocks.push(Block::Heading(
                i18n::learn::leaderboard_heading(lang).to_string(),
            ));
            blocks.push(Block::Text(board.join("\n")));
        }
        let hardest = self.hardest_lines(chat, lang).await?;
        if !hardest.is_empty() {
            blocks.push(Block::Heading(
                i18n::learn::hardest_heading(lang).to_string(),
            ));
            blocks.push(Block::Text(hardest.join("\n")));
        }
        Ok(Some(blocks))
    }

    async fn hardest_lines(&self, chat: ChatId, lang: Lang) -> Result<Vec<String>> {
        let hardest = self.hardest_known(chat).await?;
        let bank = self.bank();
        Ok(hardest
            .iter()
            .filter_map(|(id, n)| bank.get(id).map(|q| (q, n)))
            .enumerate()
            .map(|(i, (q, n))| i18n::learn::hardest(lang, i + 1, &q.title, *n))
            .collect())
    }

    /// The questions most often rated Again in `chat` that the bank still
    /// has, hardest first: what the text lists and the picture draws.
    async fn hardest_known(&self, chat: ChatId) -> Result<Vec<(String, i64)>> {
        let mut hardest = self.store.hardest(chat, HARDEST).await?;
        let bank = self.bank();
        hardest.retain(|(id, _)| bank.get(id).is_some());
        Ok(hardest)
    }

    /// A group's picture (four weeks in the chat's zone, the hardest
    /// questions): for `/stats` and the weekly digest.
    pub(super) async fn group_chart(
        &self,
        chat: ChatId,
        now: Timestamp,
    ) -> Result<Option<Picture>> {
        let zone = self.chat_zone(chat).await?;
        let hardest = self.hardest_known(chat).await?;
        self.group_picture(chat, &zone, now, &hardest).await
    }

    /// The confirmation pressed: deletes and says what went.
    pub(super) async fn forget(&self, incoming: &Incoming, lang: Lang) -> Result<Reply> {
        let person = person_of(incoming).filter(|_| incoming.place.kind == ChatKind::Private);
        let Some(person) = person else {
            return Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::learn::forget_in_private(lang).to_string()),
                lang,
            });
        };
        // Reports carry the person's own words: they go too, in the same
        // transaction.
        let gone = self
            .store
            .forget_person(person, incoming.place.chat_id)
            .await?;
        let text = i18n::learn::forgotten(
            lang,
            gone.ratings,
            gone.cards,
            gone.profile || gone.reminder,
        );
        Ok(Reply {
            posts: vec![Post::text(text)],
            toast: None,
            lang,
        })
    }
}
