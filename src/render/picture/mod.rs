//! Pictures for `/stats` and the weekly digest: a person's last 26 weeks
//! as a calendar heat map with a retention curve under it, and a group's
//! last four weeks of participation with its hardest questions as bars.
//!
//! They hold no text at all (numbers and names stay in the message's text,
//! for screen readers and for every script), so no font is needed. Drawing
//! is plotters on an RGB buffer and encoding is `png`: the same figures
//! give the same bytes, so tests compare hashes.

mod canvas;
mod group;
mod personal;

pub use group::{DayActivity, GroupPicture};
pub use personal::{PersonalPicture, WEEKS};

/// An encoded PNG and its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The eight block heights of a one-line Unicode chart, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `values` as a one-line chart for a terminal (`▁▃█…`): each value's
/// height relative to the largest; zeros are the lowest block.
pub fn sparkline(values: &[u32]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| match max {
            0 => BARS[0],
            _ => BARS[(v as usize * (BARS.len() - 1)).div_ceil(max as usize)],
        })
        .collect()
}

#[cfg(test)]
mod tests;
