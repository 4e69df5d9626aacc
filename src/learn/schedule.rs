//! FSRS: when a person should see a question again.
//!
//! The scheduler is `rs-fsrs`, not `fsrs`: `fsrs` 6.x (which no longer pulls
//! `burn`) still brings ndarray, rayon, rand 0.10, itertools, priority-queue,
//! snafu and strum for its optimizer, none of which scheduling needs, while
//! `rs-fsrs` is the scheduler alone and depends only on chrono, already in
//! the build through teloxide. Its long-term scheduler is used (whole days,
//! no minute-long learning steps: a chat reviews on days, not minutes), with
//! fuzz off so a card's due date is a pure function of its history.
//!
//! A card is never updated in place: it is replayed from its reviews, in
//! order. So a person who changes their mind on a reveal changes one review
//! and the card follows, without a second review being counted.

use chrono::{DateTime, Utc};
use rs_fsrs::{FSRS, Parameters, State};

use super::Rating;
pub use crate::store::CardRow as Card;

/// One rating of a card at a moment (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub at: i64,
    pub rating: Rating,
}

/// A card replayed from its reviews, and for each review whether the card
/// was due when it was rated (the reviews that count for retention).
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub card: Card,
    pub was_due: Vec<bool>,
}

fn scheduler() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    })
}

fn utc(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn fsrs_rating(rating: Rating) -> rs_fsrs::Rating {
    match rating {
        Rating::Again => rs_fsrs::Rating::Again,
        Rating::Hard => rs_fsrs::Rating::Hard,
        Rating::Good => rs_fsrs::Rating::Good,
        Rating::Easy => rs_fsrs::Rating::Easy,
    }
}

/// The card that `reviews` (in the order given, oldest first) make; `None`
/// for no reviews.
pub fn replay(reviews: &[Review]) -> Option<Replayed> {
    replay_with(&scheduler(), reviews)
}

fn replay_with(fsrs: &FSRS, reviews: &[Review]) -> Option<Replayed> {
    let mut card = rs_fsrs::Card::default();
    let mut was_due = Vec::with_capacity(reviews.len());
    for review in reviews {
        let now = utc(review.at);
        was_due.push(card.state != State::New && now >= card.due);
        card = fsrs.next(card, now, fsrs_rating(review.rating)).card;
    }
    if reviews.is_empty() {
        return None;
    }
    Some(Replayed {
        card: Card {
            stability: card.stability,
            difficulty: card.difficulty,
            due: card.due.timestamp(),
            reps: i64::from(card.reps),
            lapses: i64::from(card.lapses),
            last_review: card.last_review.timestamp(),
            scheduled_days: card.scheduled_days,
        },
        was_due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2022-11-29 12:30:00 UTC, the start of rs-fsrs's reference tests.
    const START: i64 = 1_669_725_000;

    /// rs-fsrs 1.2.1's published long-term reference (`test_long_term_scheduler`
    /// in its src/tests.rs): these weights and ratings, each review on the
    /// day the card falls due, give exactly these intervals, stabilities and
    /// difficulties.
    #[test]
    fn matches_the_published_long_term_reference() {
        let fsrs = FSRS::new(Parameters {
            w: [
                0.4197, 1.1869, 3.0412, 15.2441, 7.1434, 0.6477, 1.0007, 0.0674, 1.6597, 0.1712,
                1.1178, 2.0225, 0.0904, 0.3025, 2.1214, 0.2498, 2.9466, 0.4891, 0.6468,
            ],
            enable_short_term: false,
            ..Parameters::default()
        });
        use Rating::*;
        let ratings = [
            Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good,
        ];
        let mut reviews = Vec::new();
        let (mut intervals, mut stabilities, mut difficulties) = (vec![], vec![], vec![]);
        let mut at = START;
        for rating in ratings {
            reviews.push(Review { at, rating });
            let card = replay_with(&fsrs, &reviews).unwrap().card;
            intervals.push(card.scheduled_days);
            stabilities.push((card.stability * 1e4).round() / 1e4);
            difficulties.push((card.difficulty * 1e4).round() / 1e4);
            at = card.due;
        }
        assert_eq!(
            intervals,
            [3, 13, 48, 155, 445, 1158, 17, 3, 9, 27, 74, 190, 457]
        );
        assert_eq!(
            stabilities,
            [
                3.0412, 13.0913, 48.1585, 154.9373, 445.0556, 1158.0778, 16.6306, 2.9888, 9.4633,
                26.9474, 73.9723, 189.7037, 457.4379
            ]
        );
        assert_eq!(
            difficulties,
            [
                4.4909, 4.2666, 4.0575, 3.8624, 3.6804, 3.5108, 5.219, 6.8122, 6.4314, 6.0763,
                5.7452, 5.4363, 5.1483
            ]
        );
    }

    fn interval_after(history: &[Rating], last: Rating) -> i64 {
        let mut reviews = Vec::new();
        let mut at = START;
        for &rating in history.iter().chain([&last]) {
            reviews.push(Review { at, rating });
            at = replay(&reviews).unwrap().card.due;
        }
        replay(&reviews).unwrap().card.scheduled_days
    }

    #[test]
    fn easy_then_good_then_hard_then_again_from_new_and_from_review() {
        for history in [&[][..], &[Rating::Good, Rating::Good][..]] {
            let [again, hard, good, easy] = Rating::ALL.map(|r| interval_after(history, r));
            assert!(
                easy > good && good > hard && hard > again && again >= 1,
                "{history:?}: {again} {hard} {good} {easy}"
            );
        }
    }

    #[test]
    fn a_rating_sets_the_due_date_its_interval_away() {
        let reviews = [Review {
            at: START,
            rating: Rating::Good,
        }];
        let card = replay(&reviews).unwrap().card;
        assert_eq!(card.due, START + card.scheduled_days * 86_400);
        assert_eq!((card.reps, card.lapses, card.last_review), (1, 0, START));
    }

    #[test]
    fn only_reviews_of_a_due_card_count_as_due() {
        let first = Review {
            at: START,
            rating: Rating::Good,
        };
        let due = replay(&[first]).unwrap().card.due;
        let early = Review {
            at: due - 3600,
            rating: Rating::Good,
        };
        let on_time = Review {
            at: due,
            rating: Rating::Again,
        };
        assert_eq!(replay(&[first, early]).unwrap().was_due, [false, false]);
        let replayed = replay(&[first, on_time]).unwrap();
        assert_eq!(replayed.was_due, [false, true]);
        assert_eq!(replayed.card.lapses, 1);
        assert_eq!(replay(&[]), None);
    }
}
