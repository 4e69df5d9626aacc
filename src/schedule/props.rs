//! Property tests: for many zones (DST, half-hour and 45-minute offsets,
//! midnight transitions, negative DST), dates in 2020–2035 and any time of
//! day, posts land on their local date and time (or just after a gap), the
//! next wake-up never spins or misses a post, and reveals stay between their
//! question and the next one.

use jiff::civil::{Date, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest::sample::select;

use super::{
    DailyPlan, Days, MAX_EVERY, PlanFilter, PostDecision, RevealRule, due_post, local_date,
    next_post_instant, post_instant, reveal_instant,
};

const ZONES: &[&str] = &[
    "UTC",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Etc/GMT-14",
];

/// 2020-01-01 and 2036-01-01, as seconds since the epoch.
const START: i64 = 1_577_836_800;
const END: i64 = 2_082_758_400;

fn arb_plan() -> impl Strategy<Value = DailyPlan> {
    (select(ZONES), 0..24i8, 0..60i8, arb_reveal()).prop_map(|(name, hour, minute, reveal)| {
        DailyPlan {
            time: Time::new(hour, minute, 0, 0).unwrap(),
            zone: TimeZone::get(name).unwrap(),
            zone_name: name.to_string(),
            filter: PlanFilter::default(),
            reveal,
            days: Days::Every,
            starts_on: None,
        }
    })
}

/// Any day rule: every day, any non-empty set of weekdays, every 2–30
/// days from an anchor in 2020–2035.
fn arb_days() -> impl Strategy<Value = Days> {
    prop_oneof![
        Just(Days::Every),
        (1..128u8).prop_map(Days::Weekdays),
        (2..=MAX_EVERY, arb_date()).prop_map(|(n, anchor)| Days::EveryN { n, anchor }),
    ]
}

/// A plan with a day rule, maybe set recently (`starts_on` near `now`).
fn arb_ruled_plan(
    plan: impl Strategy<Value = DailyPlan>,
) -> impl Strategy<Value = (DailyPlan, Option<i64>)> {
    (plan, arb_days(), proptest::option::of(-2..=3i64))
        .prop_map(|(plan, days, starts)| (DailyPlan { days, ..plan }, starts))
}

/// `plan` starting `offset` dates after `now`'s local date.
fn starting(plan: &DailyPlan, now: Timestamp, offset: Option<i64>) -> DailyPlan {
    let today = local_date(plan, now);
    let starts_on = offset.map(|d| today.checked_add(jiff::Span::new().days(d)).unwrap());
    DailyPlan {
        starts_on,
        ..plan.clone()
    }
}

fn arb_reveal() -> impl Strategy<Value = RevealRule> {
    prop_oneof![
        Just(RevealRule::Off),
        (0..24i8, 0..60i8).prop_map(|(h, m)| RevealRule::At(Time::new(h, m, 0, 0).unwrap())),
        (1..1440i64).prop_map(|m| RevealRule::After(SignedDuration::from_mins(m))),
    ]
}

fn arb_instant() -> impl Strategy<Value = Timestamp> {
    (START..END).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn arb_date() -> impl Strategy<Value = Date> {
    (0..(366 * 16i64)).prop_map(|days| {
        Date::new(2020, 1, 1)
            .unwrap()
            .checked_add(jiff::Span::new().days(days))
            .unwrap()
    })
}

/// Every offset change of the zones above in 2020–2035.
fn transitions() -> Vec<(&'static str, Timestamp)> {
    let end = Timestamp::from_second(END).unwrap();
    ZONES
        .iter()
        .flat_map(|&name| {
            let zone = TimeZone::get(name).unwrap();
            let start = Timestamp::from_second(START).unwrap();
            let found: Vec<Timestamp> = zone
                .following(start)
                .map(|t| t.timestamp())
                .take_while(|t| *t < end)
                .collect();
            found.into_iter().map(move |t| (name, t))
        })
        .collect()
}

/// A plan whose time on the returned date is within two hours (wall clock,
/// as read before the change) of one of its zone's offset changes, so gaps
/// and folds are hit often.
fn arb_plan_near_transition() -> impl Strategy<Value = (DailyPlan, Date)> {
    (select(transitions()), -120..=120i64, arb_reveal()).prop_map(|((name, at), delta, reveal)| {
        let zone = TimeZone::get(name).unwrap();
        let offset_before = zone.to_offset(at - SignedDuration::from_secs(1));
        let wall = offset_before.to_datetime(at) + SignedDuration::from_mins(delta);
        let time = Time::new(wall.hour(), wall.minute(), 0, 0).unwrap();
        let plan = DailyPlan {
            time,
            zone,
            zone_name: name.to_string(),
            filter: PlanFilter::default(),
            reveal,
            days: Days::Every,
            starts_on: None,
        };
        (plan, wall.date())
    })
}

fn arb_grace() -> impl Strategy<Value = SignedDuration> {
    (0..=6 * 60i64).prop_map(SignedDuration::from_mins)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn posts_land_on_their_local_time_or_just_after_a_gap(plan in arb_plan(), date in arb_date()) {
        check_lands_on_local_time(&plan, date)?;
    }

    #[test]
    fn posts_near_offset_changes_land_right((plan, date) in arb_plan_near_transition()) {
        check_lands_on_local_time(&plan, date)?;
    }

    #[test]
    fn reveals_near_offset_changes_fall_between_questions(
        (plan, date) in arb_plan_near_transition(),
        late_mins in 0..=120i64,
    ) {
        check_reveal_between_questions(&plan, date, late_mins)?;
    }
    #[test]
    fn next_post_is_due_now_or_strictly_later_and_then_due(
        plan in arb_plan(),
        now in arb_instant(),
        done_offset in proptest::option::of(-3..=1i64),
        grace in arb_grace(),
        fraction in 0.0..1.0f64,
    ) {
        check_next_post(&plan, now, done_offset, grace, fraction)?;
    }

    #[test]
    fn next_post_near_offset_changes_neither_spins_nor_misses(
        (plan, date) in arb_plan_near_transition(),
        from_planned_mins in -240..=240i64,
        done_offset in proptest::option::of(-3..=1i64),
        grace in arb_grace(),
        fraction in 0.0..1.0f64,
    ) {
        let now = post_instant(&plan, date) + SignedDuration::from_mins(from_planned_mins);
        check_next_post(&plan, now, done_offset, grace, fraction)?;
    }

    #[test]
    fn ruled_next_post_is_due_now_or_strictly_later_and_then_due(
        (plan, starts) in arb_ruled_plan(arb_plan()),
        now in arb_instant(),
        done_offset in proptest::option::of(-3..=1i64),
        grace in arb_grace(),
        fraction in 0.0..1.0f64,
    ) {
        let plan = starting(&plan, now, starts);
        check_next_post(&plan, now, done_offset, grace, fraction)?;
        check_next_dates(&plan, now, done_offset, grace)?;
    }

    #[test]
    fn ruled_next_post_near_offset_changes_neither_spins_nor_misses(
        ((plan, date), days) in (arb_plan_near_transition(), arb_days()),
        from_planned_mins in -240..=240i64,
        starts in proptest::option::of(-2..=3i64),
        done_offset in proptest::option::of(-3..=1i64),
        grace in arb_grace(),
        fraction in 0.0..1.0f64,
    ) {
        let now = post_instant(&plan, date) + SignedDuration::from_mins(from_planned_mins);
        let plan = starting(&DailyPlan { days, ..plan }, now, starts);
        check_next_post(&plan, now, done_offset, grace, fraction)?;
        check_next_dates(&plan, now, done_offset, grace)?;
    }

    #[test]
    fn a_due_post_is_never_for_a_done_date(
        plan in arb_plan(),
        now in arb_instant(),
        done_offset in -3..=1i64,
        grace in arb_grace(),
    ) {
        let today = local_date(&plan, now);
        let done = today.checked_add(jiff::Span::new().days(done_offset)).unwrap();
        if let PostDecision::Due(date) | PostDecision::Skipped(date) = due_post(&plan, now, Some(done), grace) {
            prop_assert!(date > done);
            prop_assert!(post_instant(&plan, date) <= now);
        }
    }

    #[test]
    fn reveals_fall_between_their_question_and_the_next(
        plan in arb_plan(),
        date in arb_date(),
        late_mins in 0..=120i64,
    ) {
        check_reveal_between_questions(&plan, date, late_mins)?;
    }
}

fn check_lands_on_local_time(plan: &DailyPlan, date: Date) -> Result<(), TestCaseError> {
    let wanted = date.to_datetime(plan.time);
    let fired = post_instant(plan, date);
    let seen = plan.zone.to_datetime(fired);
    match plan.zone.to_ambiguous_timestamp(wanted).offset() {
        AmbiguousOffset::Unambiguous { .. } => prop_assert_eq!(seen, wanted),
        AmbiguousOffset::Fold { before, .. } => {
            prop_assert_eq!(seen, wanted);
            prop_assert_eq!(plan.zone.to_offset(fired), before, "first occurrence");
        }
        AmbiguousOffset::Gap { before, after } => {
            let gap = after.duration_since(before);
            prop_assert_eq!(seen.duration_since(wanted), gap);
        }
    }
    Ok(())
}

fn check_reveal_between_questions(
    plan: &DailyPlan,
    date: Date,
    late_mins: i64,
) -> Result<(), TestCaseError> {
    let planned = post_instant(plan, date);
    let posted_at = planned + SignedDuration::from_mins(late_mins);
    let next_post = post_instant(plan, date.tomorrow().unwrap());
    match reveal_instant(plan, date, posted_at) {
        None => prop_assert_eq!(plan.reveal, RevealRule::Off),
        Some(reveal) => {
            prop_assert!(reveal >= posted_at);
            prop_assert!(reveal <= next_post.max(posted_at));
            if let (RevealRule::At(t), 0) = (plan.reveal, late_mins) {
                let seen = plan.zone.to_datetime(reveal);
                let capped = reveal == next_post;
                prop_assert!(capped || seen.time() >= t, "{seen} for {t}");
            }
        }
    }
    Ok(())
}

/// The next posts from `now` on, each marked done in turn: always on a
/// matching date not before `starts_on`, never before `now` (unless due
/// now within grace), strictly increasing.
fn check_next_dates(
    plan: &DailyPlan,
    now: Timestamp,
    done_offset: Option<i64>,
    grace: SignedDuration,
) -> Result<(), TestCaseError> {
    let today = local_date(plan, now);
    let mut last_done = done_offset.map(|d| today.checked_add(jiff::Span::new().days(d)).unwrap());
    let mut at = now;
    let mut previous: Option<Timestamp> = None;
    for _ in 0..4 {
        let next = next_post_instant(plan, at, last_done, grace);
        let date = match due_post(plan, next.max(at), last_done, grace) {
            PostDecision::Due(date) => date,
            other => return Err(TestCaseError::fail(format!("not due at {next}: {other:?}"))),
        };
        prop_assert_eq!(post_instant(plan, date), next);
        prop_assert!(
            plan.days.matches(date),
            "{date} does not match {:?}",
            plan.days
        );
        prop_assert!(plan.starts_on.is_none_or(|first| date >= first));
        prop_assert!(next > at || at.duration_since(next) <= grace.max(SignedDuration::ZERO));
        if let Some(previous) = previous {
            prop_assert!(next > previous, "{next} after {previous}");
        }
        previous = Some(next);
        last_done = Some(date);
        at = next.max(at);
    }
    Ok(())
}

fn check_next_post(
    plan: &DailyPlan,
    now: Timestamp,
    done_offset: Option<i64>,
    grace: SignedDuration,
    fraction: f64,
) -> Result<(), TestCaseError> {
    let today = local_date(plan, now);
    let last_done = done_offset.map(|d| today.checked_add(jiff::Span::new().days(d)).unwrap());
    let next = next_post_instant(plan, now, last_done, grace);
    match due_post(plan, now, last_done, grace) {
        PostDecision::Due(date) => prop_assert_eq!(next, post_instant(plan, date)),
        _ => {
            prop_assert!(next > now, "no spin: {next} > {now}");
            let woke = due_post(plan, next, last_done, grace);
            prop_assert!(
                matches!(woke, PostDecision::Due(_)),
                "due on waking: {woke:?}"
            );
            let span = next.duration_since(now).as_secs_f64();
            let between = now + SignedDuration::from_secs_f64(span * fraction);
            let early = due_post(plan, between, last_done, grace);
            prop_assert!(
                !matches!(early, PostDecision::Due(_)),
                "nothing missed: {early:?}"
            );
        }
    }
    Ok(())
}
