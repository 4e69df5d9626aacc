//! Learning that sticks: each person's self-ratings after a reveal, the
//! personal card (FSRS) every rated question becomes, streaks, retention
//! and the leaderboard's order.
//!
//! A group's question of the day feeds each member's own spaced review.
//! This module holds the rules (`schedule`: how ratings move a card;
//! `stats`: local days, weeks, streaks); `store` keeps the rows and `study`
//! turns them into posts. It knows no platform: a person is a
//! platform-qualified `domain::PersonId`, nothing more.

pub mod activity;
pub mod schedule;
pub mod stats;

pub use schedule::{Card, Replayed, Review, replay};

/// How well a person remembered an answer, as FSRS grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// 1 (Again) to 4 (Easy): FSRS's grades, also what is stored and what
    /// buttons carry.
    pub fn grade(self) -> u8 {
        match self {
            Rating::Again => 1,
            Rating::Hard => 2,
            Rating::Good => 3,
            Rating::Easy => 4,
        }
    }

    pub fn from_grade(grade: i64) -> Option<Rating> {
        match grade {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    /// Good and Easy count as remembered (retention).
    pub fn remembered(self) -> bool {
        matches!(self, Rating::Good | Rating::Easy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_and_nothing_else_decodes() {
        for rating in Rating::ALL {
            assert_eq!(Rating::from_grade(i64::from(rating.grade())), Some(rating));
        }
        assert_eq!(Rating::from_grade(0), None);
        assert_eq!(Rating::from_grade(5), None);
    }
}
