//! Splitting Discord Markdown units into messages of at most `limit` characters.
//!
//! A cut goes where the units allow it (never inside a link, never between a marker and what
//! it marks), preferably at a blank line, else a line break, else a space, else between two
//! characters, provided the message is at least half full. Styles and a code fence open at
//! the cut are closed at the end of one message and opened again at the start of the next,
//! so every message renders on its own; a quote's `> ` is repeated.

use super::units::{Cut, Kind, Units};

/// Messages in order, each within `limit` characters (a unit longer than the room a message
/// has is put alone into one, which callers avoid by bounding units), none without visible
/// text.
pub(super) fn split(units: &Units, limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut start = 0;
    while let Some(first) = skip_leading(units, start) {
        let end = cut_point(units, first, limit);
        if let Some(message) = message(units, first, end) {
            messages.push(message);
        }
        start = end;
    }
    messages
}

/// The first unit a message starting at `start` shows: line breaks and (outside code)
/// spaces at a cut are dropped.
fn skip_leading(units: &Units, mut start: usize) -> Option<usize> {
    while let Some(unit) = units.units.get(start) {
        let in_code = units.open_before(start).fence.is_some();
        let droppable = unit.kind == Kind::Break || (unit.kind == Kind::Space && !in_code);
        if !droppable {
            return Some(start);
        }
        start += 1;
    }
    None
}

/// Where the message starting at `first` ends (exclusive).
fn cut_point(units: &Units, first: usize, limit: usize) -> usize {
    let all = &units.units;
    let room = limit.saturating_sub(units.open_before(first).reopen().chars().count());
    let mut used = 0;
    // For each cut quality, the latest position allowed and the characters before it.
    let mut best: Vec<(Cut, usize, usize)> = Vec::new();
    let mut index = first;
    while index < all.len() {
        let after = units.open_after(index).close_chars();
        if used + all[index].chars + after > room {
            break;
        }
        used += all[index].chars;
        index += 1;
        match all.get(index) {
            None => return index,
            Some(next) if next.cut_before != Cut::Never => {
                best.retain(|(cut, _, _)| *cut != next.cut_before);
                best.push((next.cut_before, index, used));
            }
            Some(_) => {}
        }
    }
    let half = used / 2;
    let chosen = [Cut::Blank, Cut::Line, Cut::Space, Cut::Char]
        .iter()
        .find_map(|quality| {
            best.iter()
                .find(|(cut, _, before)| cut == quality && *before >= half)
                .map(|(_, at, _)| *at)
        });
    chosen
        .or_else(|| best.iter().map(|(_, at, _)| *at).max())
        .unwrap_or((first + 1).max(index))
}

/// The message of units `first..end`: reopened, trailing breaks and spaces dropped, closed.
/// `None` when nothing visible is left.
fn message(units: &Units, first: usize, end: usize) -> Option<String> {
    let mut last = end;
    while last > first && matches!(units.units[last - 1].kind, Kind::Break | Kind::Space) {
        last -= 1;
    }
    let shown = &units.units[first..last];
    if !shown.iter().any(|u| u.kind == Kind::Visible) {
        return None;
    }
    let mut text = units.open_before(first).reopen();
    text.push_str(units.text_of(first, last));
    text.push_str(&units.open_after(last - 1).close());
    Some(text)
}
