//! `/topics` (or `/tags`): the bank's decks and tags with counts, and how
//! to ask by tag.

use crate::post::{Block, Post};
use crate::study::questions::tag_list;
use crate::study::{Engine, Lang, i18n};

impl Engine {
    pub(super) fn topics_command(&self, lang: Lang) -> Vec<Post> {
        let bank = self.bank();
        let decks: Vec<String> = bank
            .decks()
            .iter()
            .map(|d| {
                let count = i18n::count_questions(lang, d.question_ids.len());
                format!("• {} ({}): {count}", d.title, d.id)
            })
            .collect();
        let mut blocks = vec![
            Block::Heading(i18n::topics_decks(lang).to_string()),
            Block::Text(decks.join("\n")),
        ];
        let tags = tag_list(&bank);
        if !tags.is_empty() {
            blocks.push(Block::Heading(i18n::topics_tags(lang).to_string()));
            blocks.push(Block::Text(tags));
        }
        blocks.push(Block::Text(i18n::topics_hint(lang).to_string()));
        vec![Post::notice(blocks)]
    }
}
