//! The ledger as stored: claims once, owners and hand-backs, and rows
//! whose date does not read left out.

use super::*;
use crate::store::testing::each_store;

const CHAT: ChatId = ChatId::telegram(1);
const DATE: Date = jiff::civil::date(2026, 11, 29);

fn entry(kind: LedgerKind, at: i64) -> NewEntry<'static> {
    NewEntry {
        chat_id: CHAT,
        local_date: DATE,
        kind,
        question_id: "q",
        ask_id: None,
        at,
    }
}

fn key(kind: LedgerKind) -> LedgerKey {
    LedgerKey {
        chat_id: CHAT,
        local_date: DATE,
        kind,
    }
}

/// Writes a claimed row by hand, as a person editing the database might.
async fn hand_written(store: &Store, date: &str, kind: LedgerKind) {
    sqlx::query(
        "INSERT INTO daily_ledger
             (platform, chat_id, local_date, kind, state, question_id, ask_id, at, owner)
         VALUES ($1, $2, $3, $4, 'claimed', 'q', NULL, 5, NULL)",
    )
    .bind(CHAT.platform.as_str())
    .bind(CHAT.id)
    .bind(date)
    .bind(kind.as_str())
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_day_is_claimed_once() {
    each_store(async |store| {
        assert!(store.claim(&entry(LedgerKind::Post, 5)).await.unwrap());
        assert!(!store.claim(&entry(LedgerKind::Post, 6)).await.unwrap());
        assert!(store.claim(&entry(LedgerKind::Reveal, 6)).await.unwrap());
        assert_eq!(store.claimed_entries().await.unwrap().len(), 2);
        store
            .finish(CHAT, DATE, LedgerKind::Post, Some(9), 7)
            .await
            .unwrap();
        let e = store
            .latest_entry(CHAT, LedgerKind::Post)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((e.state, e.ask_id), (LedgerState::Done, Some(9)));
        assert!(!store.skip(&entry(LedgerKind::Post, 8)).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_claim_records_its_owner_and_only_the_expected_owner_gives_it_up() {
    each_store(async |store| {
        let (a, b) = (store.with_owner(1), store.with_owner(2));
        assert!(a.claim(&entry(LedgerKind::Post, 5)).await.unwrap());
        assert!(store.claim(&entry(LedgerKind::Reveal, 5)).await.unwrap());
        let owners = |entries: Vec<LedgerEntry>| -> Vec<_> {
            entries.iter().map(|e| (e.kind, e.owner)).collect()
        };
        assert_eq!(
            owners(store.claimed_entries().await.unwrap()),
            vec![(LedgerKind::Post, Some(1)), (LedgerKind::Reveal, None)]
        );
        // B expects the wrong holder: nothing moves.
        assert!(!b.adopt(key(LedgerKind::Post), None).await.unwrap());
        assert!(!b.adopt(key(LedgerKind::Post), Some(3)).await.unwrap());
        assert!(b.adopt(key(LedgerKind::Post), Some(1)).await.unwrap());
        // A second adoption from the old holder loses.
        assert!(!a.adopt(key(LedgerKind::Post), Some(1)).await.unwrap());
        // An ownerless claim is adopted by expecting nobody.
        assert!(a.adopt(key(LedgerKind::Reveal), None).await.unwrap());
        let post = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(post.unwrap().owner, Some(2));
    })
    .await;
}

#[tokio::test]
async fn a_stopping_replica_hands_back_only_its_open_claims() {
    each_store(async |store| {
        let (a, b) = (store.with_owner(1), store.with_owner(2));
        assert!(a.claim(&entry(LedgerKind::Post, 5)).await.unwrap());
        assert!(a.claim(&entry(LedgerKind::Reveal, 5)).await.unwrap());
        assert!(b.claim(&entry(LedgerKind::Remind, 5)).await.unwrap());
        a.finish(CHAT, DATE, LedgerKind::Reveal, None, 6)
            .await
            .unwrap();
        assert_eq!(a.hand_back(1).await.unwrap(), 1, "only the open claim");
        assert_eq!(a.hand_back(1).await.unwrap(), 0);
        let post = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(post.unwrap().owner, None);
        let remind = store.entry(CHAT, DATE, LedgerKind::Remind).await.unwrap();
        assert_eq!(remind.unwrap().owner, Some(2));
        // Nobody's claim is adopted, done rows are not.
        assert!(b.adopt(key(LedgerKind::Post), None).await.unwrap());
        assert!(!b.adopt(key(LedgerKind::Reveal), Some(1)).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_row_whose_date_does_not_read_never_leaves_the_store() {
    each_store(async |store| {
        assert!(store.claim(&entry(LedgerKind::Post, 5)).await.unwrap());
        // Sorts after DATE, so it is the chat's latest post row.
        hand_written(&store, "2026-13-40", LedgerKind::Post).await;
        hand_written(&store, "someday", LedgerKind::Reveal).await;
        // A date jiff reads, but not as the store writes it.
        hand_written(&store, "20261208", LedgerKind::Remind).await;
        let claimed = store.claimed_entries().await.unwrap();
        let keys: Vec<LedgerKey> = claimed.iter().map(LedgerEntry::key).collect();
        assert_eq!(keys, vec![key(LedgerKind::Post)]);
        // The latest row does not read: there is no latest entry, as
        // there is no progress for the chat in a claim batch's reads.
        let latest = store.latest_entry(CHAT, LedgerKind::Post).await.unwrap();
        assert_eq!(latest, None);
        let reveal = store.latest_entry(CHAT, LedgerKind::Reveal).await.unwrap();
        assert_eq!(reveal, None);
        let reads = store.claim_reads(&[CHAT]).await.unwrap();
        assert!(reads.progress.is_empty());
        // The rows that read still do.
        let post = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(post.map(|e| e.local_date), Some(DATE));
    })
    .await;
}

#[test]
fn a_date_reads_only_as_the_store_writes_it() {
    assert_eq!(
        stored_date("2026-12-07"),
        Some(jiff::civil::date(2026, 12, 7))
    );
    // jiff reads the basic ISO 8601 form too, which is not the row's key.
    assert!("20261207".parse::<jiff::civil::Date>().is_ok());
    assert_eq!(stored_date("20261207"), None);
    assert_eq!(stored_date(" 2026-12-07"), None);
    assert_eq!(stored_date("2026-02-30"), None);
}
