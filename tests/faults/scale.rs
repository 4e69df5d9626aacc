//! The scale benchmark's scenario (`benches/scale.rs`), smaller, as a test:
//! 20,000 chats with daily plans, 2,000 due in the same minute, sent
//! through the strict fake with Telegram's limits. It asserts counts only
//! (each due chat exactly once, nothing to chats not due, nothing the fake
//! rejects); times and 429s are printed, never asserted: in a debug build
//! on a loaded machine, arrival jitter beyond the limiter's 20 ms margin can
//! draw a 429 (which the bot then waits out), and that is load, not a bug.
//! Telegram's limits run over windows a tenth as long (`quick_limits`):
//! the counts are what is asserted, and 2,000 posts at 30 a second would
//! keep the test waiting 67 s.

use std::time::Duration;

use crate::support::faults::start_with_limits;
use crate::support::quick_limits::{bot_limits, quick_strict_fake};
use crate::support::scale::{Tally, due_minute, seed};
use crate::support::{engine_config, load, temp_db};
use jiff::{SignedDuration, Timestamp};
use studybot::runtime::clock::Clock;

const PLANS: usize = 20_000;
const DUE: usize = 2_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_of_twenty_thousand_plans_due_at_once_each_get_one_post() {
    let fake = quick_strict_fake().await;
    let chats = load::chat_mix(PLANS);
    let (dir, database) = temp_db();
    let due_at = due_minute(Timestamp::now(), SignedDuration::from_hours(1));
    seed(&database, &chats, DUE, due_at).await;
    // The bot's clock reads 2 s before the due minute.
    let clock = Clock::system();
    clock.set(due_at - SignedDuration::from_secs(2));
    let started = std::time::Instant::now();
    let limits = bot_limits();
    let bot = start_with_limits(&fake, &database, clock, engine_config(), dir, limits).await;
    // 2,000 posts at 250 a second take 8 s; allow for a slow debug build.
    let all = fake
        .wait_until(Duration::from_secs(240), |f| f.sent_count() >= DUE)
        .await;
    // A little longer, so a post sent twice would show.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = fake.sent_messages();
    bot.stop().await;
    let tally = Tally::of(&sent, &chats[..DUE]);
    println!(
        "{} posts in {:.1} s from start, {:.2} msg/s, {} x 429",
        tally.delivered,
        started.elapsed().as_secs_f64(),
        tally.rate(),
        fake.count_429()
    );
    assert!(all, "only {} of {DUE} posts arrived", tally.delivered);
    assert_eq!(
        (tally.lost, tally.doubled, tally.strays),
        (0, 0, 0),
        "{tally:?}"
    );
    assert!(fake.rejected().is_empty(), "{:?}", fake.rejected());
}
