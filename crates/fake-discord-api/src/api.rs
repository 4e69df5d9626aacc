//! [`FakeDiscord`], the handle tests hold: start the servers, build the world (guilds,
//! channels, threads, DMs, members' permissions), play users (slash commands, button presses,
//! autocomplete), script trouble (403/404 channels, exhausted buckets, a dropped gateway) and
//! read back what the bot did. Cloning is cheap; the servers stop on [`FakeDiscord::shutdown`]
//! or when the last clone is dropped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::config::Config;
use crate::gateway::sessions::Outbound;
use crate::interactions::{Action, InjectError, Invocation, inject};
use crate::limits::Bucket;
use crate::records::{InteractionReply, Message, Outcome, Request, Thread};
use crate::state::State;
use crate::world::{ChannelFault, ChannelKind};

/// A running fake Discord: REST on one port, the gateway on another, both on 127.0.0.1.
#[derive(Debug, Clone)]
pub struct FakeDiscord {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Arc<State>,
    rest: SocketAddr,
    gateway: SocketAddr,
    stop: watch::Sender<bool>,
}

/// Injects a user's action and dispatches it (shared with the HTTP control API).
pub(crate) fn act(
    state: &State,
    channel_id: u64,
    user_id: u64,
    action: Action,
) -> Result<Invocation, InjectError> {
    let mut inner = state.lock();
    let inner = &mut *inner;
    let (invocation, payload) = inject(
        &mut inner.world,
        &inner.commands,
        &mut inner.interactions,
        &state.config,
        channel_id,
        user_id,
        action,
    )?;
    inner.gateway.dispatch("INTERACTION_CREATE", payload);
    state.wake();
    Ok(invocation)
}

/// Gateway counters: connections opened, IDENTIFYs, RESUMEs and heartbeats received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayCounts {
    pub connections: u32,
    pub identifies: u32,
    pub resumes: u32,
    pub heartbeats: u32,
    /// Connections open right now.
    pub open: usize,
    /// IDENTIFYs made with no `session_start_limit` left (Discord resets the token).
    pub overdrawn: u32,
}

impl FakeDiscord {
    /// Binds both ports and starts serving.
    pub async fn start(config: Config) -> std::io::Result<FakeDiscord> {
        let (rest_port, gateway_port) = (config.rest_port, config.gateway_port);
        let state = Arc::new(State::new(config));
        let (stop, stopped) = watch::channel(false);
        let gateway =
            crate::gateway::start(Arc::clone(&state), gateway_port, stopped.clone()).await?;
        state.lock().gateway_url = format!("ws://{gateway}");
        let rest = crate::rest::start(Arc::clone(&state), rest_port, stopped).await?;
        Ok(FakeDiscord {
            shared: Arc::new(Shared {
                state,
                rest,
                gateway,
                stop,
            }),
        })
    }

    fn state(&self) -> &State {
        &self.shared.state
    }

