//! Reading the time zone a chat names.
//!
//! Only IANA names are accepted (`Asia/Shanghai`, `UTC`, `Etc/GMT-8`),
//! because only they follow daylight saving time. People often type a city
//! (`Shanghai`), a near miss (`Asia/Shangai`) or an offset (`UTC+8`); each
//! gets an error that says what to type instead.

use jiff::tz::{self, TimeZone};

use super::ScheduleError;
use super::parse::{digits, echo};

/// A zone as a chat or a person chose it: its canonical IANA name (as
/// stored and shown) and the zone it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedZone {
    pub name: String,
    pub zone: TimeZone,
}

impl NamedZone {
    /// A stored zone name, as `parse_zone` reads it; `None` when it names
    /// no zone this build knows (no suggestion is looked for).
    pub fn stored(text: &str) -> Option<NamedZone> {
        let (name, zone) = lookup(text.trim())?;
        Some(NamedZone { name, zone })
    }
}

/// Looks up an IANA zone name, ignoring ASCII case, and returns its canonical
/// spelling with the zone: `asia/shanghai` → `("Asia/Shanghai", …)`.
pub fn parse_zone(s: &str) -> Result<(String, TimeZone), ScheduleError> {
    let text = s.trim();
    if let Some(found) = lookup(text) {
        return Ok(found);
    }
    if let Some(minutes) = utc_offset_minutes(text) {
        return Err(ScheduleError::OffsetNotZone {
            input: echo(text),
            fixed_zone: fixed_offset_zone(minutes),
        });
    }
    match suggest_zone(text) {
        Some(suggestion) => Err(ScheduleError::ZoneTypo {
            input: echo(text),
            suggestion,
        }),
        None => Err(ScheduleError::BadZone(echo(text))),
    }
}

fn lookup(text: &str) -> Option<(String, TimeZone)> {
    if text.is_empty() || text.eq_ignore_ascii_case("Etc/Unknown") {
        return None;
    }
    let zone = TimeZone::get(text).ok()?;
    let name = zone.iana_name().unwrap_or(text).to_string();
    Some((name, zone))
}

/// Minutes east of UTC when `text` is an offset such as `UTC+8`, `GMT-05:30`,
/// `+0800` or `+8`.
fn utc_offset_minutes(text: &str) -> Option<i32> {
    let upper = text.to_ascii_uppercase();
    let rest = ["UTC", "GMT"]
        .iter()
        .find_map(|prefix| upper.strip_prefix(prefix))
        .unwrap_or(&upper);
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (digits(h, 1, 2)?, digits(m, 2, 2)?),
        None if rest.len() == 4 => (digits(rest.get(..2)?, 2, 2)?, digits(rest.get(2..)?, 2, 2)?),
        None => (digits(rest, 1, 2)?, 0),
    };
    (hours <= 14 && minutes <= 59).then(|| sign * (hours * 60 + minutes) as i32)
}

/// The `Etc/GMT±N` zone for a whole-hour offset. POSIX signs are inverted:
/// UTC+8 is `Etc/GMT-8`.
fn fixed_offset_zone(minutes_east: i32) -> Option<String> {
    if minutes_east % 60 != 0 {
        return None;
    }
    let hours = minutes_east / 60;
    match hours {
        0 => Some("UTC".to_string()),
        1..=14 => Some(format!("Etc/GMT-{hours}")),
        -12..=-1 => Some(format!("Etc/GMT+{}", -hours)),
        _ => None,
    }
}

/// A zone the person probably meant: `Beijing` → Asia/Shanghai, a city
/// (`shanghai`, `new york`) → its zone, or the single closest name within
/// two edits (`Asia/Shangai` → Asia/Shanghai).
fn suggest_zone(text: &str) -> Option<String> {
    let wanted = text.replace(' ', "_").to_ascii_lowercase();
    if wanted.is_empty() || wanted.len() > 64 {
        return None;
    }
    if wanted == "beijing" || wanted == "peking" {
        return Some("Asia/Shanghai".to_string());
    }
    let names: Vec<String> = tz::db()
        .available()
        .map(|name| name.as_str().to_string())
        .filter(|name| name.contains('/') && !name.starts_with("Etc/"))
        .collect();
    city_match(&names, &wanted).or_else(|| closest_name(&names, &wanted))
}

