//! The one ping the bot ever sends: a daily question's `ping:@role`. The
//! role's mention leads the question's first message, and that message's
//! `allowed_mentions` names the role alone (`parse` stays empty), so no
//! `@everyone`, person or other role in the text pings anyone. Every other
//! message keeps `send::no_mentions`.

use twilight_model::channel::message::AllowedMentions;
use twilight_model::id::Id;

use super::parts::Part;
use super::send::no_mentions;

/// Discord's limit on a message's content, in characters.
const MAX_CONTENT: usize = 2000;

/// `allowed_mentions` for a message that pings `role` (or no one).
pub fn mentions(role: Option<u64>) -> AllowedMentions {
    match role.and_then(Id::new_checked) {
        Some(role) => AllowedMentions {
            roles: vec![role],
            ..no_mentions()
        },
        None => no_mentions(),
    }
}

/// The parts with `<@&role>` leading the first; as a message of its own
/// when the first part has no room left for it.
pub fn parts_pinging(mut parts: Vec<Part>, role: Option<u64>) -> Vec<Part> {
    let Some(role) = role else { return parts };
    let mention = format!("<@&{role}>");
    match parts.first_mut() {
        Some(first) if first.content.chars().count() + mention.len() < MAX_CONTENT => {
            first.content = format!("{mention}\n{}", first.content);
        }
        _ => parts.insert(
            0,
            Part {
                content: mention,
                components: Vec::new(),
                image: None,
            },
        ),
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(content: &str) -> Part {
        Part {
            content: content.to_string(),
            components: Vec::new(),
            image: None,
        }
    }

    #[test]
    fn the_mention_leads_the_first_part_or_goes_alone() {
        let parts = parts_pinging(vec![part("Q?"), part("more")], Some(42));
        assert_eq!(parts[0].content, "<@&42>\nQ?");
        assert_eq!(parts.len(), 2);
        let full = "x".repeat(1995);
        let parts = parts_pinging(vec![part(&full)], Some(42));
        assert_eq!(parts[0].content, "<@&42>");
        assert_eq!(parts[1].content, full);
        assert_eq!(parts_pinging(vec![part("Q?")], None)[0].content, "Q?");
    }

    #[test]
    fn only_the_role_is_allowed() {
        let allowed = mentions(Some(42));
        assert!(allowed.parse.is_empty() && allowed.users.is_empty());
        assert_eq!(allowed.roles, vec![Id::new(42)]);
        assert_eq!(mentions(None), no_mentions());
    }
}
