//! [`FakeBotApi`], the handle tests hold: start the server, describe the world (chats, admins),
//! push updates, script faults, and read back what the bot did. Cloning is cheap; the server
//! stops on [`FakeBotApi::shutdown`] or when the last clone is dropped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use crate::config::{ChatSpec, Config, User};
use crate::faults::Fault;
use crate::records::{
    CallbackAnswer, CommandSet, MessageState, Outcome, Request, SentMessage, SentPhoto,
};
use crate::state::State;
use crate::webhook::{WebhookDelivery, WebhookInfo};

/// A running fake Bot API server on 127.0.0.1.
#[derive(Debug, Clone)]
pub struct FakeBotApi {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Arc<State>,
    addr: SocketAddr,
    /// Dropping it (with the last handle) stops the server too.
    stop: watch::Sender<bool>,
}

impl FakeBotApi {
    /// Binds 127.0.0.1:`config.port` (0 = any free port) and starts serving.
    pub async fn start(config: Config) -> std::io::Result<FakeBotApi> {
        let port = config.port;
        let state = Arc::new(State::new(config));
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(crate::delivery::run(Arc::clone(&state), stopped.clone()));
        let addr = crate::server::start(Arc::clone(&state), port, stopped).await?;
        Ok(FakeBotApi {
            shared: Arc::new(Shared { state, addr, stop }),
        })
    }

    fn state(&self) -> &State {
        &self.shared.state
    }

    /// The value for `TELOXIDE_API_URL` (and `Bot::set_api_url`), e.g. `http://127.0.0.1:41234`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The token the fake accepts.
    pub fn token(&self) -> &str {
        &self.state().config.token
    }

    /// The bot as a user (id from the token, `bot_username`).
    pub fn bot_user(&self) -> User {
        crate::json::bot_user(&self.state().config)
    }

    /// Stops accepting connections and closes open ones (waiting long polls end unanswered).
    pub fn shutdown(&self) {
        self.shared.stop.send_replace(true);
    }

    // ----- the world -----

    /// Registers a chat (or changes its kind/title, keeping its messages).
    pub fn add_chat(&self, chat: ChatSpec) {
        self.state().lock().chats.add(chat);
    }

    /// Makes these users the chat's administrators (`getChatMember` → "administrator").
    pub fn set_admins(&self, chat_id: i64, user_ids: &[i64]) {
        self.state().lock().chats.set_admins(chat_id, user_ids);
    }

    /// Makes this user the chat's creator (`getChatMember` → "creator").
    pub fn set_owner(&self, chat_id: i64, user_id: i64) {
        self.state().lock().chats.set_owner(chat_id, user_id);
    }

    /// Grants (or revokes) the bot the administrator right to pin in this chat:
    /// `can_pin_messages` in groups and supergroups, `can_edit_messages` in channels.
    pub fn set_pin_right(&self, chat_id: i64, granted: bool) {
        self.state().lock().chats.get(chat_id).bot_may_pin = granted;
    }

    /// The chat's pinned messages, oldest first (the last is shown on top).
    pub fn pinned(&self, chat_id: i64) -> Vec<i32> {
        self.state().lock().chats.get(chat_id).pinned.clone()
    }

    /// Opens a forum topic, so `message_thread_id` = `thread_id` becomes valid in the chat.
    /// (Pushing a message with a `thread_id` opens its topic too.)
    pub fn add_topic(&self, chat_id: i64, thread_id: i32) {
        self.state()
            .lock()
            .chats
            .get(chat_id)
            .topics
            .insert(thread_id);
    }

    // ----- updates -----

    /// Queues a message from `from` and returns its message id. Without `from`: the private
    /// chat's user, or an anonymous admin (`sender_chat`) in groups. In channels the update is
    /// a `channel_post` with `sender_chat`. `thread_id` puts it in a forum topic
    /// (`is_topic_message`); it is ignored in chats that are not forums.
    pub fn push_message(
        &self,
        chat_id: i64,
        from: Option<User>,
        text: &str,
        thread_id: Option<i32>,
    ) -> i32 {
        self.state()
            .push_message(chat_id, from, text, thread_id, None)
    }

