//! The command menu Telegram shows next to the message box, registered at
//! start for private chats, groups and group administrators, in Chinese
//! and English (and the operator's language for everyone else). The lines
//! are the command registry's (`study::commands`); settings commands are
//! listed only where the reader may change settings.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope};

use crate::study::{Lang, commands};

/// Registers every menu; a failure is logged, not fatal: the bot works
/// without a menu.
pub async fn register(bot: &Bot, default_lang: Lang) {
    let scopes = [
        (BotCommandScope::AllPrivateChats, true),
        (BotCommandScope::AllGroupChats, false),
        (BotCommandScope::AllChatAdministrators, true),
    ];
    for (scope, settings) in scopes {
        for lang in Lang::all() {
            set(bot, scope.clone(), Some(lang), lang, settings).await;
        }
        set(bot, scope, None, default_lang, settings).await;
    }
}

async fn set(bot: &Bot, scope: BotCommandScope, lang: Option<Lang>, words: Lang, settings: bool) {
    let commands: Vec<BotCommand> = commands::menu(words, settings)
        .into_iter()
        .map(|(command, description)| BotCommand::new(command, description))
        .collect();
    let mut request = bot.set_my_commands(commands).scope(scope);
    if let Some(lang) = lang {
        request = request.language_code(lang.code());
    }
    if let Err(e) = request.await {
        log::warn!("could not register the command menu: {e}");
    }
}
