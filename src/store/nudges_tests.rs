//! Reminders and digests as stored: due order, active chats only, and
//! rows that do not read left out and parked.

use super::*;
use crate::domain::ChatKind;
use crate::store::testing::each_store;

fn reminder(id: i64, time: &str) -> ReminderRow {
    ReminderRow {
        person: PersonId::new(Platform::Telegram, id),
        chat_id: ChatId::telegram(id),
        time: schedule::parse_time(time).unwrap(),
        zone: TimeZone::get("Asia/Shanghai").unwrap(),
        zone_name: "Asia/Shanghai".to_string(),
    }
}

fn digest(chat_id: ChatId) -> DigestRow {
    DigestRow {
        chat_id,
        plan: WeeklyPlan::from_parts("1", "09:00", "UTC").unwrap(),
        thread_id: Some(4),
    }
}

async fn active(store: &Store, chats: &[ChatId]) {
    for &chat in chats {
        let kind = ChatKind::Private;
        store.upsert_chat(chat, kind, None, 0).await.unwrap();
    }
}

#[tokio::test]
async fn reminders_are_due_earliest_first_and_only_in_active_chats() {
    each_store(async |store| {
        let people: Vec<ReminderRow> = (1..=3).map(|id| reminder(id, "20:00")).collect();
        let chats: Vec<ChatId> = people.iter().map(|r| r.chat_id).collect();
        active(&store, &chats).await;
        for row in &people {
            store.save_reminder(row, 0).await.unwrap();
        }
        store.save_reminder(&reminder(2, "21:00"), 1).await.unwrap();
        assert_eq!(
            store
                .reminder(people[1].person)
                .await
                .unwrap()
                .unwrap()
                .time,
            jiff::civil::time(21, 0, 0, 0)
        );
        assert_eq!(
            store.reminder_in(chats[2]).await.unwrap(),
            Some(people[2].clone())
        );
        for (row, at) in people.iter().zip([500, 300, 300]) {
            store.set_reminder_due(row.person, at).await.unwrap();
        }
        let due = store.due_reminders(400, 10, None).await.unwrap();
        let ids: Vec<i64> = due.iter().map(|r| r.person.id).collect();
        assert_eq!(ids, vec![2, 3]);
        store.deactivate_chat(chats[1], 2).await.unwrap();
        let due = store.due_reminders(600, 10, Some(Platform::Telegram)).await;
        let ids: Vec<i64> = due.unwrap().iter().map(|r| r.person.id).collect();
        assert_eq!(ids, vec![3, 1]);
        assert_eq!(store.earliest_nudge(None).await.unwrap(), Some(300));
        assert_eq!(
            store.earliest_nudge(Some(Platform::Discord)).await.unwrap(),
            None
        );
        assert!(store.delete_reminder_in(chats[2]).await.unwrap());
        assert!(!store.delete_reminder(people[2].person).await.unwrap());
        store.forget_nudge_instants().await.unwrap();
        assert_eq!(store.earliest_nudge(None).await.unwrap(), Some(0));
    })
    .await;
}

#[tokio::test]
async fn a_digest_and_a_zone_are_kept_until_replaced_or_deleted() {
    each_store(async |store| {
        let group = ChatId::telegram(-5);
        active(&store, &[group]).await;
        store.save_digest(&digest(group), 0).await.unwrap();
        assert_eq!(store.digest(group).await.unwrap(), Some(digest(group)));
        store.set_digest_due(group, 70).await.unwrap();
        assert_eq!(store.due_digests(69, 5, None).await.unwrap(), vec![]);
        assert_eq!(
            store.due_digests(70, 5, None).await.unwrap(),
            vec![digest(group)]
        );
        assert_eq!(store.earliest_nudge(None).await.unwrap(), Some(70));
        assert!(store.delete_digest(group).await.unwrap());
        assert_eq!(store.digest(group).await.unwrap(), None);
        let ann = PersonId::new(Platform::Telegram, 7);
        assert_eq!(store.person_zone(ann).await.unwrap(), None);
        store
            .set_person_zone(ann, "Europe/Berlin", 1)
            .await
            .unwrap();
        store.set_person_zone(ann, "Asia/Tokyo", 2).await.unwrap();
        assert_eq!(
            store.person_zone(ann).await.unwrap().map(|z| z.name),
            Some("Asia/Tokyo".to_string())
        );
    })
    .await;
}

#[tokio::test]
async fn a_reminder_or_digest_that_does_not_read_is_left_out_and_parked() {
    each_store(async |store| {
        let good = reminder(1, "20:00");
        let bad = reminder(2, "20:00");
        active(&store, &[good.chat_id, bad.chat_id, ChatId::telegram(9)]).await;
        for row in [&good, &bad] {
            store.save_reminder(row, 0).await.unwrap();
        }
        store
            .save_digest(&digest(ChatId::telegram(9)), 0)
            .await
            .unwrap();
        // A hand edit, or a future version's text.
        sqlx::query("UPDATE reminders SET timezone = 'Mars/Olympus' WHERE person_id = 2")
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE digests SET post_time = '25:99'")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.reminder(bad.person).await.unwrap(), None);
        assert_eq!(store.digest(ChatId::telegram(9)).await.unwrap(), None);
        let due = store.due_reminders(100, 10, None).await.unwrap();
        assert_eq!(due, vec![good.clone()], "only the row that reads");
        assert!(store.due_digests(100, 10, None).await.unwrap().is_empty());
        // Parked: not read again at every wake-up.
        store.set_reminder_due(good.person, 500).await.unwrap();
        assert_eq!(store.earliest_nudge(None).await.unwrap(), Some(500));
    })
    .await;
}
