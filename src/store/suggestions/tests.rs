use super::*;
use crate::domain::MessageId;
use crate::store::testing::each_store;

const GROUP: ChatId = ChatId::telegram(-100);

fn person(id: i64) -> PersonId {
    PersonId::new(Platform::Telegram, id)
}

fn text(question: &str) -> SuggestionText {
    SuggestionText {
        question: question.to_string(),
        answer: "An answer".to_string(),
        analysis: None,
        tags: vec!["ml".to_string(), "训练".to_string()],
    }
}

async fn suggest(store: &Store, who: i64, question: &str, at: i64) -> i64 {
    let text = text(question);
    let new = NewSuggestion {
        chat_id: GROUP,
        chat_title: Some("Study"),
        person_id: who,
        person_name: "Ann",
        text: &text,
        near: None,
        at,
    };
    store.add_suggestion(&new).await.unwrap()
}

#[tokio::test]
async fn a_draft_is_written_whole_and_sending_drops_it() {
    each_store(async |store| {
        let draft = DraftRow {
            person: person(1),
            chat_id: GROUP,
            chat_title: Some("Study".into()),
            step: "answer".into(),
            question: Some("Why?".into()),
            answer: None,
            analysis: None,
            tags: None,
            updated_at: 5,
        };
        store.save_draft(&draft).await.unwrap();
        let later = DraftRow {
            step: "analysis".into(),
            answer: Some("Because".into()),
            ..draft.clone()
        };
        store.save_draft(&later).await.unwrap();
        assert_eq!(store.draft(person(1)).await.unwrap(), Some(later));
        suggest(&store, 1, "Why?", 6).await;
        assert_eq!(store.draft(person(1)).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn only_the_first_decision_counts_and_the_queue_puts_pending_first() {
    each_store(async |store| {
        let first = suggest(&store, 1, "One?", 10).await;
        let second = suggest(&store, 2, "Two?", 20).await;
        let third = suggest(&store, 1, "Three?", 30).await;
        let edited = text("One, corrected?");
        let approve = Decision {
            state: SuggestionState::Approved,
            text: &edited,
            reason: None,
            moderator_id: 9,
            moderator_name: "Mod",
            question_id: Some("community-x-1"),
            at: 40,
        };
        let platform = Platform::Telegram;
        assert!(
            store
                .decide_suggestion(platform, first, &approve)
                .await
                .unwrap()
        );
        let reject = Decision {
            state: SuggestionState::Rejected,
            reason: Some("late"),
            ..approve.clone()
        };
        assert!(
            !store
                .decide_suggestion(platform, first, &reject)
                .await
                .unwrap()
        );
        let row = store.suggestion(platform, first).await.unwrap().unwrap();
        assert_eq!(row.state, SuggestionState::Approved);
        assert_eq!(row.text.question, "One, corrected?");
        assert_eq!(row.text.tags, vec!["ml", "训练"]);
        assert_eq!(row.moderator_name.as_deref(), Some("Mod"));
        let queue: Vec<i64> = store
            .suggestion_queue(10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(queue, vec![second, third, first]);
        assert_eq!(store.suggestions_since(person(1), 15).await.unwrap(), 1);
        assert_eq!(store.pending_suggestions(GROUP).await.unwrap().len(), 2);
        store
            .forget_person(person(1), ChatId::telegram(1))
            .await
            .unwrap();
        let left: Vec<i64> = store
            .suggestion_queue(10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            left,
            vec![second, first],
            "pending ones go, decided ones stay"
        );
        let kept = store.suggestion(platform, first).await.unwrap().unwrap();
        assert_eq!(kept.person_name, "");
    })
    .await;
}

#[tokio::test]
async fn a_prompt_is_found_by_its_message() {
    each_store(async |store| {
        let prompt = SuggestionPrompt {
            person: person(9),
            step: "reason".into(),
            suggestion_id: Some(3),
            at: 1,
        };
        let chat = ChatId::telegram(9);
        store
            .save_suggestion_prompt(chat, MessageId(4), &prompt)
            .await
            .unwrap();
        assert_eq!(
            store.suggestion_prompt(chat, MessageId(4)).await.unwrap(),
            Some(prompt)
        );
        store
            .delete_suggestion_prompt(chat, MessageId(4))
            .await
            .unwrap();
        assert_eq!(
            store.suggestion_prompt(chat, MessageId(4)).await.unwrap(),
            None
        );
    })
    .await;
}
