//! A post as Discord messages: Markdown parts of at most 2,000 characters,
//! the post's picture on the first (`picture`) and its buttons on the last,
//! five to an action row.

use twilight_model::channel::message::Component;
use twilight_model::channel::message::component::{ActionRow, Button, ButtonStyle};

use super::picture::Image;
use crate::post::button;
use crate::post::{Action, Post};
use crate::render;

/// One Discord message of a post.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub content: String,
    pub components: Vec<Component>,
    /// The post's picture, on its first message.
    pub image: Option<Image>,
}

impl Part {
    /// A message of text alone (a note).
    pub fn text(content: String) -> Part {
        Part {
            content,
            components: Vec::new(),
            image: None,
        }
    }

    /// The same message without its picture.
    pub fn without_image(&self) -> Part {
        Part {
            image: None,
            ..self.clone()
        }
    }
}

/// A post as Discord messages, the post's picture on the first one and
/// its buttons on the last.
pub fn parts(post: &Post) -> Vec<Part> {
    let texts = render::discord_messages(post);
    let last = texts.len().saturating_sub(1);
    texts
        .into_iter()
        .enumerate()
        .map(|(i, content)| Part {
            content,
            components: if i == last { buttons(post) } else { Vec::new() },
            image: if i == 0 { Image::of(post) } else { None },
        })
        .collect()
}

/// [`parts`], reading a question's image file on a blocking thread: the
/// bot's runtime has one thread, which every chat shares, and the file may
/// be up to 10 MB. Should that thread fail, the text goes alone (logged).
pub async fn parts_read(post: &Post) -> Vec<Part> {
    let picture = post.picture.as_ref().map(|p| &p.image);
    if !matches!(picture, Some(crate::post::Image::File(_))) {
        return parts(post);
    }
    let owned = post.clone();
    match tokio::task::spawn_blocking(move || parts(&owned)).await {
        Ok(parts) => parts,
        Err(e) => {
            log::error!("a question's image was not read ({e}); its text goes alone");
            let mut bare = post.clone();
            bare.picture = None;
            parts(&bare)
        }
    }
}

/// The post's buttons, five to an action row (Discord's limit; a question
/// with ten choices fills three rows). The report button opens a modal
/// (`modal`).
fn buttons(post: &Post) -> Vec<Component> {
    let buttons: Vec<Component> = post
        .buttons
        .iter()
        .take(25)
        .map(|b| {
            Component::Button(Button {
                custom_id: Some(button::encode(&b.action)),
                disabled: false,
                emoji: None,
                label: Some(b.label.chars().take(80).collect()),
                style: match b.action {
                    Action::Choose { .. } => ButtonStyle::Secondary,
                    _ => ButtonStyle::Primary,
                },
                url: None,
                sku_id: None,
            })
        })
        .collect();
    buttons
        .chunks(5)
        .map(|row| {
            Component::ActionRow(ActionRow {
                components: row.to_vec(),
            })
        })
        .collect()
}
