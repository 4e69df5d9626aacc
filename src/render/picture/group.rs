//! A group's picture: the last four weeks of participation (per day, the
//! people who rated and the ratings made, on one scale, weeks split by
//! faint lines) and its hardest questions as bars of their "Again" share,
//! in the order the message's text lists them.

use super::Png;
use super::canvas::{AGAIN, Canvas, EMPTY, GUIDE, PEOPLE, SHADES, Shape};

const MARGIN: i32 = 8;
const STEP: i32 = 14;
const RATINGS_BAR: i32 = 6;
const PEOPLE_BAR: i32 = 5;
const CHART_HEIGHT: i32 = 80;
const ROWS_GAP: i32 = 12;
const ROW: i32 = 12;
const ROW_STEP: i32 = 16;
/// The most days and hard questions a picture shows.
pub const MAX_DAYS: usize = 56;
pub const MAX_HARDEST: usize = 5;

/// One local day of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayActivity {
    pub people: u32,
    pub ratings: u32,
}

/// What a group's picture shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPicture {
    /// One entry a day, oldest first (usually 28, today last).
    pub days: Vec<DayActivity>,
    /// The hardest questions' share (0–1) of "Again", hardest first.
    pub hardest: Vec<f32>,
}

impl GroupPicture {
    pub fn render(&self) -> Png {
        let days = &self.days[self.days.len().saturating_sub(MAX_DAYS)..];
        let hardest = &self.hardest[..self.hardest.len().min(MAX_HARDEST)];
        let columns = days.len().max(7) as i32;
        let width = 2 * MARGIN + columns * STEP - 2;
        let rows = hardest.len() as i32;
        let rows_height = if rows == 0 {
            0
        } else {
            ROWS_GAP + rows * ROW_STEP - (ROW_STEP - ROW)
        };
        let height = 2 * MARGIN + CHART_HEIGHT + rows_height;
        let mut shapes = participation(days, width - MARGIN - 1);
        shapes.extend(hard_bars(
            hardest,
            MARGIN + CHART_HEIGHT + ROWS_GAP,
            width - MARGIN - 1,
        ));
        let mut canvas = Canvas::new(width as u32, height as u32);
        canvas.draw(&shapes);
        canvas.encode()
    }
}

/// Per day a ratings bar and a people bar, both against the busiest day's
/// ratings (no one rates less than once, so people never exceed it).
fn participation(days: &[DayActivity], right: i32) -> Vec<Shape> {
    let baseline = MARGIN + CHART_HEIGHT - 1;
    let mut shapes = vec![Shape::Line {
        points: vec![(MARGIN, baseline), (right, baseline)],
        color: EMPTY,
        width: 1,
    }];
    // Week boundaries, counted back from today so the last week is whole.
    for day in (1..days.len()).filter(|d| (days.len() - d) % 7 == 0) {
        let x = MARGIN + day as i32 * STEP - 2;
        shapes.push(Shape::Line {
            points: vec![(x, MARGIN), (x, baseline)],
            color: GUIDE,
            width: 1,
        });
    }
    let max = days
        .iter()
        .map(|d| d.ratings.max(d.people))
        .max()
        .unwrap_or(0)
        .max(1);
    let height = |n: u32| ((n as f32 / max as f32) * (CHART_HEIGHT - 2) as f32).round() as i32;
    for (i, day) in days.iter().enumerate() {
        let x = MARGIN + i as i32 * STEP;
        for (offset, width, n, color) in [
            (0, RATINGS_BAR, day.ratings, SHADES[1]),
            (RATINGS_BAR + 1, PEOPLE_BAR, day.people, PEOPLE),
        ] {
            if n > 0 {
                shapes.push(Shape::Fill {
                    from: (x + offset, baseline - height(n).max(1)),
                    to: (x + offset + width - 1, baseline - 1),
                    color,
                });
            }
        }
    }
    shapes
}

/// A track per question and its "Again" share filled in.
fn hard_bars(shares: &[f32], top: i32, right: i32) -> Vec<Shape> {
    let full = right - MARGIN;
    let mut shapes = Vec::with_capacity(shares.len() * 2);
    for (i, share) in shares.iter().enumerate() {
        let y = top + i as i32 * ROW_STEP;
        shapes.push(Shape::Fill {
            from: (MARGIN, y),
            to: (right, y + ROW - 1),
            color: EMPTY,
        });
        let length = (share.clamp(0.0, 1.0) * full as f32).round() as i32;
        if length > 0 {
            shapes.push(Shape::Fill {
                from: (MARGIN, y),
                to: (MARGIN + length, y + ROW - 1),
                color: AGAIN,
            });
        }
    }
    shapes
}
