//! The one place adapters read the time.
//!
//! Rules take `now` as an argument; the adapters get it from a `Clock`. In
//! production it is the system clock. Tests hold a handle to the same clock
//! and move it (a fixed offset from the system clock), so "it is 08:59:59
//! in Shanghai" is one call, and the scheduler is woken to look again.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::runtime::wake::{Listener, Wake};
use jiff::{SignedDuration, Timestamp};

/// The system clock, optionally shifted (shared by every clone).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ns: Arc<AtomicI64>,
    moved: Wake,
}

impl Clock {
    /// The system clock, unshifted.
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> Timestamp {
        let offset = SignedDuration::from_nanos(self.offset_ns.load(Ordering::Relaxed));
        Timestamp::now()
            .checked_add(offset)
            .unwrap_or_else(|_| Timestamp::now())
    }

    /// Shifts the clock so that it reads `at` now (and runs on from there).
    pub fn set(&self, at: Timestamp) {
        let offset = at.duration_since(Timestamp::now());
        self.offset_ns
            .store(offset.as_nanos() as i64, Ordering::Relaxed);
        self.moved.announce();
    }

    /// Hears each move made by `set` from now on (never, for the plain
    /// system clock): whoever sleeps until an instant must look again.
    pub fn moves(&self) -> Listener {
        self.moved.listen()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_reads_the_set_time_and_runs_on() {
        let clock = Clock::system();
        let target: Timestamp = "2030-01-01T08:59:59Z".parse().unwrap();
        clock.clone().set(target);
        let read = clock.now();
        assert!(read >= target && read.duration_since(target) < SignedDuration::from_secs(5));
    }
}
