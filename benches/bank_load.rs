//! How long `Bank::load` takes on a large bank: 10,000 questions in 10 deck
//! files, each question shaped like the seed's (a Markdown list answer in
//! Chinese, a paragraph of analysis). Prints the median of several loads
//! and the process's peak resident memory. Run: `cargo bench --bench bank_load`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use studybot::bank::Bank;

const DECKS: usize = 10;
const QUESTIONS_PER_DECK: usize = 1_000;
const RUNS: usize = 9;

fn main() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let bytes = write_bank(dir.path());
    let mut times: Vec<Duration> = (0..RUNS).map(|_| time_load(dir.path())).collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "bank_load: {} questions in {DECKS} files ({:.1} MB): median {:.1} ms, min {:.1} ms, max {:.1} ms over {RUNS} runs",
        DECKS * QUESTIONS_PER_DECK,
        bytes as f64 / 1e6,
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1]),
    );
    match peak_rss_kib() {
        Some(kib) => println!("bank_load: peak RSS (VmHWM) {:.1} MB", kib as f64 / 1024.0),
        None => println!("bank_load: peak RSS unavailable (no /proc/self/status)"),
    }
}

fn time_load(dir: &Path) -> Duration {
    let start = Instant::now();
    let bank =
        Bank::load(dir).unwrap_or_else(|errors| panic!("the generated bank is valid:\n{errors}"));
    let elapsed = start.elapsed();
    assert_eq!(bank.len(), DECKS * QUESTIONS_PER_DECK);
    elapsed
}

/// Writes the deck files; returns their total size in bytes.
fn write_bank(dir: &Path) -> usize {
    let mut total = 0;
    for deck in 0..DECKS {
        let text = deck_text(deck);
        total += text.len();
        std::fs::write(dir.join(format!("deck-{deck:02}.yaml")), text).expect("write a deck");
    }
    total
}

fn deck_text(deck: usize) -> String {
    let mut text =
        format!("deck: deck-{deck}\ntitle: 第 {deck} 组面试题\nlanguage: zh\nquestions:\n");
    for n in 0..QUESTIONS_PER_DECK {
        let id = format!("d{deck}-question-{n}");
        let _ = write!(
            text,
            "  - id: {id}\n    title: 大模型训练中的挑战 {n}\n    tags: [training, startup, tag-{}]\n    question: 大模型训练中常见的技术挑战有哪些？（{n}）\n    answer: |\n      大模型训练中常见的技术挑战包括：\n\n      - **计算资源需求：** 大模型通常需要大量的计算资源进行训练，包括高性能的 CPU、GPU 和分布式计算架构。\n      - **数据需求：** 大模型需要大量的数据来训练，同时需要处理数据清洗、预处理和数据增强等任务。\n      - **挑战：**\n        - 计算资源需求高：大模型训练需要大量的计算资源。\n    analysis: |\n      计算资源需求是大模型训练中的核心挑战，需要采用分布式计算和优化算法来提高训练效率。\n",
            n % 50
        );
    }
    text
}

/// The peak resident set size in KiB, from `VmHWM` in /proc/self/status.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
