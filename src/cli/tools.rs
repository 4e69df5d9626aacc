//! The operator's subcommands around a bot's database: `backup`,
//! `migrate-store`, `reports`, `chat` (the console) and `reload`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use studybot::bank::Bank;
use studybot::config::Settings;
use studybot::console::{self, Database, Seat};
use studybot::store::{BackupStep, CopyStep, Store};
use studybot::study::{Engine, EngineConfig};

use super::bank::report_bank_errors;
use super::progress::{Progress, Unit, amount};

/// `studybot backup -o FILE`: a consistent copy of the running bot's database.
pub fn backup(output: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let progress = Progress::start("backup", Unit::Bytes, None);
    let mut show = |step| match step {
        BackupStep::Started { estimate } => {
            progress.set_total(estimate);
            progress.milestone(&format!("copying about {}", amount(Unit::Bytes, estimate)));
        }
        BackupStep::Copied { bytes } => progress.set_done(bytes),
    };
    let copied = runtime.block_on(studybot::store::backup_observed(
        &settings.database,
        output,
        force,
        &mut show,
    ));
    let size = match copied {
        Ok(size) => size,
        Err(error) => {
            progress.abandon();
            return Err(error.into());
        }
    };
    progress.finish("", size);
    println!(
        "studybot: copied {} to {} ({} KiB)",
        settings.database,
        output.display(),
        size.div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

/// `studybot migrate-store --from URL --to URL`: copies one store into
/// another; each table's count on stdout, the progress on stderr.
pub fn migrate_store(from: &str, to: &str) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let progress = Progress::start("migrate-store", Unit::Rows, None);
    let (mut tables, mut of_tables, mut rows, mut of_rows) = (0, 0, 0, 0);
    let mut show = |step| match step {
        CopyStep::Counted {
            tables: all_tables,
            rows: all_rows,
        } => {
            progress.set_total(all_rows);
            (of_tables, of_rows) = (all_tables, all_rows);
        }
        CopyStep::Rows { table, rows: batch } => {
            progress.working_on(table);
            progress.advance(batch);
        }
        CopyStep::Table(count) => {
            (tables, rows) = (tables + 1, rows + count.rows);
            progress.milestone(&format!(
                "{tables}/{of_tables} tables, {rows}/{of_rows} rows ({} done)",
                count.table
            ));
        }
    };
    let copied = runtime.block_on(studybot::store::copy_store_observed(from, to, &mut show));
    let counts = match copied {
        Ok(counts) => counts,
        Err(error) => {
            progress.abandon();
            return Err(error.into());
        }
    };
    progress.finish(&format!("{tables} tables,"), rows);
    for count in &counts {
        println!("{:<16} {:>9} rows", count.table, count.rows);
    }
    println!(
        "studybot: copied {} to {}",
        studybot::store::redacted(from),
        studybot::store::redacted(to)
    );
    Ok(ExitCode::SUCCESS)
}

/// `studybot reports`: the stored reports, newest first.
pub fn reports(limit: u32) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let rows = runtime.block_on(async {
        let store = Store::open(&settings.database).await?;
        let rows = store.reports(limit).await;
        store.close().await;
        rows
    })?;
    if rows.is_empty() {
        println!(
            "no reports in {}",
            studybot::store::redacted(&settings.database)
        );
    }
    for r in rows {
        let at = jiff::Timestamp::from_second(r.at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let chat = r.chat_title.as_deref().unwrap_or("-");
        println!(
            "#{} {} question: {}",
            r.id,
            at.strftime("%Y-%m-%d %H:%M UTC"),
            r.question_id
        );
        println!(
            "  chat: {chat} ({}), from: {}:{}",
            r.chat_id, r.person.platform, r.person.id
        );
        println!("  {}\n", r.text.replace('\n', "\n  "));
    }
    Ok(ExitCode::SUCCESS)
}

/// A console session over the engine, on its own database.
pub fn chat(database: Database, seat: Seat) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let bank = match Bank::load(&settings.content) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let store = database.open().await?;
        let config = EngineConfig {
            default_lang: seat.lang.unwrap_or(settings.lang),
            default_zone: settings.timezone.clone(),
            grace: settings.grace,
        };
        let engine = Engine::new(Arc::new(bank), store, config);
        console::run(engine, seat, &database).await?;
        anyhow::Ok(ExitCode::SUCCESS)
    });
    // A read of standard input may still be blocked in its thread: do not
    // wait for a line that will never come.
    runtime.shutdown_background();
    result
}

/// Signals the running bot to reload, then checks the same bank here, so
/// that the errors that keep the old bank in use are shown at once.
pub fn reload() -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let pid = studybot::reload::signal_reload(&settings.pid_file)?;
    println!("studybot: asked the bot (pid {pid}) to reload its bank");
    match Bank::load(&settings.content) {
        Ok(bank) => {
            let decks = bank.decks().len();
            println!(
                "{}: {} questions in {decks} deck{}",
                settings.content.display(),
                bank.len(),
                if decks == 1 { "" } else { "s" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            report_bank_errors(&errors);
            eprintln!("studybot: the bot keeps the bank it had until these are fixed");
            Ok(ExitCode::FAILURE)
        }
    }
}