fn city_match(names: &[String], wanted: &str) -> Option<String> {
    names
        .iter()
        .find(|name| {
            name.rsplit('/')
                .next()
                .is_some_and(|city| city.eq_ignore_ascii_case(wanted))
        })
        .cloned()
}

fn closest_name(names: &[String], wanted: &str) -> Option<String> {
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .map(|name| (edit_distance(&name.to_ascii_lowercase(), wanted), name))
        .filter(|(distance, _)| *distance <= 2)
        .collect();
    scored.sort();
    let (best, name) = *scored.first()?;
    let tied = scored.get(1).is_some_and(|(next, _)| *next == best);
    (!tied).then(|| name.clone())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(input: &str) -> String {
        parse_zone(input).expect("zone is valid").0
    }

    #[test]
    fn a_stored_name_reads_as_a_typed_one_does() {
        let (name, zone) = parse_zone(" asia/shanghai ").unwrap();
        assert_eq!(
            NamedZone::stored("Asia/Shanghai"),
            Some(NamedZone { name, zone })
        );
        assert_eq!(NamedZone::stored("Mars/Olympus_Mons"), None);
        assert_eq!(NamedZone::stored("UTC+8"), None);
        assert_eq!(NamedZone::stored(""), None);
    }

    fn message(input: &str) -> String {
        parse_zone(input).expect_err("zone is invalid").to_string()
    }

    #[test]
    fn iana_names_are_found_case_insensitively_with_canonical_spelling() {
        assert_eq!(name_of("Asia/Shanghai"), "Asia/Shanghai");
        assert_eq!(name_of("asia/shanghai"), "Asia/Shanghai");
        assert_eq!(name_of("  AMERICA/NEW_YORK "), "America/New_York");
        assert_eq!(name_of("australia/lord_howe"), "Australia/Lord_Howe");
    }

    #[test]
    fn utc_and_etc_zones_are_accepted() {
        assert_eq!(name_of("UTC"), "UTC");
        assert_eq!(name_of("utc"), "UTC");
        assert_eq!(name_of("Etc/GMT-8"), "Etc/GMT-8");
        let (_, zone) = parse_zone("Etc/GMT-8").unwrap();
        let offset = zone.to_offset(jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(offset.seconds(), 8 * 3600);
    }

    #[test]
    fn unknown_names_say_what_to_use() {
        assert_eq!(
            message("Mars/Olympus_Mons"),
            "unknown time zone `Mars/Olympus_Mons`: use an IANA name like Asia/Shanghai or Europe/London"
        );
        assert!(matches!(parse_zone(""), Err(ScheduleError::BadZone(_))));
        assert!(matches!(
            parse_zone("Etc/Unknown"),
            Err(ScheduleError::BadZone(_))
        ));
    }

    #[test]
    fn near_misses_and_cities_get_a_suggestion() {
        assert_eq!(
            message("Asia/Shangai"),
            "unknown time zone `Asia/Shangai`: did you mean Asia/Shanghai?"
        );
        assert_eq!(
            message("Shanghai"),
            "unknown time zone `Shanghai`: did you mean Asia/Shanghai?"
        );
        assert_eq!(
            message("new york"),
            "unknown time zone `new york`: did you mean America/New_York?"
        );
        assert_eq!(
            message("Beijing"),
            "unknown time zone `Beijing`: did you mean Asia/Shanghai?"
        );
    }

    #[test]
    fn offsets_are_refused_with_the_fixed_zone_named() {
        assert_eq!(
            message("UTC+8"),
            "`UTC+8` is a UTC offset, not a time zone: use an IANA name like Asia/Shanghai (or Etc/GMT-8 for that fixed offset)"
        );
        assert!(message("+08:00").contains("Etc/GMT-8"));
        assert!(message("GMT-5").contains("Etc/GMT+5"));
        assert!(message("-0500").contains("Etc/GMT+5"));
        assert_eq!(
            message("UTC+5:30"),
            "`UTC+5:30` is a UTC offset, not a time zone: use an IANA name like Asia/Shanghai"
        );
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        for input in [
            "+é0",
            "UTC+",
            "+١٢",
            "../../etc/passwd",
            "Asia/",
            "/",
            "+99",
        ] {
            assert!(parse_zone(input).is_err(), "{input}");
        }
        let long = "x".repeat(5000);
        let err = message(&long);
        assert!(
            err.len() < 200,
            "long input is shortened in the reply: {err}"
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("asia/shanghai", "asia/shangai"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
