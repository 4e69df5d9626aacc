//! How a long command (`import`, `backup`, `migrate-store`) shows that it is
//! working. When stderr is a terminal: a bar with counts and a rate, redrawn
//! in place. When it is not (CI, a pipe, a log file): plain lines, with no
//! carriage return and no escape sequence, and a summary line at the end.
//! The choice is made here once; the commands only report counts, and the
//! library code they call never prints.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use std::fmt;

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// What a command counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Rows,
}

/// One command's progress, on stderr.
pub struct Progress {
    label: &'static str,
    unit: Unit,
    started: Instant,
    /// `None` when stderr is no terminal: plain lines instead.
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar when stderr is a terminal (and `TERM` is not `dumb`), else
    /// plain lines. `total`: `None` until the command knows it.
    pub fn start(label: &'static str, unit: Unit, total: Option<u64>) -> Progress {
        let terminal =
            io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        Progress {
            label,
            unit,
            started: Instant::now(),
            bar: terminal.then(|| bar(label, unit, total)),
        }
    }

    pub fn set_total(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
    }

    pub fn set_done(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    pub fn advance(&self, by: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(by);
        }
    }

    /// What is being worked on now: the bar's message; no line when plain.
    pub fn working_on(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    /// A step worth a line in a log (`label: text`); at a terminal it is
    /// the bar's message instead.
    pub fn milestone(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_string()),
            None => eprintln!("{}: {text}", self.label),
        }
    }

    /// `out` for the command's own lines: at a terminal they are written
    /// above the bar, so the bar never tears them.
    pub fn above<W: Write>(&self, out: W) -> Above<'_, W> {
        Above {
            bar: self.bar.as_ref(),
            out,
        }
    }

    /// Removes the bar and prints the summary line: `detail` (e.g. `3 files,`)
    /// then `done` in the command's unit, the time taken and the rate.
    pub fn finish(self, detail: &str, done: u64) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let line = summary(self.label, detail, self.unit, done, self.started.elapsed());
        eprintln!("{line}");
    }

    /// Removes the bar without a summary (the command failed; its error says why).
    pub fn abandon(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// See `Progress::above`.
pub struct Above<'a, W> {
    bar: Option<&'a ProgressBar>,
    out: W,
}

impl<W: Write> Write for Above<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.bar {
            Some(bar) => bar.suspend(|| self.out.write(buf)),
            None => self.out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The bar: ASCII only (indicatif is built without unicode-width tables),
/// ticking on its own so a long single step still shows the time passing.
fn bar(label: &'static str, unit: Unit, total: Option<u64>) -> ProgressBar {
    let counts = match unit {
        Unit::Bytes => "{bytes}/{total_bytes} ({bytes_per_sec})",
        Unit::Rows => "{pos}/{len} rows ({rows_per_sec})",
    };
    let template = format!("{{prefix}} [{{bar:30}}] {counts} {{elapsed}} {{wide_msg}}");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rows_per_sec",
            |state: &ProgressState, out: &mut dyn fmt::Write| {
                let _ = write!(out, "{:.0} rows/s", state.per_sec());
            },
        )
        .progress_chars("=> ")
        .tick_chars("|/-\\ ");
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
        .with_style(style)
        .with_prefix(label);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `migrate-store: 15 tables, 1234 rows in 0.31 s (3981 rows/s)`: the
/// plain summary line (also printed after the bar is cleared).
pub fn summary(label: &str, detail: &str, unit: Unit, done: u64, took: Duration) -> String {
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!("{detail} ")
    };
    let mut line = format!(
        "{label}: {detail}{} in {:.2} s",
        amount(unit, done),
        took.as_secs_f64()
    );
    if let Some(rate) = rate(unit, done, took) {
        line.push_str(&format!(" ({rate})"));
    }
    line
}

/// `1.20 MiB`, `1 row`, `1234 rows`.
pub fn amount(unit: Unit, n: u64) -> String {
    match unit {
        Unit::Bytes => HumanBytes(n).to_string(),
        Unit::Rows if n == 1 => "1 row".to_string(),
        Unit::Rows => format!("{n} rows"),
    }
}

/// Per second, or `None` when too little time passed to say.
fn rate(unit: Unit, done: u64, took: Duration) -> Option<String> {
    let seconds = took.as_secs_f64();
    if seconds < 0.001 {
        return None;
    }
    let per_second = done as f64 / seconds;
    Some(match unit {
        Unit::Bytes => format!("{}/s", HumanBytes(per_second as u64)),
        Unit::Rows => format!("{per_second:.0} rows/s"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_has_the_counts_the_time_and_the_rate() {
        let took = Duration::from_millis(500);
        assert_eq!(
            summary("migrate-store", "15 tables,", Unit::Rows, 1234, took),
            "migrate-store: 15 tables, 1234 rows in 0.50 s (2468 rows/s)"
        );
        assert_eq!(
            summary("backup", "", Unit::Bytes, 3 * 1024 * 1024, took),
            "backup: 3.00 MiB in 0.50 s (6.00 MiB/s)"
        );
        assert_eq!(
            summary("migrate-store", "", Unit::Rows, 1, Duration::ZERO),
            "migrate-store: 1 row in 0.00 s",
            "no rate from no time"
        );
    }

    #[test]
    fn plain_lines_hold_no_control_characters() {
        let line = summary(
            "import",
            "3 files,",
            Unit::Bytes,
            12_345,
            Duration::from_secs(2),
        );
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
}
