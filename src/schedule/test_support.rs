//! Short constructors for the schedule tests: plans, dates and instants
//! written the way the tzdb and the brief state them.

use jiff::Timestamp;
use jiff::civil::Date;

use super::{DailyPlan, PlanFilter, RevealRule};

/// A plan at `time` in `zone` with the given reveal rule text, no tag.
pub fn plan(time: &str, zone: &str, reveal: &str) -> DailyPlan {
    DailyPlan::from_parts(time, zone, PlanFilter::default(), reveal)
        .expect("test plan parts are valid")
}

/// A plan with no automatic reveal.
pub fn plan_off(time: &str, zone: &str) -> DailyPlan {
    let p = plan(time, zone, "off");
    assert_eq!(p.reveal, RevealRule::Off);
    p
}

/// `YYYY-MM-DD`.
pub fn date(text: &str) -> Date {
    text.parse().expect("test date is valid")
}

/// An RFC 3339 instant such as `2026-03-08T07:30:00Z`.
pub fn ts(text: &str) -> Timestamp {
    text.parse().expect("test instant is valid")
}

/// `instant` as the civil date-time and offset seen in `zone`, for messages
/// and assertions: `2026-03-08T03:30-04:00`.
pub fn local(instant: Timestamp, zone: &str) -> String {
    let zoned = instant.in_tz(zone).expect("test zone exists");
    zoned.strftime("%Y-%m-%dT%H:%M%:z").to_string()
}
