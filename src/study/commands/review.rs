//! `/review` (and `/start review`, the deep link): in private, the
//! person's first due card; in a group, the way to a private chat
//! (reviews are personal).

use crate::domain::ChatKind;
use crate::post::{Action, Button, Post};
use crate::study::review::person_of;
use crate::study::{Engine, Incoming, Lang, Result, i18n};

impl Engine {
    /// Also what the "start review" button does.
    pub(in crate::study) async fn review_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
    ) -> Result<Vec<Post>> {
        if incoming.place.kind != ChatKind::Private {
            let mut post = Post::text(i18n::learn::review_in_private(lang));
            post.buttons.push(Button {
                label: i18n::learn::open_review_button(lang).to_string(),
                action: Action::OpenReview,
            });
            return Ok(vec![post]);
        }
        let Some(person) = person_of(incoming) else {
            return Ok(vec![Post::text(i18n::learn::anonymous(lang))]);
        };
        self.next_card(person, lang, incoming.now, false).await
    }
}
