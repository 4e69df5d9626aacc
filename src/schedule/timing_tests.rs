//! Tests of the daily post: planned instants across zones and DST changes,
//! the grace window, and the next wake-up.

use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::super::DEFAULT_GRACE;
use super::super::test_support::{date, local, plan_off, ts};
use super::*;

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

/// The instants at which `zone` changes offset during 2026.
fn transitions_2026(zone: &str) -> Vec<Timestamp> {
    let tz = TimeZone::get(zone).unwrap();
    tz.following(ts("2026-01-01T00:00:00Z"))
        .map(|t| t.timestamp())
        .take_while(|t| *t < ts("2027-01-01T00:00:00Z"))
        .collect()
}

/// Absolute time between the planned posts of `first` and the next date.
fn gap_after(p: &DailyPlan, first: &str) -> SignedDuration {
    let first = date(first);
    post_instant(p, first.tomorrow().unwrap()).duration_since(post_instant(p, first))
}

#[test]
fn the_tzdb_has_the_transitions_these_tests_rely_on() {
    assert_eq!(
        transitions_2026("America/New_York"),
        [ts("2026-03-08T07:00:00Z"), ts("2026-11-01T06:00:00Z")]
    );
    assert_eq!(
        transitions_2026("Europe/London"),
        [ts("2026-03-29T01:00:00Z"), ts("2026-10-25T01:00:00Z")]
    );
    // Lord Howe: 02:00 LHDT (+11) → 01:30 LHST (+10:30), and 02:00 → 02:30.
    assert_eq!(
        transitions_2026("Australia/Lord_Howe"),
        [ts("2026-04-04T15:00:00Z"), ts("2026-10-03T15:30:00Z")]
    );
    assert!(transitions_2026("Asia/Shanghai").is_empty());
}

#[test]
fn shanghai_posts_at_the_same_instant_every_day() {
    let p = plan_off("09:00", "Asia/Shanghai");
    assert_eq!(
        post_instant(&p, date("2026-05-01")),
        ts("2026-05-01T01:00:00Z")
    );
    assert_eq!(gap_after(&p, "2026-03-07"), hours(24));
    assert_eq!(gap_after(&p, "2026-10-31"), hours(24));
}

#[test]
fn new_york_skipped_hour_moves_forward_to_0330_edt() {
    let p = plan_off("02:30", "America/New_York");
    let fire = post_instant(&p, date("2026-03-08"));
    assert_eq!(fire, ts("2026-03-08T07:30:00Z"));
    assert_eq!(local(fire, "America/New_York"), "2026-03-08T03:30-04:00");
    // The days around it are ordinary 02:30s.
    assert_eq!(
        local(post_instant(&p, date("2026-03-07")), "America/New_York"),
        "2026-03-07T02:30-05:00"
    );
    assert_eq!(
        local(post_instant(&p, date("2026-03-09")), "America/New_York"),
        "2026-03-09T02:30-04:00"
    );
}

#[test]
fn new_york_repeated_hour_fires_once_at_the_first_0130() {
    let p = plan_off("01:30", "America/New_York");
    let first = post_instant(&p, date("2026-11-01"));
    assert_eq!(first, ts("2026-11-01T05:30:00Z"));
    assert_eq!(local(first, "America/New_York"), "2026-11-01T01:30-04:00");
    // Posted at the first 01:30: the second 01:30 (EST) is not due again.
    let second = ts("2026-11-01T06:30:00Z");
    assert_eq!(local(second, "America/New_York"), "2026-11-01T01:30-05:00");
    let done = Some(date("2026-11-01"));
    assert_eq!(
        due_post(&p, second, done, DEFAULT_GRACE),
        PostDecision::NotDue
    );
    assert_eq!(
        next_post_instant(&p, second, done, DEFAULT_GRACE),
        ts("2026-11-02T06:30:00Z")
    );
}

#[test]
fn new_york_days_are_23_and_25_hours_long_at_the_changes() {
    let p = plan_off("09:00", "America/New_York");
    assert_eq!(gap_after(&p, "2026-03-07"), hours(23));
    assert_eq!(gap_after(&p, "2026-03-08"), hours(24));
    assert_eq!(gap_after(&p, "2026-10-31"), hours(25));
    assert_eq!(gap_after(&p, "2026-11-01"), hours(24));
}

#[test]
fn london_gap_and_fold() {
    let p = plan_off("01:30", "Europe/London");
    let spring = post_instant(&p, date("2026-03-29"));
    assert_eq!(local(spring, "Europe/London"), "2026-03-29T02:30+01:00");
    let autumn = post_instant(&p, date("2026-10-25"));
    assert_eq!(autumn, ts("2026-10-25T00:30:00Z"), "first 01:30 is BST");
    let p = plan_off("09:00", "Europe/London");
    assert_eq!(gap_after(&p, "2026-03-28"), hours(23));
    assert_eq!(gap_after(&p, "2026-10-24"), hours(25));
}

