//! Hot reload of the bank: an operator fixes a question and the running bot
//! serves the fix, without a restart.
//!
//! Every trigger (SIGHUP, `studybot reload` through the pid file, a change
//! in the content directory) ends in one function, `reload_now`, which loads
//! and checks the bank exactly as start-up does. A bank with errors never
//! replaces a good one: its errors are logged with their locations and the
//! bank in use stays. Turns in flight keep the bank they took.

mod pidfile;
mod watch;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::bank::{Bank, BankErrors};
use crate::config::operator::OperatorConfig;
use crate::study::Engine;

pub use pidfile::{PidFile, PidFileError, default_pid_file, signal_reload};
pub use watch::{DEBOUNCE, Reloader};

/// What a good reload changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Questions in the bank before and after.
    pub before: usize,
    pub after: usize,
    /// Question ids new in the bank, and gone from it, in id order.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Reloaded {
    fn between(old: &Bank, new: &Bank) -> Reloaded {
        let ids = |bank: &Bank| -> BTreeSet<String> {
            bank.questions().iter().map(|q| q.id.clone()).collect()
        };
        let (old_ids, new_ids) = (ids(old), ids(new));
        Reloaded {
            before: old.len(),
            after: new.len(),
            added: new_ids.difference(&old_ids).cloned().collect(),
            removed: old_ids.difference(&new_ids).cloned().collect(),
        }
    }
}

/// One line for the log: `bank reloaded: 8 → 9 questions (+1: new-q; -0)`.
impl fmt::Display for Reloaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bank reloaded: {} → {} questions (+{}{}; -{}{})",
            self.before,
            self.after,
            self.added.len(),
            id_list(&self.added),
            self.removed.len(),
            id_list(&self.removed),
        )
    }
}

/// `: a, b, c` (at most five ids, then `…`), or nothing.
fn id_list(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    if ids.is_empty() {
        return String::new();
    }
    let mut list = ids[..ids.len().min(SHOWN)].join(", ");
    if ids.len() > SHOWN {
        list.push_str(", …");
    }
    format!(": {list}")
}

/// Loads and checks the bank in `content` again, as at start-up. A good
/// bank replaces the one `engine` serves (and the change is logged in one
/// line); a bad one is logged error by error, `file:line:col: message`,
/// and changes nothing. The one reload path: every trigger calls it, and
/// whatever else a reload should refresh belongs here.
pub fn reload_now(engine: &Engine, content: &Path) -> Result<Reloaded, BankErrors> {
    let bank = match Bank::load(content) {
        Ok(bank) => bank,
        Err(errors) => {
            for error in errors.iter() {
                log::error!("reload: {error}");
            }
            log::error!(
                "reload: {} error{} in the bank in {}; the bank in use stays",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                content.display()
            );
            return Err(errors);
        }
    };
    let new = Arc::new(bank);
    let old = engine.replace_bank(Arc::clone(&new));
    let reloaded = Reloaded::between(&old, &new);
    log::info!("{reloaded}");
    Ok(reloaded)
}

/// Reads the operator's file (`STUDYBOT_CONFIG`) again and applies its
/// chats' plans, checked against the bank now in use. A file with mistakes
/// is logged error by error and changes nothing; the settings it holds
/// (the environment's names) take effect only at the next start.
pub async fn reapply_operator_file(engine: &Engine, path: &Path) {
    let config = match OperatorConfig::load(path) {
        Ok(config) => config,
        Err(errors) => return log_operator_errors(path, &errors.0),
    };
    if let Err(errors) = config.check_bank(&engine.bank()) {
        return log_operator_errors(path, &errors.0);
    }
    match engine
        .apply_operator_chats(&config, jiff::Timestamp::now())
        .await
    {
        Ok(applied) => log::info!(
            "reload: {}: {} chat plans set, {} unchanged, {} handed back to their chats",
            path.display(),
            applied.set,
            applied.unchanged,
            applied.released
        ),
        Err(error) => log::error!("reload: {}: cannot apply: {error}", path.display()),
    }
}

fn log_operator_errors(path: &Path, errors: &[String]) {
    for error in errors {
        log::error!("reload: {error}");
    }
    log::error!(
        "reload: {} has mistakes; the chats' plans in use stay",
        path.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_names_what_changed_and_shortens_long_lists() {
        let reloaded = Reloaded {
            before: 8,
            after: 9,
            added: vec!["new-q".into()],
            removed: Vec::new(),
        };
        assert_eq!(
            reloaded.to_string(),
            "bank reloaded: 8 → 9 questions (+1: new-q; -0)"
        );
        let many: Vec<String> = (1..=7).map(|i| format!("q{i}")).collect();
        assert_eq!(id_list(&many), ": q1, q2, q3, q4, q5, …");
    }
}