    /// Like [`FakeBotApi::push_message`], as a reply to message `reply_to` of the same chat
    /// (`reply_to_message`; ignored if that message does not exist). Replies to the bot's own
    /// messages reach a bot even with group privacy mode on.
    pub fn push_reply(&self, chat_id: i64, from: Option<User>, text: &str, reply_to: i32) -> i32 {
        self.state()
            .push_message(chat_id, from, text, None, Some(reply_to))
    }

    /// Queues a press on an inline button of message `message_id` and returns the callback
    /// query id (answerable once). A message that does not exist is sent as inaccessible.
    pub fn push_callback(&self, chat_id: i64, from: User, message_id: i32, data: &str) -> String {
        self.state().push_callback(chat_id, from, message_id, data)
    }

    /// A member answers poll `poll_id` with `options` (indexes from 0; empty takes a regular
    /// poll's vote back) and, for a non-anonymous poll, queues the `poll_answer` update
    /// Telegram sends. Refused (with the reason) when the poll is unknown or closed, an option
    /// does not exist, or the member already answered a quiz (Telegram does not let quiz
    /// answers change).
    pub fn push_poll_answer(
        &self,
        poll_id: &str,
        from: User,
        options: &[u8],
    ) -> Result<(), String> {
        let state = self.state();
        crate::polls::answer(&mut state.lock(), poll_id, &from, options)?;
        state.wake_polls();
        Ok(())
    }

    /// Every poll the bot sent, in the order sent, with its votes so far.
    pub fn polls(&self) -> Vec<crate::PollState> {
        crate::polls::all(&mut self.state().lock())
    }

    /// Migrates group `from_chat` to supergroup `to_chat`: queues the service message with
    /// `migrate_to_chat_id` in the old chat and the one with `migrate_from_chat_id` in the new
    /// one (registered as a supergroup if unknown), and from now on calls on the old chat answer
    /// 400 with `migrate_to_chat_id` (until [`FakeBotApi::clear_chat_faults`]).
    pub fn push_migration(&self, from_chat: i64, to_chat: i64) {
        self.state().push_migration(from_chat, to_chat);
    }

    /// Queues any update (for fuzzing); `update_id` is assigned when absent. Returns it.
    pub fn push_raw_update(&self, update: Value) -> i64 {
        self.state().push_raw_update(update)
    }

    /// Updates queued and not yet confirmed by a `getUpdates` offset.
    pub fn pending_updates(&self) -> usize {
        self.state().lock().updates.pending()
    }

    /// Updates dropped because the bot's `allowed_updates` excluded their kind.
    pub fn filtered_updates(&self) -> usize {
        self.state().lock().updates.filtered()
    }

    /// `getUpdates` calls being served right now (a polling bot has one most of the time).
    pub fn polls_waiting(&self) -> usize {
        self.state().lock().polls_waiting
    }

    // ----- the webhook -----

    /// The webhook `setWebhook` registered, if one is set.
    pub fn webhook(&self) -> Option<WebhookInfo> {
        self.state().lock().hook.set.clone()
    }

    /// Plays the operator's TLS-terminating load balancer in front of the https webhook URL:
    /// deliveries go to these plain-HTTP backends (`http://127.0.0.1:PORT`) in turn, with the
    /// URL's path. None (the default) delivers nothing. Panics on a backend not of that form.
    pub fn route_webhook_to<S: Into<String>>(&self, backends: impl IntoIterator<Item = S>) {
        let backends = backends.into_iter().map(Into::into).collect();
        let set = self.state().lock().hook.set_backends(backends);
        set.unwrap_or_else(|e| panic!("route_webhook_to: {e}"));
        self.state().wake_polls();
    }

