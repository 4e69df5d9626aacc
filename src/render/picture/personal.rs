//! A person's picture: the last 26 weeks as a calendar heat map (a column
//! a week, Monday on top, a cell a day shaded by the ratings made, today
//! outlined) and, under it, the weekly share of Good/Easy as a curve.

use jiff::ToSpan;
use jiff::civil::Date;

use super::Png;
use super::canvas::{Canvas, EMPTY, GUIDE, INK, Shape, shade};

/// Weeks the calendar shows, this one included.
pub const WEEKS: usize = 26;
const MARGIN: i32 = 8;
const CELL: i32 = 12;
const STEP: i32 = 14;
const CURVE_GAP: i32 = 10;
const CURVE_HEIGHT: i32 = 48;

/// What a person's picture shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonalPicture {
    /// Today in the person's zone.
    pub today: Date,
    /// Ratings made per local day (any order; days outside the 26 weeks
    /// are ignored).
    pub ratings_per_day: Vec<(Date, u32)>,
    /// For each of the 26 weeks, oldest first: the share (0–1) of the
    /// week's ratings that were Good or Easy; `None` for a week without.
    pub remembered_by_week: Vec<Option<f32>>,
}

impl PersonalPicture {
    /// The Monday of the calendar's first column.
    pub fn first_day(&self) -> Date {
        let back = i64::from(self.today.weekday().to_monday_zero_offset());
        let weeks = (WEEKS - 1) as i64;
        self.today
            .checked_sub((back + 7 * weeks).days())
            .unwrap_or(self.today)
    }

    pub fn render(&self) -> Png {
        let width = 2 * MARGIN + WEEKS as i32 * STEP - (STEP - CELL);
        let heat_height = 7 * STEP - (STEP - CELL);
        let height = 2 * MARGIN + heat_height + CURVE_GAP + CURVE_HEIGHT;
        let mut shapes = self.calendar();
        shapes.extend(self.curve(MARGIN + heat_height + CURVE_GAP));
        let mut canvas = Canvas::new(width as u32, height as u32);
        canvas.draw(&shapes);
        canvas.encode()
    }

    fn calendar(&self) -> Vec<Shape> {
        let first = self.first_day();
        let mut counts = [0u32; WEEKS * 7];
        for &(day, n) in &self.ratings_per_day {
            if let Some(i) = day_index(first, day) {
                counts[i] += n;
            }
        }
        let max = counts.iter().copied().max().unwrap_or(0);
        let last = day_index(first, self.today).unwrap_or(WEEKS * 7 - 1);
        let mut shapes = Vec::with_capacity(last + 2);
        for (i, &count) in counts.iter().enumerate().take(last + 1) {
            let (x, y) = cell_origin(i);
            shapes.push(Shape::Fill {
                from: (x, y),
                to: (x + CELL - 1, y + CELL - 1),
                color: shade(count, max),
            });
        }
        let (x, y) = cell_origin(last);
        shapes.push(Shape::Outline {
            from: (x - 1, y - 1),
            to: (x + CELL, y + CELL),
            color: INK,
        });
        shapes
    }

    /// The weekly share as a line over guides at 0, ½ and 1; weeks without
    /// ratings break the line, and each week's value is a small dot.
    fn curve(&self, top: i32) -> Vec<Shape> {
        let right = MARGIN + WEEKS as i32 * STEP - (STEP - CELL) - 1;
        let bottom = top + CURVE_HEIGHT - 1;
        let mut shapes: Vec<Shape> = [top, top + CURVE_HEIGHT / 2, bottom]
            .into_iter()
            .map(|y| Shape::Line {
                points: vec![(MARGIN, y), (right, y)],
                color: if y == bottom { EMPTY } else { GUIDE },
                width: 1,
            })
            .collect();
        let point = |week: usize, share: f32| {
            let x = MARGIN + week as i32 * STEP + CELL / 2;
            let y = bottom - (share.clamp(0.0, 1.0) * (CURVE_HEIGHT - 1) as f32).round() as i32;
            (x, y)
        };
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (week, share) in self.remembered_by_week.iter().take(WEEKS).enumerate() {
            match share {
                Some(share) => run.push(point(week, *share)),
                None => flush(&mut run, &mut shapes),
            }
        }
        flush(&mut run, &mut shapes);
        shapes
    }
}

/// Ends a run of the curve: its line and its dots.
fn flush(run: &mut Vec<(i32, i32)>, shapes: &mut Vec<Shape>) {
    if run.len() > 1 {
        shapes.push(Shape::Line {
            points: run.clone(),
            color: INK,
            width: 1,
        });
    }
    for &(x, y) in run.iter() {
        shapes.push(Shape::Fill {
            from: (x - 1, y - 1),
            to: (x + 1, y + 1),
            color: INK,
        });
    }
    run.clear();
}

/// The cell of `day` counted from `first` (a Monday), if it is shown.
fn day_index(first: Date, day: Date) -> Option<usize> {
    let days = (day - first).get_days();
    usize::try_from(days).ok().filter(|&i| i < WEEKS * 7)
}

/// The top-left pixel of cell `i` (column = week, row = weekday).
fn cell_origin(i: usize) -> (i32, i32) {
    let (week, weekday) = (i / 7, i % 7);
    (MARGIN + week as i32 * STEP, MARGIN + weekday as i32 * STEP)
}
