//! A post's picture on Discord: an embed showing the image under the
//! message's text. A PNG the engine drew (`/stats`, the digest) is uploaded
//! with the message as `stats.png` and the embed names it
//! (`attachment://stats.png`); an image already on the web (an `https`
//! URL) needs no upload, the embed links it. The text stays the message's
//! content, so a channel that forbids attachments (403 50013 with a file)
//! still gets the text alone; the first such fallback in a channel is
//! logged, once per process (`TextOnly`).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use twilight_http::api_error::ApiError;
use twilight_http::error::ErrorType;
use twilight_model::channel::message::Embed;
use twilight_model::http::attachment::Attachment;
use twilight_util::builder::embed::{EmbedBuilder, ImageSource};

use super::parts::Part;
use crate::domain::ChatId;
use crate::post::{self as picture, Post};

/// The name an engine-drawn picture is uploaded under.
pub const UPLOAD_NAME: &str = "stats.png";

/// Where the picture's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Bytes uploaded with the message under `filename`.
    Upload { filename: String, bytes: Arc<[u8]> },
    /// An image on the web, shown from its `https` URL.
    Link(String),
}

/// A picture shown in an embed of the message that carries a post's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub source: Source,
}

impl Image {
    /// The post's picture, if it has one: a PNG the engine drew, uploaded;
    /// a question's image file, read now and uploaded; a question's image
    /// URL, linked. A file gone since the bank checked it is logged, and
    /// the text goes alone.
    pub fn of(post: &Post) -> Option<Image> {
        let source = match &post.picture.as_ref()?.image {
            picture::Image::Png { bytes, .. } => Source::Upload {
                filename: UPLOAD_NAME.to_string(),
                bytes: bytes.clone(),
            },
            picture::Image::File(path) => upload_of_file(path)?,
            picture::Image::Url(url) => return Image::link(url),
        };
        Some(Image { source })
    }

    /// An image on the web; `None` unless the URL is `https`.
    pub fn link(url: &str) -> Option<Image> {
        url.starts_with("https://").then(|| Image {
            source: Source::Link(url.to_string()),
        })
    }

    /// The files to upload with the message (none for a link).
    pub fn attachments(&self) -> Vec<Attachment> {
        match &self.source {
            Source::Upload { filename, bytes } => {
                vec![Attachment::from_bytes(filename.clone(), bytes.to_vec(), 0)]
            }
            Source::Link(_) => Vec::new(),
        }
    }

    /// The embed showing the picture; `None` if twilight refuses the name
    /// or URL (the message then goes without it).
    pub fn embed(&self) -> Option<Embed> {
        let image = match &self.source {
            Source::Upload { filename, .. } => ImageSource::attachment(filename).ok()?,
            Source::Link(url) => ImageSource::url(url).ok()?,
        };
        Some(EmbedBuilder::new().image(image).build())
    }

    /// Whether sending it needs the Attach Files permission.
    pub fn uploads(&self) -> bool {
        matches!(self.source, Source::Upload { .. })
    }
}

/// A question's image file as an upload named after its kind
/// (`question.png`, `question.jpg`: a plain name `attachment://` can use).
/// The read blocks (the bank checked the file: at most 10 MB), so the send
/// paths build a post's parts with `parts::parts_read`, on a blocking
/// thread; holding the bytes from the bank's load on would cost memory.
fn upload_of_file(path: &std::path::Path) -> Option<Source> {
    let bytes = std::fs::read(path)
        .inspect_err(|e| {
            log::warn!(
                "image {}: {e}; the question goes without it",
                path.display()
            )
        })
        .ok()?;
    let filename = match crate::bank::image::info(&bytes).map(|i| i.kind) {
        Some(crate::bank::image::ImageKind::Jpeg) => "question.jpg",
        Some(crate::bank::image::ImageKind::Png) => "question.png",
        None => {
            log::warn!(
                "image {}: no longer a PNG or JPEG; the question goes without it",
                path.display()
            );
            return None;
        }
    };
    Some(Source::Upload {
        filename: filename.to_string(),
        bytes: bytes.into(),
    })
}

