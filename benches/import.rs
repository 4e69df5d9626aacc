//! What importing a large document costs: a generated 5 MB Markdown file
//! mixing every shape the importer reads (seed-style labelled sections in
//! Chinese, numbered English headings with sub-headings and code, bold
//! question lines, <details> blocks, question tables). Runs the release
//! binary `studybot import` on it, as a person would, and prints the wall
//! time, the CPU seconds and the peak resident memory of that process
//! (getrusage RUSAGE_CHILDREN), then the median of in-process
//! `import_markdown` + `to_yaml` runs. Run: `cargo bench --bench import`.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use studybot::import::{ImportOptions, import_markdown, to_yaml};

const TARGET_BYTES: usize = 5 * 1024 * 1024;
const RUNS: usize = 5;

fn main() {
    let document = document();
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("big.md");
    std::fs::write(&path, &document).expect("write the document");
    let mb = document.len() as f64 / 1e6;

    let before = children_usage();
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["import", "big.md", "-o", "big.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("runs studybot import");
    let wall = start.elapsed();
    let after = children_usage();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    println!(
        "import: {mb:.1} MB document; {}",
        report.lines().last().unwrap_or_default()
    );
    println!(
        "import (release binary): wall {:.0} ms, CPU {:.2} s (user+system), peak RSS {:.1} MB",
        wall.as_secs_f64() * 1000.0,
        after.cpu_seconds - before.cpu_seconds,
        after.max_rss_kib as f64 / 1024.0,
    );

    let options = ImportOptions {
        deck: "big".into(),
        title: None,
        fallback_title: "big".into(),
        reserved_ids: Default::default(),
    };
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let imported = import_markdown(&document, &options);
            let yaml = to_yaml(&imported.deck);
            let elapsed = start.elapsed();
            assert!(imported.deck.questions.len() > 10_000 && !yaml.is_empty());
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "import (in process, import_markdown + to_yaml): median {:.0} ms, min {:.0} ms, max {:.0} ms over {RUNS} runs",
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[RUNS - 1].as_secs_f64() * 1000.0,
    );
}

/// About 5 MB of questions in every shape, each shape under a grouping
/// heading of its own (which becomes a tag), with code blocks.
fn document() -> String {
    let mut text = String::from("# 面试题大全 Interview questions\n");
    let mut n = 0;
    while text.len() < TARGET_BYTES {
        let _ = write!(text, "\n## 大模型 {n}\n");
        for k in 0..5 {
            n += 1;
            let _ = write!(
                text,
                "\n#### {n}. 大模型训练中的挑战 {n}\n\n**题目：** 大模型训练中常见的技术挑战有哪些？（{n}）\n\n**答案：**\n\n大模型训练中常见的技术挑战包括：\n\n- **计算资源需求：** 大模型通常需要大量的计算资源进行训练。\n- **数据需求：** 需要处理数据清洗、预处理和数据增强等任务。\n\n**解析：** 计算资源需求是大模型训练中的核心挑战 {k}。\n"
            );
        }
        let _ = write!(text, "\n## Containers {n}\n");
        for _ in 0..5 {
            n += 1;
            let _ = write!(
                text,
                "\n### {n}. What is _container_ {n}?\n\nA **container** is an isolated process.\n\n#### Key parts\n\n- Namespaces\n- Cgroups\n\n```bash\n# not a heading\ndocker run --rm alpine echo {n}\n```\n<br>\n"
            );
        }
        let _ = write!(text, "\n## Git and CI {n}\n");
        for _ in 0..5 {
            n += 1;
            let _ = write!(
                text,
                "\n**{n}. What does `git rebase` do?**\n\nA: It replays commits on a new base ({n}).\n\n<details>\n<summary>What is CI {n}?</summary><br><b>\n\nMerging work often, each merge built and tested.\n</b></details>\n"
            );
        }
        let _ = write!(
            text,
            "\n| Question | Answer |\n| --- | --- |\n| What is a tuple {n}? | An immutable sequence. |\n| Is a dict ordered {n}? | Yes, by insertion. |\n"
        );
    }
    text
}

struct Usage {
    cpu_seconds: f64,
    max_rss_kib: i64,
}

/// CPU time and peak RSS of the children this process waited for.
fn children_usage() -> Usage {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage {
        cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
    }
}