    /// Every webhook delivery attempt so far, in order (failed ones too).
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.state().lock().hook.deliveries.clone()
    }

    /// Makes every waiting `getUpdates` answer now (with what it has), e.g. before stopping a
    /// dispatcher so its shutdown does not wait for the poll timeout.
    pub fn release_pollers(&self) {
        self.state().lock().poll_release += 1;
        self.state().wake_polls();
    }

    // ----- what the bot did -----

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.state().lock().journal.requests.clone()
    }

    /// Requests of one method (case-insensitive, e.g. "sendMessage").
    pub fn requests_to(&self, method: &str) -> Vec<Request> {
        let method = method.to_ascii_lowercase();
        let inner = self.state().lock();
        inner
            .journal
            .requests
            .iter()
            .filter(|r| r.method == method)
            .cloned()
            .collect()
    }

    pub fn request_count(&self) -> usize {
        self.state().lock().journal.requests.len()
    }

    /// Messages delivered by `sendMessage`, in order.
    pub fn sent_messages(&self) -> Vec<SentMessage> {
        self.state().lock().journal.sent.clone()
    }

    /// Photos delivered by `sendPhoto`, in order, with their bytes and captions.
    pub fn sent_photos(&self) -> Vec<SentPhoto> {
        self.state().lock().journal.photos.clone()
    }

    /// Requests refused because the chat's rights forbid them (e.g. photos in a group that
    /// restricts media); the bot could not have known, so these are not [`FakeBotApi::rejected`].
    pub fn denied(&self) -> Vec<Request> {
        let inner = self.state().lock();
        inner
            .journal
            .requests
            .iter()
            .filter(|r| r.outcome == Outcome::Denied)
            .cloned()
            .collect()
    }

    pub fn sent_count(&self) -> usize {
        self.state().lock().journal.sent.len()
    }

    /// Requests refused because they were wrong (bad HTML, missing field, unknown method…),
    /// not because of scripted faults or rate limits. A correct bot leaves this empty.
    pub fn rejected(&self) -> Vec<Request> {
        let inner = self.state().lock();
        inner
            .journal
            .requests
            .iter()
            .filter(|r| r.outcome == Outcome::Rejected)
            .cloned()
            .collect()
    }

    /// 429 answers so far (rate limits and scripted `RetryAfter`).
    pub fn count_429(&self) -> usize {
        self.state().lock().journal.count_429
    }

    /// Accepted `answerCallbackQuery` calls.
    pub fn callback_answers(&self) -> Vec<CallbackAnswer> {
        self.state().lock().journal.callback_answers.clone()
    }

    /// Command lists currently registered with `setMyCommands`.
    pub fn commands(&self) -> Vec<CommandSet> {
        self.state().lock().commands.values().cloned().collect()
    }

    /// A message as it is now (after edits), or `None` if it does not exist (or was deleted).
    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<MessageState> {
        self.state().lock().chats.message_state(chat_id, message_id)
    }

    /// Waits until `pred` holds (checked after every request or push, and every 10 ms);
    /// false if `timeout` passes first.
    pub async fn wait_until(&self, timeout: Duration, pred: impl Fn(&FakeBotApi) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let activity = self.state().activity.notified();
            tokio::pin!(activity);
            activity.as_mut().enable();
            if pred(self) {
                return true;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return false;
            }
            let tick = deadline.min(now + Duration::from_millis(10));
            let _ = tokio::time::timeout_at(tick, activity).await;
        }
    }

    // ----- faults -----

    /// Answers the next `times` calls of `method` ("*" = any method; case-insensitive) with
    /// `fault`; `chat_id` limits it to calls whose `chat_id` is that chat.
    pub fn fail_next(&self, method: &str, chat_id: Option<i64>, fault: Fault, times: usize) {
        self.state()
            .lock()
            .faults
            .push(method, chat_id, fault, times);
    }

    /// Every call naming this chat answers 403 `description` (e.g. "Forbidden: bot was kicked
    /// from the group chat") until [`FakeBotApi::clear_chat_faults`].
    pub fn set_forbidden(&self, chat_id: i64, description: &str) {
        self.state()
            .lock()
            .faults
            .set_forbidden(chat_id, description);
    }

    /// Every call naming `from` answers 400 with `migrate_to_chat_id` = `to` until cleared.
    pub fn set_migrated(&self, from: i64, to: i64) {
        self.state().lock().faults.set_migrated(from, to);
    }

    /// Ends a chat's Forbidden / migrated state.
    pub fn clear_chat_faults(&self, chat_id: i64) {
        self.state().lock().faults.clear_chat(chat_id);
    }

    /// Forgets every scripted, persistent and random fault.
    pub fn clear_faults(&self) {
        self.state().lock().faults.clear_all();
    }

    /// `per_mille` ‰ of calls (all methods but `getUpdates`) answer 500 or drop the connection,
    /// drawn from a deterministic generator seeded with `seed`. 0 turns it off.
    pub fn set_random_faults(&self, seed: u64, per_mille: u32) {
        self.state().lock().faults.set_random(seed, per_mille);
    }

    /// Turns rate-limit enforcement on or off.
    pub fn set_rate_limits(&self, on: bool) {
        self.state().lock().rate_limits = on;
    }
}
