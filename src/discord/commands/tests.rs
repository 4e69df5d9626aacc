use twilight_model::application::interaction::application_command::CommandDataOption;
use twilight_model::id::Id;

use super::*;

fn data(name: &str, options: &[(&str, &str)]) -> CommandData {
    CommandData {
        guild_id: None,
        id: Id::new(1),
        name: name.to_string(),
        kind: CommandType::ChatInput,
        options: options
            .iter()
            .map(|(name, value)| CommandDataOption {
                name: name.to_string(),
                value: CommandOptionValue::String(value.to_string()),
            })
            .collect(),
        resolved: None,
        target_id: None,
    }
}

fn command(name: &str, options: &[(&str, &str)]) -> study::Command {
    match parse(&data(name, options)) {
        study::Parsed::Command { command, .. } => command,
        other => panic!("{other:?}"),
    }
}

#[test]
fn commands_pass_discords_validation_and_hide_settings_from_members() {
    let specs: Vec<&Spec> = commands::on(Platform::Discord).collect();
    for spec in &specs {
        assert!(builder(spec).validate().is_ok(), "{} is valid", spec.name);
    }
    let commands = all();
    assert_eq!(commands.len(), specs.len());
    assert!(
        commands.iter().all(|c| c.name != "start"),
        "/start is Telegram's"
    );
    for command in &commands {
        let hidden = command.default_member_permissions == Some(Permissions::MANAGE_GUILD);
        let settings =
            ["daily", "reveal", "lang", "pin", "digest"].contains(&command.name.as_str());
        assert_eq!(hidden, settings, "{}", command.name);
    }
}

#[test]
fn options_become_the_words_of_the_text_command() {
    assert_eq!(
        command(
            "daily",
            &[
                ("tag", "training, startup"),
                ("time", "09:00"),
                ("deck", "deck:x"),
                ("days", "weekdays")
            ]
        ),
        study::Command::Daily {
            args: ["09:00", "weekdays", "tag:training,startup", "deck:x"]
                .map(String::from)
                .to_vec()
        }
    );
    assert_eq!(
        command("remind", &[("zone", "Asia/Shanghai"), ("time", " 20:00 ")]),
        study::Command::Remind {
            args: vec!["20:00".into(), "Asia/Shanghai".into()]
        }
    );
    assert_eq!(command("help", &[]), study::Command::Help);
    assert_eq!(
        command("start", &[]),
        study::Command::Unknown {
            name: "start".into()
        }
    );
}

#[test]
fn one_word_options_are_read_as_text_commands_read_them() {
    // Tags and ids are lower case, as `/ask Training` typed in a chat.
    assert_eq!(
        command("ask", &[("tag", "Training")]),
        study::Command::Ask {
            tag: Some("training".into())
        }
    );
    assert_eq!(
        command("lang", &[("code", "  ")]),
        study::Command::Lang { code: None }
    );
    assert!(command("lang", &[("code", "EN")]).changes_settings());
}
