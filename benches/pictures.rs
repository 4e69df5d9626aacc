//! What a `/stats` picture costs: renders the personal and the group picture
//! of busy figures many times and prints, per picture, the CPU time
//! (getrusage, user + system), the PNG's size and the process's peak RSS.
//! Target: ≤ 20 ms CPU and ≤ 100 KB a picture. Run: `cargo bench --bench pictures`.

use jiff::ToSpan;
use jiff::civil::date;
use studybot::render::picture::{DayActivity, GroupPicture, PersonalPicture, Png};

const RUNS: u32 = 200;

fn main() {
    let today = date(2026, 12, 9);
    let personal = PersonalPicture {
        today,
        ratings_per_day: (0..182i64)
            .map(|d| (today.checked_sub(d.days()).unwrap(), (d * 7 % 23) as u32))
            .collect(),
        remembered_by_week: (0..26).map(|w| Some((w % 10) as f32 / 10.0)).collect(),
    };
    let group = GroupPicture {
        days: (0..28)
            .map(|d| DayActivity {
                people: 5 + d % 11,
                ratings: 20 + d * 13 % 97,
            })
            .collect(),
        hardest: vec![0.9, 0.7, 0.65, 0.4, 0.2],
    };
    measure("personal", || personal.render());
    measure("group", || group.render());
    println!(
        "pictures: peak RSS (VmHWM) {:.1} MB",
        peak_rss_kib() as f64 / 1024.0
    );
}

fn measure(name: &str, render: impl Fn() -> Png) {
    let before = cpu_seconds();
    let mut png = render();
    for _ in 1..RUNS {
        png = render();
    }
    let per = (cpu_seconds() - before) / f64::from(RUNS);
    println!(
        "pictures: {name}: {:.2} ms CPU a picture over {RUNS} runs, {} bytes, {}×{} px",
        per * 1000.0,
        png.bytes.len(),
        png.width,
        png.height
    );
}

/// User + system CPU of this process, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The peak resident set size in KiB (VmHWM), 0 without /proc.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
