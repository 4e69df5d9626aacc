//! The platform-neutral message the engine produces.
//!
//! A `Post` says *what* to show (a question, a reveal, a notice), in the
//! bank's Markdown plus UI strings already in the chat's language, with
//! buttons as (label, action) pairs. It says nothing of HTML, Telegram or
//! terminals: `render` and the adapters decide *how* it looks.

pub mod button;

use std::path::PathBuf;
use std::sync::Arc;

use crate::bank::QuestionImage;
use crate::domain::MessageId;
use crate::learn::Rating;

/// What a post is, so the adapter can record what it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostKind {
    /// A question is being asked; the adapter records its message id.
    Question { question_id: String },
    /// The answer and analysis of a question.
    Reveal { question_id: String },
    /// Anything else: help, lists, confirmations, refusals, errors.
    Notice,
    /// Asks `person_id` (named `name`) for one line about a question's
    /// problem; the adapter records the message id, and a reply to it (a
    /// Telegram ForceReply aimed at that person) is the report.
    ReportPrompt {
        question_id: String,
        person_id: i64,
        name: String,
    },
    /// Asks `person_id` for one part of a suggestion (`step`: a step of
    /// their draft, or a moderator's `reason` or `edit` of suggestion
    /// `suggestion_id`); the adapter records the message id, and a reply
    /// to it (a Telegram ForceReply) is that part.
    SuggestPrompt {
        person_id: i64,
        step: String,
        suggestion_id: Option<i64>,
    },
}

/// One piece of a post's body. Blocks are shown in order, separated by a
/// blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A short UI line shown emphasised (bold). Plain text, never Markdown.
    Heading(String),
    /// The bank's Markdown (`**bold**`, `*italic*`, `` `code` ``, lists, links).
    Markdown(String),
    /// Plain text (UI strings, lists of tags, user input echoed back):
    /// escaped, line breaks kept, never interpreted as Markup.
    Text(String),
}

/// Something a person can do with one press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Reveal the answer and analysis of this question.
    Reveal { question_id: String },
    /// Rate how well I remembered this question's answer (on a reveal).
    /// `in_review`: the reveal is a card of my `/review`, so the next card
    /// follows.
    Rate {
        question_id: String,
        rating: Rating,
        in_review: bool,
    },
    /// Show the answer of a card in my `/review`.
    ShowCard { question_id: String },
    /// Go to a private chat with the bot and start my review there (Telegram
    /// opens `t.me/<bot>?start=review`).
    OpenReview,
    /// Start my review here (a reminder's button, in the private chat).
    StartReview,
    /// Yes, delete everything kept about me (`/forget`'s confirmation).
    Forget,
    /// Report a problem with this question (on a reveal): asks for a line.
    Report { question_id: String },
    /// My answer to a multiple-choice question: option `choice` (from 0).
    /// Platforms with a native quiz poll show the poll instead.
    Choose { question_id: String, choice: u8 },
    /// A step of `/suggest`: opening the form, sending or cancelling a
    /// draft, a moderator's decision.
    Suggestion(SuggestAction),
}

/// The buttons of `/suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestAction {
    /// Open the form in private for the deck of this chat (its id on the
    /// platform of the chat the button is in).
    Open { chat_id: i64 },
    /// Send my draft to the moderators.
    Send,
    /// Drop my draft.
    Cancel,
    /// A moderator approves suggestion `id` as it is.
    Approve { id: i64 },
    /// A moderator corrects suggestion `id`, then it is approved.
    Edit { id: i64 },
    /// A moderator rejects suggestion `id` (a reason is asked for).
    Reject { id: i64 },
}

impl Action {
    /// The button's kind, for counting.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Reveal { .. } => "button_reveal",
            Action::Rate { .. } => "button_rate",
            Action::ShowCard { .. } => "button_show_card",
            Action::OpenReview => "button_open_review",
            Action::StartReview => "button_start_review",
            Action::Forget => "button_forget",
            Action::Report { .. } => "button_report",
            Action::Choose { .. } => "button_choose",
            Action::Suggestion(_) => "button_suggestion",
        }
    }
}

/// The quiz side of a post, for platforms with native quiz polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostQuiz {
    /// A question with choices: post this poll after the question.
    Open(QuizPoll),
    /// A reveal: close the poll posted as this message first.
    Close { poll_message: MessageId },
}

/// A quiz poll within Telegram's limits (prompt ≤ 300 characters, 2–10
/// options of ≤ 100, explanation ≤ 200 characters and 2 line feeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizPoll {
    pub prompt: String,
    pub options: Vec<String>,
    /// The right option's index, from 0.
    pub correct: usize,
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub kind: PostKind,
    pub blocks: Vec<Block>,
    pub buttons: Vec<Button>,
    /// The platform message this post answers (e.g. the question a reveal
    /// belongs to). Adapters that cannot reply ignore it.
    pub reply_to: Option<MessageId>,
    /// A quiz poll to open after this post, or to close before it.
    pub quiz: Option<PostQuiz>,
    /// A chart shown with the post (`/stats`, the digest); the blocks stay
    /// the whole message for those who cannot see it.
    pub picture: Option<Picture>,
}

/// A picture shown with a post: a chart the bot drew (`/stats`, the
/// digest) or a question's own `image:`. The blocks stay the whole message
/// for those who cannot see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub image: Image,
    /// A chart's figures as a short series, for places that show no
    /// pictures (a terminal's one-line sparkline); empty for a question's.
    pub trend: Vec<u32>,
}

/// Where a picture's pixels are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// Drawn in the process: a PNG with no text in it.
    Png {
        bytes: Arc<[u8]>,
        width: u32,
        height: u32,
    },
    /// A PNG or JPEG file the bank checked on load, read when it is sent.
    File(PathBuf),
    /// An `https://` address the platform fetches itself.
    Url(String),
}

impl Picture {
    /// A question's `image:` as a post's picture.
    pub fn of_question(image: &QuestionImage) -> Picture {
        let image = match image {
            QuestionImage::File { path, .. } => Image::File(path.clone()),
            QuestionImage::Url(url) => Image::Url(url.clone()),
        };
        Picture {
            image,
            trend: Vec::new(),
        }
    }
}

impl Post {
    /// A notice made of blocks, with no buttons and no reply target.
    pub fn notice(blocks: Vec<Block>) -> Post {
        Post {
            kind: PostKind::Notice,
            blocks,
            buttons: Vec::new(),
            reply_to: None,
            quiz: None,
            picture: None,
        }
    }

    /// This post with `picture` shown with it (or none).
    pub fn with_picture(mut self, picture: Option<Picture>) -> Post {
        self.picture = picture;
        self
    }

    /// A one-line plain-text notice.
    pub fn text(text: impl Into<String>) -> Post {
        Post::notice(vec![Block::Text(text.into())])
    }
}