    /// The REST base, e.g. `http://127.0.0.1:41234` (requests go to `{base}/api/v10/…`).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.shared.rest)
    }

    pub fn rest_addr(&self) -> SocketAddr {
        self.shared.rest
    }

    /// The gateway URL, e.g. `ws://127.0.0.1:41235` (also given by `GET /gateway/bot`).
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.shared.gateway)
    }

    /// The bot token the fake accepts (without `Bot `).
    pub fn token(&self) -> &str {
        &self.state().config.token
    }

    pub fn application_id(&self) -> u64 {
        self.state().config.application_id
    }

    /// Stops both servers; open gateway connections end.
    pub fn shutdown(&self) {
        self.shared.stop.send_replace(true);
        self.state().lock().gateway.broadcast(&Outbound::Drop);
    }

    // ----- the world -----

    /// A user who can use the bot; `locale` as Discord's client sends it (e.g. "zh-CN").
    pub fn add_user(&self, name: &str, locale: &str) -> u64 {
        self.state().lock().world.add_user(name, locale)
    }

    /// A server owned by `owner_id` with the bot in it; live sessions get GUILD_CREATE.
    pub fn add_guild(&self, name: &str, owner_id: u64) -> u64 {
        let mut inner = self.state().lock();
        let id = inner.world.add_guild(name, owner_id);
        let data = crate::payloads::guild_create(&inner.world, &self.state().config, id);
        inner.gateway.dispatch("GUILD_CREATE", data);
        drop(inner);
        self.state().wake();
        id
    }

    pub fn add_text_channel(&self, guild_id: u64, name: &str) -> u64 {
        self.state()
            .lock()
            .world
            .add_channel(Some(guild_id), name, ChannelKind::Text)
    }

    /// A public thread under text channel `parent_id`.
    pub fn add_thread(&self, parent_id: u64, name: &str) -> u64 {
        let mut inner = self.state().lock();
        let guild = inner
            .world
            .channels
            .get(&parent_id)
            .and_then(|c| c.guild_id);
        inner
            .world
            .add_channel(guild, name, ChannelKind::Thread { parent_id })
    }

    /// The DM channel between the bot and `user_id`: the same channel every time for the same
    /// user, as the bot's `POST /users/@me/channels` gets it.
    pub fn add_dm(&self, user_id: u64) -> u64 {
        self.state().lock().world.dm_with(user_id)
    }

    /// Makes a user refuse DMs from the bot (`true`) or accept them again: while refusing,
    /// messages to their DM answer 403 50007 "Cannot send messages to this user" (opening the
    /// DM still works, as on Discord).
    pub fn refuse_dms(&self, user_id: u64, refuse: bool) {
        if let Some(user) = self.state().lock().world.users.get_mut(&user_id) {
            user.refuses_dms = refuse;
        }
    }

    /// Sets a member's permission bits (see [`crate::permissions`]); others have `MEMBER`.
    pub fn set_permissions(&self, guild_id: u64, user_id: u64, permissions: u64) {
        if let Some(guild) = self.state().lock().world.guilds.get_mut(&guild_id) {
            guild.permissions.insert(user_id, permissions);
        }
    }

    /// Sets the bot's own permission bits in a server (default [`crate::permissions::MEMBER`]);
    /// interactions carry them as `app_permissions`.
    pub fn set_bot_permissions(&self, guild_id: u64, permissions: u64) {
        if let Some(guild) = self.state().lock().world.guilds.get_mut(&guild_id) {
            guild.bot_permissions = permissions;
        }
    }

    /// Grants or revokes the bot's Pin Messages permission in a server.
    pub fn set_pin_right(&self, guild_id: u64, may_pin: bool) {
        self.state().lock().world.set_pin_right(guild_id, may_pin);
    }

    /// Makes a channel refuse the bot (403 50001/50013/50007, 404 10003), or accept it again
    /// (`None`).
    pub fn set_channel_fault(&self, channel_id: u64, fault: Option<ChannelFault>) {
        if let Some(channel) = self.state().lock().world.channels.get_mut(&channel_id) {
            channel.fault = fault;
        }
    }

    /// Removes the bot from a server: GUILD_DELETE (no `unavailable`), and its channels answer
    /// 403 Missing Access from now on.
    pub fn remove_guild(&self, guild_id: u64) {
        let mut inner = self.state().lock();
        if let Some(guild) = inner.world.guilds.get_mut(&guild_id) {
            guild.bot_member = false;
            inner
                .gateway
                .dispatch("GUILD_DELETE", json!({ "id": guild_id.to_string() }));
        }
        drop(inner);
        self.state().wake();
    }

    /// A server outage: GUILD_DELETE with `unavailable: true` (the bot is still a member).
    pub fn guild_outage(&self, guild_id: u64) {
        let data = json!({ "id": guild_id.to_string(), "unavailable": true });
        self.state().lock().gateway.dispatch("GUILD_DELETE", data);
        self.state().wake();
    }

    /// A message the bot left earlier (e.g. by a previous release), checked like a real send.
    pub fn add_bot_message(&self, channel_id: u64, body: &Value) -> Result<u64, String> {
        let draft = crate::message::check_message(body, crate::message::Usage::Channel)
            .map_err(|e| e.body().to_string())?;
        let origin = crate::posting::Origin {
            author_id: self.application_id(),
            interaction_id: None,
            invoker_id: None,
        };
        let mut inner = self.state().lock();
        crate::posting::post(&mut inner.world, channel_id, origin, draft, 0)
            .map_err(|e| e.body().to_string())
    }

    // ----- users act -----

    fn act(
        &self,
        channel_id: u64,
        user_id: u64,
        action: Action,
    ) -> Result<Invocation, InjectError> {
        act(self.state(), channel_id, user_id, action)
    }

    /// `user_id` runs `/name` in a channel. `options`: Discord's array, e.g.
    /// `[{"name": "tag", "type": 3, "value": "rust"}]` (`json!([])` for none).
    pub fn slash(
        &self,
        channel_id: u64,
        user_id: u64,
        name: &str,
        options: Value,
    ) -> Result<Invocation, InjectError> {
        self.act(
            channel_id,
            user_id,
            Action::Command {
                name: name.to_string(),
                options,
            },
        )
    }

    /// `user_id` types into an autocompleted option (one option has `"focused": true`).
    pub fn autocomplete(
        &self,
        channel_id: u64,
        user_id: u64,
        name: &str,
        options: Value,
    ) -> Result<Invocation, InjectError> {
        self.act(
            channel_id,
            user_id,
            Action::Autocomplete {
                name: name.to_string(),
                options,
            },
        )
    }

    /// `user_id` presses the button `custom_id` under message `message_id`.
    pub fn press(
        &self,
        channel_id: u64,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> Result<Invocation, InjectError> {
        self.act(
            channel_id,
            user_id,
            Action::Press {
                message_id,
                custom_id: custom_id.to_string(),
            },
        )
    }

    /// `user_id` fills in and submits the modal the bot opened in answer to `opened_by`:
    /// `values` are (text input `custom_id`, text). Only the user who caused it, in the same
    /// channel, and only once; the values must fit the inputs' `required` and lengths.
    pub fn submit_modal(
        &self,
        opened_by: &Invocation,
        user_id: u64,
        values: &[(&str, &str)],
    ) -> Result<Invocation, InjectError> {
        let channel_id = {
            let inner = self.state().lock();
            let opener = inner.interactions.by_id.get(&opened_by.id);
            opener
                .map(|p| p.channel_id)
                .ok_or(InjectError::NoOpenModal(opened_by.id))?
        };
        let values = values
            .iter()
            .map(|(id, v)| (id.to_string(), v.to_string()))
            .collect();
        let action = Action::SubmitModal {
            opened_by: opened_by.id,
            values,
        };
        self.act(channel_id, user_id, action)
    }

    // ----- what the bot did -----

    /// The messages pinned in a channel now, oldest first.
    pub fn pinned(&self, channel_id: u64) -> Vec<u64> {
        let inner = self.state().lock();
        let messages = inner.world.messages.values();
        messages
            .filter(|m| m.channel_id == channel_id && m.pinned)
            .map(|m| m.id)
            .collect()
    }

    /// What the bot has answered to an interaction so far.
    pub fn reply(&self, interaction: &Invocation) -> Option<InteractionReply> {
        self.state()
            .lock()
            .interactions
            .by_id
            .get(&interaction.id)
            .map(|p| p.reply.clone())
    }

    /// Waits for the interaction's callback; `None` if `timeout` passes first.
    pub async fn wait_reply(
        &self,
        interaction: &Invocation,
        timeout: Duration,
    ) -> Option<InteractionReply> {
        let answered = |f: &FakeDiscord| {
            f.reply(interaction)
                .is_some_and(|r| r.callback_type.is_some())
        };
        if self.wait_until(timeout, answered).await {
            self.reply(interaction)
        } else {
            None
        }
    }

    /// A message as it is now.
    pub fn message(&self, message_id: u64) -> Option<Message> {
        self.state().lock().world.messages.get(&message_id).cloned()
    }

    /// Messages of a channel, oldest first (ephemeral ones included, flagged).
    pub fn messages(&self, channel_id: u64) -> Vec<Message> {
        self.state().lock().world.messages_in(channel_id)
    }

    /// Archives and locks a thread, as a moderator would: the bot's messages there answer
    /// 400 50083 "Thread is archived".
    pub fn lock_thread(&self, thread_id: u64) {
        if let Some(thread) = self.state().lock().world.channels.get_mut(&thread_id) {
            thread.locked = true;
        }
        self.state().wake();
    }

    /// The threads started from messages of `parent_id` (each thread's id is its message's).
    pub fn threads(&self, parent_id: u64) -> Vec<Thread> {
        let inner = self.state().lock();
        let started = |c: &&crate::world::Channel| {
            c.kind == ChannelKind::Thread { parent_id } && inner.world.messages.contains_key(&c.id)
        };
        inner
            .world
            .channels
            .values()
            .filter(started)
            .map(|c| Thread {
                id: c.id,
                parent_id,
                name: c.name.clone(),
                auto_archive_duration: c.auto_archive_duration,
            })
            .collect()
    }

    /// Every message of every channel, oldest first.
    pub fn all_messages(&self) -> Vec<Message> {
        self.state()
            .lock()
            .world
            .messages
            .values()
            .cloned()
            .collect()
    }

    /// Every REST request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.state().lock().requests.clone()
    }

    /// Requests refused because they were wrong. A correct bot leaves this empty.
    pub fn rejected(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.outcome == Outcome::Rejected)
            .collect()
    }

    /// Answers Discord counts toward its ban of clients that make 10,000 invalid requests in
    /// 10 minutes: 401, 403 and 429 (but shared-scope 429s).
    pub fn invalid_requests(&self) -> usize {
        let inner = self.state().lock();
        inner
            .requests
            .iter()
            .filter(|r| matches!(r.status, 401 | 403 | 429))
            // A shared-scope limit is the resource's, not the bot's: it does not count.
            .filter(|r| r.code != Some(crate::faults::WRITE_LIMIT_CODE))
            .count()
    }

    /// 429 answers so far.
    pub fn count_429(&self) -> usize {
        self.requests().iter().filter(|r| r.status == 429).count()
    }

    /// The commands registered globally (`None`) or in a guild.
    pub fn commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        let inner = self.state().lock();
        match guild_id {
            Some(g) => inner.commands.guilds.get(&g).cloned().unwrap_or_default(),
            None => inner.commands.global.clone(),
        }
    }

    pub fn gateway_counts(&self) -> GatewayCounts {
        let inner = self.state().lock();
        let stats = inner.gateway.stats;
        GatewayCounts {
            connections: stats.connections,
            identifies: stats.identifies,
            resumes: stats.resumes,
            heartbeats: stats.heartbeats,
            overdrawn: inner.gateway.budget.overdrawn,
            open: inner
                .gateway
                .sessions
                .values()
                .filter(|s| s.connection.is_some())
                .count(),
        }
    }

    /// Dispatches sent so far, by event name (e.g. "INTERACTION_CREATE"), with their data.
    pub fn dispatched(&self) -> Vec<(String, Value)> {
        self.state().lock().gateway.dispatched.clone()
    }

    /// Waits until `pred` holds (checked after every request and event, and every 10 ms).
    pub async fn wait_until(&self, timeout: Duration, pred: impl Fn(&FakeDiscord) -> bool) -> bool {
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

    // ----- trouble -----

    /// Ends every gateway connection at once, without a close frame (the bot should resume).
    pub fn drop_gateway(&self) {
        self.state().lock().gateway.broadcast(&Outbound::Drop);
    }

    /// Sends RECONNECT (op 7) on every connection.
    pub fn send_reconnect(&self) {
        let frame = json!({ "op": 7, "d": null, "s": null, "t": null }).to_string();
        self.state()
            .lock()
            .gateway
            .broadcast(&Outbound::Text(frame));
    }

    /// Sends INVALID_SESSION (op 9); when not `resumable` the sessions are forgotten.
    pub fn invalidate_sessions(&self, resumable: bool) {
        let frame = json!({ "op": 9, "d": resumable, "s": null, "t": null }).to_string();
        let mut inner = self.state().lock();
        inner.gateway.broadcast(&Outbound::Text(frame));
        if !resumable {
            inner.gateway.sessions.clear();
        }
    }

    /// From now on every IDENTIFY and RESUME is closed with `code` (e.g. 4004 after the token
    /// was reset, 4014 when the application lost an intent); `None` accepts them again.
    /// Open connections are closed with it at once.
    pub fn refuse_sessions(&self, code: Option<u16>) {
        let mut inner = self.state().lock();
        inner.gateway.refuse_with = code;
        if let Some(code) = code {
            let reason = crate::gateway::close_reason(code).to_string();
            inner.gateway.broadcast(&Outbound::Close(code, reason));
        }
    }

    /// Uses up a bucket for `retry_after`: requests to it answer 429 until then.
    pub fn exhaust_bucket(&self, bucket: Bucket, retry_after: Duration) {
        let limits = &self.state().config.limits;
        let limit = match bucket {
            Bucket::ChannelMessages(_) => limits.channel_messages,
            Bucket::Webhook(_) => limits.webhooks,
            Bucket::Commands(_) => limits.commands,
        };
        self.state()
            .lock()
            .limiter
            .exhaust(bucket, limit, retry_after, Instant::now());
    }

    /// A Cloudflare outage for `lasting`: every REST request answers `status` (502, 504, 520–524)
    /// with an HTML page instead of JSON, as during Discord's incidents.
    pub fn outage(&self, status: u16, lasting: Duration) {
        let until = Instant::now() + lasting;
        self.state().lock().faults.start_outage(status, until);
    }

    /// The channel's write limit for `retry_after`: messages to it answer 429 with a `code`
    /// (20028) in the body, `X-RateLimit-Scope: shared` and no bucket headers.
    pub fn limit_writes(&self, channel_id: u64, retry_after: Duration) {
        let until = Instant::now() + retry_after;
        self.state().lock().faults.limit_writes(channel_id, until);
    }

    /// Thread starts from the channel's messages answer the write limit's 429 (code 20028) for
    /// `retry_after`; messages still go.
    pub fn limit_thread_starts(&self, channel_id: u64, retry_after: Duration) {
        let until = Instant::now() + retry_after;
        self.state()
            .lock()
            .faults
            .limit_thread_starts(channel_id, until);
    }

    /// A permission overwrite on a channel (and its threads) denying the bot `permissions`,
    /// e.g. [`crate::permissions::READ_MESSAGE_HISTORY`]: a reply there answers 403 160002
    /// while a plain message still goes.
    pub fn deny_bot_permissions(&self, channel_id: u64, permissions: u64) {
        if let Some(channel) = self.state().lock().world.channels.get_mut(&channel_id) {
            channel.bot_denied = permissions;
        }
    }

    /// Uses up the bot's global limit for `retry_after` (as other replicas of the bot would):
    /// every request it counts answers 429 `global: true` with `X-RateLimit-Global` until then.
    /// Interaction callbacks and webhooks are exempt, as on Discord.
    pub fn exhaust_global(&self, retry_after: Duration) {
        let until = Instant::now() + retry_after;
        self.state().lock().limiter.exhaust_global(until);
    }

    /// Turns rate-limit enforcement on or off (headers are sent either way).
    pub fn set_rate_limits(&self, on: bool) {
        self.state().lock().rate_limits = on;
    }
}
