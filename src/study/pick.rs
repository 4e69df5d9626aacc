//! Choosing the next question: random, but no repeats within a round.
//!
//! A round is the set of questions a chat has been given since it last saw
//! the whole pool (the bank, or one tag). When nothing in the pool is left
//! unseen a new round starts over the pool, avoiding the question just
//! asked so a round boundary never shows the same question twice in a row.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::bank::Question;

/// The pick and whether it began a new round over the pool.
#[derive(Debug)]
pub struct Pick<'a> {
    pub question: &'a Question,
    pub new_round: bool,
}

/// Picks from `pool` (never empty) given the chat's round `seen` and the
/// `current` question id.
pub fn pick<'a, R: Rng + ?Sized>(
    pool: &[&'a Question],
    seen: &HashSet<String>,
    current: Option<&str>,
    rng: &mut R,
) -> Option<Pick<'a>> {
    let unseen: Vec<&'a Question> = pool
        .iter()
        .copied()
        .filter(|q| !seen.contains(&q.id))
        .collect();
    if let Some(question) = unseen.choose(rng) {
        return Some(Pick {
            question,
            new_round: false,
        });
    }
    let fresh: Vec<&'a Question> = pool
        .iter()
        .copied()
        .filter(|q| pool.len() == 1 || Some(q.id.as_str()) != current)
        .collect();
    fresh.choose(rng).map(|question| Pick {
        question,
        new_round: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn question(id: &str) -> Question {
        Question {
            id: id.to_string(),
            deck: "d".into(),
            title: id.into(),
            tags: vec![],
            question: "q".into(),
            answer: "a".into(),
            analysis: Some("b".into()),
            quiz: None,
            image: None,
        }
    }

    #[test]
    fn a_round_covers_the_pool_without_repeats_then_restarts() {
        let questions: Vec<Question> = (0..8).map(|i| question(&format!("q{i}"))).collect();
        let pool: Vec<&Question> = questions.iter().collect();
        let mut rng = StdRng::seed_from_u64(7);
        let mut seen = HashSet::new();
        let mut current: Option<String> = None;
        for _ in 0..8 {
            let p = pick(&pool, &seen, current.as_deref(), &mut rng).unwrap();
            assert!(!p.new_round);
            assert!(
                seen.insert(p.question.id.clone()),
                "repeat {}",
                p.question.id
            );
            current = Some(p.question.id.clone());
        }
        for _ in 0..50 {
            let p = pick(&pool, &seen, current.as_deref(), &mut rng).unwrap();
            assert!(p.new_round);
            assert_ne!(Some(p.question.id.as_str()), current.as_deref());
        }
    }

    #[test]
    fn a_pool_of_one_repeats_and_an_empty_pool_gives_nothing() {
        let only = question("only");
        let seen = HashSet::from(["only".to_string()]);
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            pick(&[&only], &seen, Some("only"), &mut rng)
                .unwrap()
                .question
                .id,
            "only"
        );
        assert!(pick(&[], &seen, None, &mut rng).is_none());
    }
}
