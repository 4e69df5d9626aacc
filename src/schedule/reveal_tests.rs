//! Tests of reveal instants: clock-time and delay rules, late posts,
//! midnight and DST, the cap at the next question, and pending reveals.

use super::super::test_support::{date, local, plan, ts};
use super::*;

const SHANGHAI: &str = "Asia/Shanghai";

/// Reveal of Shanghai 2026-05-01's question posted at `posted_at`.
fn may_day(reveal: &str, time: &str, posted_at: &str) -> Option<String> {
    let p = plan(time, SHANGHAI, reveal);
    reveal_instant(&p, date("2026-05-01"), ts(posted_at)).map(|t| local(t, SHANGHAI))
}

#[test]
fn off_never_reveals() {
    assert_eq!(may_day("off", "09:00", "2026-05-01T01:00:00Z"), None);
    let p = plan("09:00", SHANGHAI, "off");
    let posted = Some((date("2026-05-01"), ts("2026-05-01T01:00:00Z")));
    assert_eq!(pending_reveal(&p, posted, false), None);
    assert!(!reveal_on_next_day(&p));
}

#[test]
fn at_a_later_time_reveals_the_same_day() {
    let got = may_day("21:00", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(got.as_deref(), Some("2026-05-01T21:00+08:00"));
    assert!(!reveal_on_next_day(&plan("09:00", SHANGHAI, "21:00")));
}

#[test]
fn at_an_earlier_time_reveals_the_next_day_before_the_next_question() {
    let got = may_day("08:00", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(got.as_deref(), Some("2026-05-02T08:00+08:00"));
    assert!(reveal_on_next_day(&plan("09:00", SHANGHAI, "08:00")));
}

#[test]
fn at_the_post_time_reveals_together_with_the_next_question() {
    let got = may_day("09:00", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(got.as_deref(), Some("2026-05-02T09:00+08:00"));
    assert!(reveal_on_next_day(&plan("09:00", SHANGHAI, "09:00")));
}

#[test]
fn at_after_a_late_post_keeps_half_the_thinking_time() {
    // Planned 09:00 → 10:00 (an hour to think).
    let slightly_late = may_day("10:00", "09:00", "2026-05-01T01:20:00Z"); // 09:20
    assert_eq!(slightly_late.as_deref(), Some("2026-05-01T10:00+08:00"));
    let very_late = may_day("10:00", "09:00", "2026-05-01T02:30:00Z"); // 10:30
    assert_eq!(very_late.as_deref(), Some("2026-05-01T11:00+08:00"));
    // A long planned gap is untouched by a late post within grace.
    let evening = may_day("21:00", "09:00", "2026-05-01T03:00:00Z"); // 11:00
    assert_eq!(evening.as_deref(), Some("2026-05-01T21:00+08:00"));
}

#[test]
fn after_counts_from_the_actual_post() {
    let on_time = may_day("6h", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(on_time.as_deref(), Some("2026-05-01T15:00+08:00"));
    let late = may_day("6h", "09:00", "2026-05-01T02:30:00Z"); // posted 10:30
    assert_eq!(late.as_deref(), Some("2026-05-01T16:30+08:00"));
    let minutes = may_day("90m", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(minutes.as_deref(), Some("2026-05-01T10:30+08:00"));
}

#[test]
fn after_crosses_midnight() {
    let got = may_day("6h", "22:00", "2026-05-01T14:00:00Z"); // posted 22:00
    assert_eq!(got.as_deref(), Some("2026-05-02T04:00+08:00"));
}

#[test]
fn after_is_absolute_time_across_a_dst_change() {
    // 22:00 EST on 03-07; six hours later is 05:00 EDT on 03-08.
    let p = plan("22:00", "America/New_York", "6h");
    let posted_at = post_instant(&p, date("2026-03-07"));
    let got = reveal_instant(&p, date("2026-03-07"), posted_at).unwrap();
    assert_eq!(got.duration_since(posted_at), SignedDuration::from_hours(6));
    assert_eq!(local(got, "America/New_York"), "2026-03-08T05:00-04:00");
}

#[test]
fn at_in_a_skipped_hour_moves_forward_like_posts_do() {
    let p = plan("01:00", "America/New_York", "02:30");
    let day = date("2026-03-08");
    let got = reveal_instant(&p, day, post_instant(&p, day)).unwrap();
    assert_eq!(local(got, "America/New_York"), "2026-03-08T03:30-04:00");
}

#[test]
fn at_in_a_repeated_hour_uses_the_first_occurrence() {
    let p = plan("00:30", "America/New_York", "01:30");
    let day = date("2026-11-01");
    let got = reveal_instant(&p, day, post_instant(&p, day)).unwrap();
    assert_eq!(got, ts("2026-11-01T05:30:00Z"));
}

#[test]
fn a_reveal_never_lands_after_the_next_question() {
    // Posted an hour late; 23h59m later would be after the next 09:00.
    let got = may_day("23h59m", "09:00", "2026-05-01T02:00:00Z");
    assert_eq!(got.as_deref(), Some("2026-05-02T09:00+08:00"));
    let on_time = may_day("23h59m", "09:00", "2026-05-01T01:00:00Z");
    assert_eq!(on_time.as_deref(), Some("2026-05-02T08:59+08:00"));
}

#[test]
fn a_reveal_is_never_before_its_question() {
    // Posted (late) after the planned reveal and the next day's post time.
    let p = plan("09:00", SHANGHAI, "08:00");
    let posted_at = ts("2026-05-02T02:00:00Z");
    let got = reveal_instant(&p, date("2026-05-01"), posted_at).unwrap();
    assert_eq!(got, posted_at);
}

#[test]
fn pending_reveal_needs_a_post_and_no_reveal_yet() {
    let p = plan("09:00", SHANGHAI, "21:00");
    let posted = Some((date("2026-05-01"), ts("2026-05-01T01:00:00Z")));
    assert_eq!(pending_reveal(&p, None, false), None);
    assert_eq!(
        pending_reveal(&p, posted, true),
        None,
        "already revealed (or on request)"
    );
    assert_eq!(
        pending_reveal(&p, posted, false),
        Some(ts("2026-05-01T13:00:00Z"))
    );
}

#[test]
fn a_reveal_missed_while_down_is_due_on_return() {
    let p = plan("09:00", SHANGHAI, "21:00");
    let posted = Some((date("2026-05-01"), ts("2026-05-01T01:00:00Z")));
    let before = ts("2026-05-01T12:59:59Z");
    assert_eq!(due_reveal(&p, before, posted, false), None);
    assert_eq!(
        due_reveal(&p, ts("2026-05-01T13:00:00Z"), posted, false),
        Some(date("2026-05-01"))
    );
    // Back at 08:30 the next morning, before the next question: still due.
    let next_morning = ts("2026-05-02T00:30:00Z");
    assert_eq!(
        due_reveal(&p, next_morning, posted, false),
        Some(date("2026-05-01"))
    );
    assert_eq!(due_reveal(&p, next_morning, posted, true), None);
}

#[test]
fn once_the_next_question_is_posted_only_its_reveal_is_pending() {
    let p = plan("09:00", SHANGHAI, "21:00");
    // 05-01 was never revealed; 05-02 has been posted since.
    let latest = Some((date("2026-05-02"), ts("2026-05-02T01:00:00Z")));
    let now = ts("2026-05-02T02:00:00Z");
    assert_eq!(due_reveal(&p, now, latest, false), None);
    assert_eq!(
        pending_reveal(&p, latest, false),
        Some(ts("2026-05-02T13:00:00Z"))
    );
}