/// A part's picture as twilight sends it: the files to upload and the
/// embed showing them (both empty without a picture).
pub(super) fn picture_of(part: &Part) -> (Vec<Attachment>, Vec<Embed>) {
    let Some(image) = &part.image else {
        return (Vec::new(), Vec::new());
    };
    match image.embed() {
        Some(embed) => (image.attachments(), vec![embed]),
        None => (Vec::new(), Vec::new()),
    }
}

/// Whether `error` is 50013 to a part that uploads a picture: the bot may
/// post there but not attach files.
pub(super) fn refuses_picture(part: &Part, error: &twilight_http::Error) -> bool {
    let uploads = part.image.as_ref().is_some_and(Image::uploads);
    uploads && api_code(error) == Some(MISSING_PERMISSIONS)
}

/// "Missing Permissions".
const MISSING_PERMISSIONS: u64 = 50013;

/// Discord's JSON error code of a refused request.
fn api_code(error: &twilight_http::Error) -> Option<u64> {
    match error.kind() {
        ErrorType::Response {
            error: ApiError::General(general),
            ..
        } => Some(general.code),
        _ => None,
    }
}

/// The channels that refused a picture, so the text-only fallback is
/// logged once per channel per process.
#[derive(Debug, Default)]
pub struct TextOnly {
    logged: Mutex<HashSet<ChatId>>,
}

impl TextOnly {
    /// Notes that `chat` refused a picture (403 50013); logs it the first
    /// time, and says whether it was the first.
    pub fn note(&self, chat: ChatId) -> bool {
        let first = self.logged.lock().expect("text-only set").insert(chat);
        if first {
            log::warn!(
                "chat {chat}: the bot may not attach files here (403 50013); pictures are left out, the text goes alone"
            );
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::{Block, Picture};

    fn with_picture() -> Post {
        let picture = Picture {
            image: crate::post::Image::Png {
                bytes: Arc::from(&b"\x89PNG"[..]),
                width: 2,
                height: 1,
            },
            trend: vec![1],
        };
        Post::notice(vec![Block::Text("week".into())]).with_picture(Some(picture))
    }

    #[test]
    fn an_engine_picture_is_uploaded_and_named_by_its_embed() {
        let image = Image::of(&with_picture()).expect("a picture");
        let files = image.attachments();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].filename, UPLOAD_NAME);
        assert_eq!(files[0].file, b"\x89PNG");
        let embed = image.embed().expect("an embed");
        let url = embed.image.map(|i| i.url);
        assert_eq!(url.as_deref(), Some("attachment://stats.png"));
        assert!(Image::of(&Post::notice(Vec::new())).is_none());
    }

    #[tokio::test]
    async fn a_question_image_file_is_read_on_a_blocking_thread_and_uploaded() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/stats-group.png");
        let picture = Picture {
            image: crate::post::Image::File(file.clone()),
            trend: Vec::new(),
        };
        let post = Post::notice(vec![Block::Text("q".into())]).with_picture(Some(picture));
        let parts = crate::discord::parts::parts_read(&post).await;
        let files = parts[0].image.as_ref().expect("the image").attachments();
        assert_eq!(files[0].filename, "question.png");
        assert_eq!(files[0].file, std::fs::read(&file).unwrap());
        assert_eq!(parts, crate::discord::parts::parts(&post));
    }

    #[test]
    fn a_refused_picture_is_logged_once_a_channel() {
        let text_only = TextOnly::default();
        let (one, two) = (ChatId::discord(1).unwrap(), ChatId::discord(2).unwrap());
        assert!(text_only.note(one));
        assert!(!text_only.note(one));
        assert!(text_only.note(two));
    }

    #[test]
    fn a_web_image_is_linked_without_an_upload() {
        let image = Image::link("https://example.org/chart.png").expect("https");
        assert!(image.attachments().is_empty());
        assert!(!image.uploads());
        let url = image.embed().and_then(|e| e.image).map(|i| i.url);
        assert_eq!(url.as_deref(), Some("https://example.org/chart.png"));
        assert!(Image::link("http://example.org/a.png").is_none());
    }
}
