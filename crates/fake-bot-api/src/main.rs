//! `fake-bot-api`: the fake Telegram Bot API as a standalone server, for trying a bot by hand.
//! Point the bot at it with `TELOXIDE_API_URL`, then play users through the `/_fake/` control
//! API (see the crate README). Rate limits are on, as in real Telegram.

use std::process::ExitCode;

use fake_bot_api::{Config, FakeBotApi};

const USAGE: &str =
    "usage: fake-bot-api [--port N] [--token TOKEN] [--username NAME] [--no-rate-limits]

  --port N          listen on 127.0.0.1:N (default 8081)
  --token TOKEN     the token the fake accepts (default 123456:TEST-TOKEN; never a real one)
  --username NAME   the bot's username (default studybot_test_bot)
  --no-rate-limits  deliver everything instead of answering 429 like Telegram";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config {
        port: 8081,
        rate_limits: true,
        ..Config::default()
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                let port = value("--port")?;
                config.port = port
                    .parse()
                    .map_err(|_| format!("--port: {port:?} is not a port number"))?;
            }
            "--token" => config.token = value("--token")?,
            "--username" => config.bot_username = value("--username")?,
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
                eprintln!("fake-bot-api: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let rate_limits = config.rate_limits;
    let fake = match FakeBotApi::start(config).await {
        Ok(fake) => fake,
        Err(err) => {
            eprintln!("fake-bot-api: cannot listen: {err}");
            return ExitCode::FAILURE;
        }
    };
    // The fake's own test token is printed on purpose: the bot must be started with it.
    println!("fake Telegram Bot API listening on {}", fake.api_url());
    println!("  TELOXIDE_API_URL={}", fake.api_url());
    println!("  TELOXIDE_TOKEN={}", fake.token());
    println!("  rate limits: {}", if rate_limits { "on" } else { "off" });
    println!(
        "control API: POST /_fake/message, /_fake/callback, /_fake/poll_answer, /_fake/chat, /_fake/admins; GET /_fake/sent, /_fake/requests, /_fake/polls"
    );
    match tokio::signal::ctrl_c().await {
        Ok(()) => {
            fake.shutdown();
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("fake-bot-api: cannot wait for Ctrl-C: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_listen_on_8081_with_rate_limits() {
        let config = parse(&[]).unwrap();
        assert_eq!((config.port, config.rate_limits), (8081, true));
    }

    #[test]
    fn flags_and_errors() {
        let config = parse(&["--port", "9000", "--no-rate-limits", "--username", "x_bot"]).unwrap();
        assert_eq!(
            (
                config.port,
                config.rate_limits,
                config.bot_username.as_str()
            ),
            (9000, false, "x_bot")
        );
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "http"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
