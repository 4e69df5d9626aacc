//! The schema's migrations, one list per backend, embedded in the binary.
//!
//! sqlx's `migrate!` macro would find the files itself, but a proc-macro's
//! dependencies are built for the compiler too: with it, every build (and
//! CI's clippy run) compiled sqlx's core and both drivers a second time.
//! The lists are kept here by hand instead, and a test checks them against
//! `migrations/`, so a file added there and not here fails `cargo test`.
//! Checksums are sqlx's own (SHA-384 of the text, `Migration::new`), so a
//! database migrated by an earlier build stays valid.

use std::borrow::Cow;
use std::sync::LazyLock;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// `(file stem, text)` of each file of `migrations/<dir>`, in order.
macro_rules! embed {
    ($dir:literal: $($stem:literal),* $(,)?) => {
        &[$((
            $stem,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/", $stem, ".sql")),
        )),*]
    };
}

pub(super) const SQLITE_FILES: &[(&str, &str)] = embed!("sqlite":
    "0001_initial", "0002_daily", "0003_platforms", "0004_next_due", "0010_learn",
    "0011_nudges", "0012_quiz", "0013_pins_reports", "0014_plan_days", "0015_ledger_owner",
    "0016_ledger_claimed", "0017_plan_discord", "0018_suggestions", "0019_suggestion_desks",
    "0020_settings_epoch",
);

pub(super) const POSTGRES_FILES: &[(&str, &str)] = embed!("postgres":
    "0001_initial", "0002_daily", "0003_platforms", "0004_next_due", "0010_learn",
    "0011_nudges", "0012_quiz", "0013_pins_reports", "0014_plan_days", "0015_ledger_owner",
    "0016_ledger_claimed", "0017_plan_discord", "0018_suggestions", "0019_suggestion_desks",
    "0020_settings_epoch",
);

pub(super) static SQLITE: LazyLock<Migrator> = LazyLock::new(|| migrator(SQLITE_FILES));
pub(super) static POSTGRES: LazyLock<Migrator> = LazyLock::new(|| migrator(POSTGRES_FILES));

/// The migrator of `files`, as `migrate!` would make it: the version is the
/// number before the first `_`, the description the rest with spaces.
fn migrator(files: &'static [(&'static str, &'static str)]) -> Migrator {
    let migrations = files
        .iter()
        .map(|(stem, sql)| {
            let (version, description) = stem.split_once('_').expect("NNNN_name");
            Migration::new(
                version.parse().expect("a numbered migration"),
                Cow::Owned(description.replace('_', " ")),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `.sql` file stems of `migrations/<dir>`, sorted.
    fn on_disk(dir: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir);
        let mut stems: Vec<String> = std::fs::read_dir(path)
            .expect("the migrations folder")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        stems.sort();
        stems
    }

    fn listed(files: &[(&str, &str)]) -> Vec<String> {
        files.iter().map(|(stem, _)| stem.to_string()).collect()
    }

    #[test]
    fn every_migration_file_is_listed_in_order() {
        assert_eq!(listed(SQLITE_FILES), on_disk("sqlite"));
        assert_eq!(listed(POSTGRES_FILES), on_disk("postgres"));
    }

    #[test]
    fn the_backends_have_the_same_versions() {
        let versions = |m: &Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE), versions(&POSTGRES));
        let first = SQLITE.iter().next().unwrap();
        assert_eq!((first.version, first.description.as_ref()), (1, "initial"));
    }
}