#[test]
fn lord_howe_half_hour_gap_and_fold() {
    let tz = TimeZone::get("Australia/Lord_Howe").unwrap();
    let skipped = date("2026-10-04").at(2, 15, 0, 0);
    assert!(matches!(
        tz.to_ambiguous_timestamp(skipped).offset(),
        AmbiguousOffset::Gap { .. }
    ));
    let p = plan_off("02:15", "Australia/Lord_Howe");
    let fire = post_instant(&p, date("2026-10-04"));
    assert_eq!(local(fire, "Australia/Lord_Howe"), "2026-10-04T02:45+11:00");
    assert_eq!(fire, ts("2026-10-03T15:45:00Z"));

    let p = plan_off("01:45", "Australia/Lord_Howe");
    let fire = post_instant(&p, date("2026-04-05"));
    assert_eq!(
        fire,
        ts("2026-04-04T14:45:00Z"),
        "first 01:45 is LHDT (+11)"
    );
    assert_eq!(local(fire, "Australia/Lord_Howe"), "2026-04-05T01:45+11:00");

    let p = plan_off("09:00", "Australia/Lord_Howe");
    assert_eq!(gap_after(&p, "2026-04-04"), hours(24) + mins(30));
    assert_eq!(gap_after(&p, "2026-10-03"), hours(23) + mins(30));
}

#[test]
fn the_local_date_changes_at_local_midnight() {
    let p = plan_off("00:00", "Asia/Shanghai");
    assert_eq!(
        local_date(&p, ts("2026-05-01T15:59:59Z")),
        date("2026-05-01")
    );
    assert_eq!(
        local_date(&p, ts("2026-05-01T16:00:00Z")),
        date("2026-05-02")
    );
    assert_eq!(
        post_instant(&p, date("2026-05-02")),
        ts("2026-05-01T16:00:00Z")
    );
    let now = ts("2026-05-01T16:00:00Z");
    assert_eq!(
        due_post(&p, now, Some(date("2026-05-01")), DEFAULT_GRACE),
        PostDecision::Due(date("2026-05-02"))
    );
}

#[test]
fn the_grace_window_is_inclusive_and_two_hours_by_default() {
    let p = plan_off("09:00", "Asia/Shanghai");
    let planned = ts("2026-05-01T01:00:00Z");
    let done = Some(date("2026-04-30"));
    let day = date("2026-05-01");
    let at = |d: SignedDuration| planned.checked_add(d).unwrap();
    assert_eq!(
        due_post(&p, at(mins(-1)), done, DEFAULT_GRACE),
        PostDecision::NotDue
    );
    assert_eq!(
        due_post(&p, planned, done, DEFAULT_GRACE),
        PostDecision::Due(day)
    );
    assert_eq!(
        due_post(&p, at(mins(119)), done, DEFAULT_GRACE),
        PostDecision::Due(day)
    );
    assert_eq!(
        due_post(&p, at(hours(2)), done, DEFAULT_GRACE),
        PostDecision::Due(day)
    );
    assert_eq!(
        due_post(&p, at(mins(121)), done, DEFAULT_GRACE),
        PostDecision::Skipped(day)
    );
    assert_eq!(
        due_post(&p, at(mins(121)), Some(day), DEFAULT_GRACE),
        PostDecision::NotDue
    );
    assert_eq!(
        due_post(&p, at(mins(30)), Some(day), DEFAULT_GRACE),
        PostDecision::NotDue
    );
    // A negative grace is no grace.
    assert_eq!(
        due_post(&p, planned, done, hours(-1)),
        PostDecision::Due(day)
    );
    assert_eq!(
        due_post(&p, at(SignedDuration::from_secs(1)), done, hours(-1)),
        PostDecision::Skipped(day)
    );
}

#[test]
fn a_late_evening_post_is_still_due_after_midnight_within_grace() {
    let p = plan_off("23:30", "Asia/Shanghai");
    let done = Some(date("2026-04-30"));
    // 01:00 local on 05-02 is 17:00Z on 05-01: 1h30 after 23:30 on 05-01.
    let now = ts("2026-05-01T17:00:00Z");
    assert_eq!(local_date(&p, now), date("2026-05-02"));
    assert_eq!(
        due_post(&p, now, done, DEFAULT_GRACE),
        PostDecision::Due(date("2026-05-01"))
    );
    // At 02:01 it is past grace; the next post is 05-02 at 23:30.
    let later = ts("2026-05-01T18:01:00Z");
    assert_eq!(
        due_post(&p, later, done, DEFAULT_GRACE),
        PostDecision::Skipped(date("2026-05-01"))
    );
    assert_eq!(
        next_post_instant(&p, later, done, DEFAULT_GRACE),
        ts("2026-05-02T15:30:00Z")
    );
}

