//! The subcommands about decks: `check`, `preview`, `import` and `export`.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rand::seq::IndexedRandom;
use studybot::bank::{Bank, BankErrors};
use studybot::import::{self, ImportStep};
use studybot::post::{Post, PostQuiz, QuizPoll};
use studybot::study::Lang;
use studybot::{render, study};

use super::content_dir;
use super::progress::{Progress, Unit};

pub fn check(dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = content_dir(dir);
    let loaded = if dir.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        Bank::from_sources(vec![(PathBuf::from("<stdin>"), text)])
    } else {
        Bank::load(&dir)
    };
    match loaded {
        Ok(bank) => {
            print!("{}", bank.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            report_bank_errors(&errors);
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn report_bank_errors(errors: &BankErrors) {
    for error in errors.iter() {
        eprintln!("{error}");
    }
    let count = errors.len();
    eprintln!(
        "{count} error{} in the bank",
        if count == 1 { "" } else { "s" }
    );
}

/// How `preview` prints a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewFormat {
    Plain,
    TelegramHtml,
    Discord,
}

pub fn preview(
    dir: Option<PathBuf>,
    id: Option<&str>,
    answer: bool,
    format: PreviewFormat,
) -> anyhow::Result<ExitCode> {
    let bank = match Bank::load(&content_dir(dir)) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let question = match id {
        Some(id) => bank.get(id),
        None => bank.questions().choose(&mut rand::rng()),
    };
    let Some(question) = question else {
        eprintln!(
            "studybot: no question with id `{}`; the ids are the `id:` lines in the deck files (run `studybot check` to list the decks)",
            id.unwrap_or_default()
        );
        return Ok(ExitCode::FAILURE);
    };
    let lang = preview_lang();
    let mut posts = vec![study::question_post(&bank, question, lang, None)];
    if answer {
        posts.push(study::reveal_post(question, lang, None));
    }
    for (i, post) in posts.iter().enumerate() {
        if i > 0 {
            println!("\n----------------------------------------\n");
        }
        print_post(post, format);
        if let Some(PostQuiz::Open(poll)) = &post.quiz {
            print_poll(poll);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The quiz poll Telegram gets after a question with choices.
fn print_poll(poll: &QuizPoll) {
    println!("\n[quiz poll] {}", poll.prompt);
    for (i, option) in poll.options.iter().enumerate() {
        let mark = if i == poll.correct { '✓' } else { ' ' };
        println!("  {mark} {}. {option}", char::from(b'A' + i as u8));
    }
    if let Some(explanation) = &poll.explanation {
        println!(
            "  explanation: {}",
            explanation.replace('\n', "\n               ")
        );
    }
}

/// `STUDYBOT_LANG` when it names a language, else Chinese, as the bot does.
fn preview_lang() -> Lang {
    std::env::var("STUDYBOT_LANG")
        .ok()
        .and_then(|code| Lang::parse(&code))
        .unwrap_or(Lang::Zh)
}

fn print_post(post: &Post, format: PreviewFormat) {
    match format {
        PreviewFormat::TelegramHtml => {
            for (i, chunk) in render::telegram_html(post).iter().enumerate() {
                if i > 0 {
                    println!();
                }
                println!("{chunk}");
            }
        }
        PreviewFormat::Discord => print_discord(post),
        PreviewFormat::Plain => println!("{}", render::plain_text(post, false).trim_end()),
    }
}

/// Each message's `content` exactly as sent (sent with `allowed_mentions: {"parse": []}`),
/// under a line naming it, then the buttons under the last one.
fn print_discord(post: &Post) {
    let messages = render::discord_messages(post);
    let count = messages.len();
    for (i, content) in messages.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!(
            "[Discord message {} of {count}: {} characters]",
            i + 1,
            content.chars().count()
        );
        println!("{content}");
    }
    for button in &post.buttons {
        println!("[button: {}]", button.label);
    }
}

/// `studybot import`: the report lines and the YAML go above the progress
/// bar (at a terminal); several documents end with one summary line.
pub fn import(request: import::Request) -> anyhow::Result<ExitCode> {
    let sizes = request
        .files
        .iter()
        .map(|f| fs::metadata(f).map_or(0, |m| m.len()));
    let progress = Progress::start("import", Unit::Bytes, Some(sizes.sum()));
    let (mut files, mut questions, mut bytes) = (0, 0, 0);
    let mut count = |step: ImportStep<'_>| match step {
        ImportStep::Reading { file, .. } => progress.working_on(&file.display().to_string()),
        ImportStep::Done {
            bytes: read,
            questions: written,
            ..
        } => {
            progress.advance(read);
            (files, bytes) = (files + 1, bytes + read);
            questions += written.unwrap_or(0);
        }
    };
    let mut stdout = progress.above(io::stdout());
    let mut report = progress.above(io::stderr());
    let all_written = import::import_files(&request, &mut stdout, &mut report, &mut count);
    if all_written.is_err() || files < 2 {
        progress.abandon();
    } else {
        progress.finish(&format!("{files} files, {questions} questions,"), bytes);
    }
    Ok(if all_written? {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn export(
    dir: Option<PathBuf>,
    deck: &str,
    output: Option<&Path>,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let bank = match Bank::load(&content_dir(dir)) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let Some(imported) = import::deck_from_bank(&bank, deck) else {
        let decks: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
        eprintln!(
            "studybot: no deck `{deck}`; the decks are: {}",
            decks.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    };
    let markdown = import::to_markdown(&imported);
    match output {
        Some(path) if path.exists() && !force => {
            eprintln!(
                "studybot: {} exists; pass --force to replace it",
                path.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Some(path) => import::write_atomically(path, &markdown)?,
        None => io::stdout().write_all(markdown.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
