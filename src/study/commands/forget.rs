//! `/forget`: in private, what it deletes and a button to confirm (the
//! press itself is `Engine::forget`, with the other buttons).

use crate::domain::ChatKind;
use crate::post::{Action, Button, Post};
use crate::study::{Engine, Incoming, Lang, i18n};

impl Engine {
    pub(super) fn forget_command(&self, incoming: &Incoming, lang: Lang) -> Vec<Post> {
        if incoming.place.kind != ChatKind::Private {
            return vec![Post::text(i18n::learn::forget_in_private(lang))];
        }
        let mut post = Post::text(i18n::learn::forget_ask(lang));
        post.buttons.push(Button {
            label: i18n::learn::forget_button(lang).to_string(),
            action: Action::Forget,
        });
        vec![post]
    }
}
