//! Suggestions while a person types an argument (Discord's autocomplete):
//! tags and question ids from the bank, zones from the tz database.

use super::Engine;

/// What is being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    Tag,
    QuestionId,
    Zone,
}

impl Engine {
    /// Up to `limit` values of `what` containing `typed` (any case),
    /// those starting with it first, then in order.
    pub fn suggest(&self, what: Suggest, typed: &str, limit: usize) -> Vec<String> {
        let typed = typed.trim().to_lowercase();
        let bank = self.bank();
        let mut found: Vec<String> = match what {
            Suggest::Tag => bank.tags().into_iter().map(|(tag, _)| tag).collect(),
            Suggest::QuestionId => bank.questions().iter().map(|q| q.id.clone()).collect(),
            Suggest::Zone => jiff::tz::db()
                .available()
                .map(|name| name.to_string())
                .collect(),
        };
        found.retain(|v| v.to_lowercase().contains(&typed));
        found.sort_by_key(|v| (!v.to_lowercase().starts_with(&typed), v.clone()));
        found.truncate(limit);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::EngineConfig;
    use std::sync::Arc;

    async fn engine() -> Engine {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let bank = Arc::new(crate::bank::Bank::load(&content).unwrap());
        let store = crate::store::Store::in_memory().await.unwrap();
        Engine::new(bank, store, EngineConfig::default())
    }

    #[tokio::test]
    async fn suggestions_match_what_is_typed_and_are_bounded() {
        let engine = engine().await;
        let zones = engine.suggest(Suggest::Zone, "shang", 25);
        assert_eq!(zones, vec!["Asia/Shanghai".to_string()]);
        assert_eq!(engine.suggest(Suggest::Zone, "", 25).len(), 25);
        let tags = engine.suggest(Suggest::Tag, "TRAIN", 25);
        assert!(tags.iter().all(|t| t.contains("train")) && !tags.is_empty());
        let ids = engine.suggest(Suggest::QuestionId, "", 3);
        assert_eq!(ids.len(), 3);
        assert!(
            engine
                .suggest(Suggest::QuestionId, "no-such-thing", 25)
                .is_empty()
        );
    }
}
