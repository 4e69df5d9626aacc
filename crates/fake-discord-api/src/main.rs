//! `fake-discord-api`: the fake Discord as a standalone server, for trying a bot by hand. It
//! starts with a server ("Study") holding a text channel and a thread, a member and a DM, prints
//! their ids, and serves the `/_fake/` control API (see the crate README).

use std::process::ExitCode;

use fake_discord_api::{Config, FakeDiscord};

const USAGE: &str = "usage: fake-discord-api [--port N] [--gateway-port N] [--no-rate-limits]

  --port N          REST on 127.0.0.1:N (default 8082)
  --gateway-port N  gateway WebSocket on 127.0.0.1:N (default 8083)
  --no-rate-limits  deliver everything instead of answering 429 like Discord";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config {
        rest_port: 8082,
        gateway_port: 8083,
        ..Config::default()
    };
    while let Some(arg) = args.next() {
        let mut port = |name: &str| -> Result<u16, String> {
            let value = args.next().ok_or(format!("{name} needs a value"))?;
            value
                .parse()
                .map_err(|_| format!("{name}: {value:?} is not a port number"))
        };
        match arg.as_str() {
            "--port" => config.rest_port = port("--port")?,
            "--gateway-port" => config.gateway_port = port("--gateway-port")?,
            "--no-rate-limits" => config.rate_limits = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("fake-discord-api: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let fake = match FakeDiscord::start(config).await {
        Ok(fake) => fake,
        Err(err) => {
            eprintln!("fake-discord-api: cannot listen: {err}");
            return ExitCode::FAILURE;
        }
    };
    let member = fake.add_user("Ann", "en-US");
    let guild = fake.add_guild("Study", member);
    let channel = fake.add_text_channel(guild, "general");
    let thread = fake.add_thread(channel, "daily questions");
    let dm = fake.add_dm(member);
    // The fake's own test token is printed on purpose: the bot must be started with it.
    println!(
        "fake Discord: REST {} gateway {}",
        fake.api_url(),
        fake.gateway_url()
    );
    println!("  DISCORD_API_URL={}", fake.api_url());
    println!("  DISCORD_TOKEN={}", fake.token());
    println!(
        "  guild {guild}, channel {channel}, thread {thread}, DM {dm}, member Ann {member} (owner)"
    );
    println!(
        "control API: POST /_fake/command, /_fake/press, /_fake/modal, /_fake/pin_right, /_fake/refuse_dms; GET /_fake/messages, /_fake/interactions/ID, /_fake/requests"
    );
    match tokio::signal::ctrl_c().await {
        Ok(()) => {
            fake.shutdown();
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("fake-discord-api: cannot wait for Ctrl-C: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_flags() {
        let parse = |args: &[&str]| parse_args(args.iter().map(|s| s.to_string()));
        let config = parse(&[]).unwrap();
        assert_eq!(
            (config.rest_port, config.gateway_port, config.rate_limits),
            (8082, 8083, true)
        );
        let config = parse(&["--port", "9000", "--no-rate-limits"]).unwrap();
        assert_eq!((config.rest_port, config.rate_limits), (9000, false));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
