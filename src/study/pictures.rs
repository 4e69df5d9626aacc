//! The `/stats` pictures in the engine: a person's 26 weeks and a group's
//! four weeks, read from the store, counted in the reader's zone
//! (`learn::activity`) and drawn by `render::picture`. A person or a group
//! with no rating in that time gets no picture, only the text.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::{Engine, Result};
use crate::domain::{ChatId, PersonId};
use crate::learn::activity;
use crate::learn::stats::start_of;
use crate::post::{Image, Picture};
use crate::render::picture::{DayActivity, GroupPicture, PersonalPicture, Png};

/// Days of a group's picture, and of a terminal's sparkline.
const GROUP_DAYS: usize = 28;

impl Engine {
    /// `person`'s calendar and weekly retention, as of `now` in `zone`.
    pub(super) async fn personal_picture(
        &self,
        person: PersonId,
        zone: &TimeZone,
        now: Timestamp,
    ) -> Result<Option<Picture>> {
        let mut picture = PersonalPicture {
            today: zone.to_datetime(now).date(),
            ratings_per_day: Vec::new(),
            remembered_by_week: Vec::new(),
        };
        let first = picture.first_day();
        let ratings = self
            .store
            .ratings_since(person, start_of(first, zone))
            .await?;
        if ratings.is_empty() {
            return Ok(None);
        }
        picture.ratings_per_day = activity::ratings_per_day(&ratings, zone);
        picture.remembered_by_week =
            activity::remembered_by_week(&ratings, zone, first, crate::render::picture::WEEKS);
        let recent: Vec<(i64, i64)> = ratings.iter().map(|&(at, _)| (0, at)).collect();
        let trend = activity::group_days(&recent, zone, picture.today, GROUP_DAYS);
        let trend = trend.iter().map(|&(_, n)| n).collect();
        Ok(drawn(picture, PersonalPicture::render)
            .await
            .map(|png| picture_of(png, trend)))
    }

    /// `chat`'s last four weeks and the Again share of `hardest` (the
    /// questions its text lists, in that order).
    pub(super) async fn group_picture(
        &self,
        chat: ChatId,
        zone: &TimeZone,
        now: Timestamp,
        hardest: &[(String, i64)],
    ) -> Result<Option<Picture>> {
        let today = zone.to_datetime(now).date();
        let first = today
            .checked_sub((GROUP_DAYS as i64 - 1).days())
            .unwrap_or(today);
        let ratings = self
            .store
            .chat_ratings_since(chat, start_of(first, zone))
            .await?;
        if ratings.is_empty() {
            return Ok(None);
        }
        let days = activity::group_days(&ratings, zone, today, GROUP_DAYS);
        let shares = self
            .store
            .hardest_shares(chat, hardest.len() as i64)
            .await?;
        let hardest = hardest
            .iter()
            .filter_map(|(id, _)| shares.iter().find(|s| &s.question_id == id))
            .map(|s| s.agains as f32 / s.ratings.max(1) as f32)
            .collect();
        let picture = GroupPicture {
            days: days
                .iter()
                .map(|&(people, ratings)| DayActivity { people, ratings })
                .collect(),
            hardest,
        };
        let trend = days.iter().map(|&(_, n)| n).collect();
        Ok(drawn(picture, GroupPicture::render)
            .await
            .map(|png| picture_of(png, trend)))
    }
}

/// `picture` drawn on a blocking thread: a drawing costs about 2 ms of CPU
/// (BENCHMARKS.md, issue 21), and `studybot run`'s async runtime has one
/// thread, which every chat shares. None (logged; the text goes out alone)
/// if the drawing panicked or the runtime is stopping.
async fn drawn<P: Send + 'static>(picture: P, render: fn(&P) -> Png) -> Option<Png> {
    match tokio::task::spawn_blocking(move || render(&picture)).await {
        Ok(png) => Some(png),
        Err(e) => {
            log::error!("a /stats picture was not drawn: {e}");
            None
        }
    }
}

fn picture_of(png: Png, trend: Vec<u32>) -> Picture {
    Picture {
        image: Image::Png {
            bytes: png.bytes.into(),
            width: png.width,
            height: png.height,
        },
        trend,
    }
}
