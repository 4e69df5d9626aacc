//! Logging that can never print the bot token.
//!
//! HTTP client errors carry the request URL, and Telegram's URLs contain
//! the token (`/bot<TOKEN>/SendMessage`); any library may log one at any
//! level. Rather than trust every call site, the logger itself replaces the
//! token in every line before `env_logger` writes it.

use log::{Log, Metadata, Record};

struct Redacting {
    inner: env_logger::Logger,
    secrets: Vec<String>,
}

impl Log for Redacting {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.inner.matches(record) {
            return;
        }
        let text = redact(&record.args().to_string(), &self.secrets);
        self.inner.log(
            &Record::builder()
                .args(format_args!("{text}"))
                .metadata(record.metadata().clone())
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build(),
        );
    }

    fn flush(&self) {
        self.inner.flush()
    }
}

/// Replaces every secret in `text`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_string(), |t, s| t.replace(s.as_str(), "<redacted>"))
}

/// Installs the logger (`RUST_LOG`, default `info`) with `secrets` redacted.
/// Calling it twice is harmless (the first logger stays).
pub fn init(secrets: Vec<String>) {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let max = inner.filter();
    if log::set_boxed_logger(Box::new(Redacting { inner, secrets })).is_ok() {
        log::set_max_level(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// A log target the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_logger_itself_never_writes_the_token() {
        let captured = Captured::default();
        let inner = env_logger::Builder::new()
            .filter_level(log::LevelFilter::Trace)
            .target(env_logger::Target::Pipe(Box::new(captured.clone())))
            .build();
        let logger = Redacting {
            inner,
            secrets: vec!["42:SECRET".to_string()],
        };
        logger.log(
            &Record::builder()
                .args(format_args!("POST http://x/bot42:SECRET/GetMe failed"))
                .level(log::Level::Trace)
                .target("reqwest")
                .build(),
        );
        let written = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(written.contains("/bot<redacted>/GetMe"), "{written}");
        assert!(!written.contains("SECRET"), "{written}");
    }

    #[test]
    fn every_occurrence_is_replaced() {
        let secrets = vec!["123:ABC".to_string()];
        let line = "error sending request for url (http://x/bot123:ABC/GetMe) bot123:ABC";
        let out = redact(line, &secrets);
        assert!(!out.contains("123:ABC"));
        assert_eq!(out.matches("<redacted>").count(), 2);
    }
}