#[test]
fn only_the_newest_missed_date_counts() {
    let p = plan_off("09:00", "Asia/Shanghai");
    // Down since 04-27; back at 10:00 on 05-01: today's post is late but due.
    let now = ts("2026-05-01T02:00:00Z");
    let done = Some(date("2026-04-27"));
    assert_eq!(
        due_post(&p, now, done, DEFAULT_GRACE),
        PostDecision::Due(date("2026-05-01"))
    );
    // Back at 08:00 instead: yesterday was missed, today is not yet due.
    let early = ts("2026-05-01T00:00:00Z");
    assert_eq!(
        due_post(&p, early, done, DEFAULT_GRACE),
        PostDecision::Skipped(date("2026-04-30"))
    );
    assert_eq!(
        next_post_instant(&p, early, done, DEFAULT_GRACE),
        ts("2026-05-01T01:00:00Z")
    );
    // Once the skip is recorded, nothing is reported until today's post.
    let recorded = Some(date("2026-04-30"));
    assert_eq!(
        due_post(&p, early, recorded, DEFAULT_GRACE),
        PostDecision::NotDue
    );
}

#[test]
fn next_post_is_the_due_one_or_strictly_later() {
    let p = plan_off("09:00", "Asia/Shanghai");
    let done = Some(date("2026-04-30"));
    let before = ts("2026-05-01T00:59:00Z");
    assert_eq!(
        next_post_instant(&p, before, done, DEFAULT_GRACE),
        ts("2026-05-01T01:00:00Z")
    );
    let due_now = ts("2026-05-01T01:30:00Z");
    assert_eq!(
        next_post_instant(&p, due_now, done, DEFAULT_GRACE),
        ts("2026-05-01T01:00:00Z")
    );
    let posted = Some(date("2026-05-01"));
    assert_eq!(
        next_post_instant(&p, due_now, posted, DEFAULT_GRACE),
        ts("2026-05-02T01:00:00Z")
    );
    assert_eq!(
        next_post_instant(&p, before, None, DEFAULT_GRACE),
        ts("2026-05-01T01:00:00Z")
    );
}

#[test]
fn a_plan_set_after_todays_time_posts_late_within_grace_else_tomorrow() {
    let p = plan_off("09:00", "Asia/Shanghai");
    let within = ts("2026-05-01T02:30:00Z"); // 10:30 local
    assert_eq!(
        due_post(&p, within, None, DEFAULT_GRACE),
        PostDecision::Due(date("2026-05-01"))
    );
    let beyond = ts("2026-05-01T07:00:00Z"); // 15:00 local
    assert_eq!(
        due_post(&p, beyond, None, DEFAULT_GRACE),
        PostDecision::Skipped(date("2026-05-01"))
    );
    assert_eq!(
        next_post_instant(&p, beyond, None, DEFAULT_GRACE),
        ts("2026-05-02T01:00:00Z")
    );
}

#[test]
fn moving_the_zone_west_never_posts_a_date_twice() {
    // Done 05-02 in Shanghai; the chat moves to Los Angeles, where it is
    // still 05-01 (and 05-02 counts as done): the next post is on 05-03.
    let p = plan_off("09:00", "America/Los_Angeles");
    let now = ts("2026-05-02T02:00:00Z"); // 19:00 on 05-01 in LA
    let done = Some(date("2026-05-02"));
    assert_eq!(due_post(&p, now, done, DEFAULT_GRACE), PostDecision::NotDue);
    let next = next_post_instant(&p, now, done, DEFAULT_GRACE);
    assert_eq!(local(next, "America/Los_Angeles"), "2026-05-03T09:00-07:00");
}

#[test]
fn waking_at_the_next_instant_finds_the_post_due() {
    let p = plan_off("02:30", "America/New_York");
    let done = Some(date("2026-03-07"));
    let now = ts("2026-03-07T12:00:00Z");
    let next = next_post_instant(&p, now, done, DEFAULT_GRACE);
    assert_eq!(next, ts("2026-03-08T07:30:00Z"));
    assert_eq!(
        due_post(&p, next, done, DEFAULT_GRACE),
        PostDecision::Due(date("2026-03-08"))
    );
}

#[test]
fn a_plan_starting_tomorrow_is_not_due_today_even_within_grace() {
    let mut p = plan_off("09:32", "Asia/Shanghai");
    // Set at 10:02 on the 1st: its first date is the 2nd.
    let set_at = ts("2026-12-01T02:02:00Z");
    assert_eq!(p.first_date_if_set_at(set_at), date("2026-12-02"));
    assert_eq!(
        p.first_date_if_set_at(ts("2026-12-01T01:00:00Z")),
        date("2026-12-01"),
        "set at 09:00, it posts today"
    );
    p.starts_on = Some(date("2026-12-02"));
    assert_eq!(
        due_post(&p, set_at, None, DEFAULT_GRACE),
        PostDecision::NotDue
    );
    assert_eq!(
        next_post_instant(&p, set_at, None, DEFAULT_GRACE),
        ts("2026-12-02T01:32:00Z")
    );
}
