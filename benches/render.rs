//! How much CPU rendering costs: every question of the shipped banks (`content/` and
//! `content-quiz/`) rendered as a reveal post (title, answer, analysis) in each format, many
//! times over. Prints, per format, wall time and CPU seconds (getrusage) for all passes and
//! per rendering of the whole bank, then the process's peak RSS (VmHWM).
//! Run: `cargo bench --bench render` (or `-- PASSES`, default 400).

use std::path::Path;
use std::time::{Duration, Instant};

use studybot::bank::Bank;
use studybot::post::{Block, Post};
use studybot::render;

type Renderer = fn(&Post) -> usize;

const FORMATS: &[(&str, Renderer)] = &[
    ("telegram html", |post| {
        render::telegram_html(post).iter().map(String::len).sum()
    }),
    ("terminal text", |post| render::plain_text(post, true).len()),
    ("discord", |post| {
        render::discord_messages(post).iter().map(String::len).sum()
    }),
];

fn main() {
    let passes: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(400);
    let posts = reveal_posts();
    println!("render: {} posts, {passes} passes per format", posts.len());
    let (mut wall_total, mut cpu_total) = (Duration::ZERO, 0.0);
    for (name, renderer) in FORMATS {
        let (wall, cpu, bytes) = measure(&posts, passes, *renderer);
        println!(
            "render {name:>13}: wall {:.2} s, CPU {cpu:.2} s; per bank {:.0} µs CPU ({} bytes out)",
            wall.as_secs_f64(),
            cpu * 1e6 / passes as f64,
            bytes / passes,
        );
        wall_total += wall;
        cpu_total += cpu;
    }
    println!(
        "render all formats: wall {:.2} s, CPU {cpu_total:.2} s; peak RSS {:.1} MB",
        wall_total.as_secs_f64(),
        peak_rss_kib() as f64 / 1024.0
    );
}

fn measure(posts: &[Post], passes: usize, renderer: Renderer) -> (Duration, f64, usize) {
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..passes {
        bytes += posts
            .iter()
            .map(|post| renderer(std::hint::black_box(post)))
            .sum::<usize>();
    }
    (start.elapsed(), cpu_seconds() - cpu_before, bytes)
}

/// One reveal-like post per question of both shipped banks.
fn reveal_posts() -> Vec<Post> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut posts = Vec::new();
    for dir in ["content", "content-quiz"] {
        let bank = Bank::load(&root.join(dir)).unwrap_or_else(|errors| panic!("{dir}: {errors}"));
        for question in bank.questions() {
            let mut blocks = vec![
                Block::Heading(question.title.clone()),
                Block::Markdown(question.question.clone()),
                Block::Markdown(question.answer.clone()),
            ];
            blocks.extend(question.analysis.clone().map(Block::Markdown));
            posts.push(Post::notice(blocks));
        }
    }
    posts
}

/// User + system CPU seconds of this process (getrusage).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Peak resident set size in KiB (VmHWM: this process's own, unlike `ru_maxrss`, which
/// keeps the peak of the process that exec'd it).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}
