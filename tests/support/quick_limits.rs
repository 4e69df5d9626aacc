//! Telegram's send limits over windows a tenth as long, for tests that run
//! against the strict fake for realism but do not study the limits
//! themselves (the `/suggest` form sends some forty messages to one private
//! chat: 45 s at one a second, about 6 s here). The fake still answers 429
//! to anything over its limits, and the bot keeps the same absolute
//! margins as in production (50 ms a chat, 1 s a group, 20 ms overall), so
//! it stays as far inside the fake's windows as it does inside Telegram's.

use fake_bot_api::{Config, FakeBotApi, Limits, Window};
use studybot::telegram::{Limit, LimitConfig};

/// How many times shorter every window is than Telegram's.
const SCALE: u32 = 10;

/// The fake's limits: Telegram's counts, windows a tenth as long.
pub fn fake_limits() -> Limits {
    let real = Limits::default();
    let shorter = |w: Window| Window {
        max: w.max,
        span: w.span / SCALE,
    };
    Limits {
        per_chat: shorter(real.per_chat),
        per_group: shorter(real.per_group),
        global: shorter(real.global),
    }
}

/// The bot's limits over the same shorter windows, with production's margins.
pub fn bot_limits() -> LimitConfig {
    let fake = fake_limits();
    let real = (Limits::default(), LimitConfig::default());
    let with_margin = |window: Window, real_window: Window, real_limit: Limit| Limit {
        max: real_limit.max,
        span: window.span + (real_limit.span - real_window.span),
    };
    LimitConfig {
        per_chat: with_margin(fake.per_chat, real.0.per_chat, real.1.per_chat),
        per_group: with_margin(fake.per_group, real.0.per_group, real.1.per_group),
        global: with_margin(fake.global, real.0.global, real.1.global),
    }
}

/// A strict fake (limits on, short long polls) with [`fake_limits`].
pub async fn quick_strict_fake() -> FakeBotApi {
    super::fake_with(Config {
        rate_limits: true,
        limits: fake_limits(),
        ..super::quick_polls()
    })
    .await
}
