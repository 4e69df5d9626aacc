//! The replica's one PostgreSQL session and the locks it holds.
//!
//! Every query runs under one mutex with a deadline ([`QUERY_PATIENCE`]):
//! a query that fails or hangs means the session may be gone, and with it
//! every lock. The connection is then dropped, every seat held is reported
//! lost at once, and the next query reconnects and takes the member lock on
//! the same id again (the id is the ledger's owner, so it is kept).

use std::collections::HashMap;
use std::sync::Mutex as SyncMutex;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use rand::Rng;
use sqlx::{Connection, PgConnection};
use tokio::sync::{Mutex, MutexGuard, watch};

use super::{FIRST_MEMBER_ID, ReplicaError, Seat, namespace_key};

/// How long one query may take before the session counts as broken.
const QUERY_PATIENCE: Duration = Duration::from_secs(2);

/// How many random ids to try before giving up on joining.
const ID_TRIES: u32 = 16;

type Outcome<T> = Result<Result<T, sqlx::Error>, tokio::time::error::Elapsed>;

pub(super) struct Session {
    /// Never logged: it may hold a password.
    url: String,
    pub namespace: i32,
    pub id: i32,
    connection: Mutex<Option<PgConnection>>,
    /// The seats held, each with the sender that reports it lost.
    seats: SyncMutex<HashMap<Seat, watch::Sender<bool>>>,
    /// Raised at each change of membership or leadership seen here.
    pub changes: AtomicU64,
}

impl Session {
    /// Connects and takes the member lock on a free random id.
    pub async fn join(url: &str) -> Result<Session, ReplicaError> {
        let (mut connection, namespace) = connect(url).await?;
        for _ in 0..ID_TRIES {
            let id = rand::rng().random_range(FIRST_MEMBER_ID..=i32::MAX);
            let query = try_lock(&mut connection, namespace, id);
            let taken = tokio::time::timeout(QUERY_PATIENCE, query)
                .await
                .map_err(|_| ReplicaError::Session("the database did not answer".into()))?
                .map_err(|e| ReplicaError::Session(e.to_string()))?;
            if taken {
                return Ok(Session {
                    url: url.to_string(),
                    namespace,
                    id,
                    connection: Mutex::new(Some(connection)),
                    seats: SyncMutex::new(HashMap::new()),
                    changes: AtomicU64::new(0),
                });
            }
        }
        Err(ReplicaError::NoFreeId(ID_TRIES))
    }

    /// The ids holding member locks in this namespace, ascending.
    pub async fn live_members(&self) -> Result<Vec<i64>, ReplicaError> {
        let mut guard = self.connection().await?;
        let connection = guard.as_mut().expect("connected");
        let query = sqlx::query_scalar::<_, i64>(
            "SELECT objid::int8 FROM pg_locks \
             WHERE locktype = 'advisory' AND granted AND objsubid = 2 \
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
               AND classid::int8 = $1 AND objid::int8 >= $2 \
             ORDER BY 1",
        )
        .bind(i64::from(u32::from_ne_bytes(self.namespace.to_ne_bytes())))
        .bind(i64::from(FIRST_MEMBER_ID))
        .fetch_all(connection);
        let outcome = tokio::time::timeout(QUERY_PATIENCE, query).await;
        self.settle(&mut guard, outcome)
    }

    /// Tries to take `seat`; if taken, it is recorded as held (under the
    /// same lock as a failure, so a failure cannot slip in between) and the
    /// receiver reports its loss.
    pub async fn try_take(
        &self,
        seat: Seat,
    ) -> Result<Option<watch::Receiver<bool>>, ReplicaError> {
        let mut guard = self.connection().await?;
        if self.seats.lock().expect("seats").contains_key(&seat) {
            return Ok(None);
        }
        let connection = guard.as_mut().expect("connected");
        let query = try_lock(connection, self.namespace, seat.number());
        let outcome = tokio::time::timeout(QUERY_PATIENCE, query).await;
        if !self.settle(&mut guard, outcome)? {
            return Ok(None);
        }
        let (lost, lost_rx) = watch::channel(false);
        self.seats.lock().expect("seats").insert(seat, lost);
        Ok(Some(lost_rx))
    }

    /// Gives `seat` back (if the session still holds it).
    pub async fn give_back(&self, seat: Seat) {
        let mut guard = self.connection.lock().await;
        let Some(lost) = self.seats.lock().expect("seats").remove(&seat) else {
            return;
        };
        let _ = lost.send(true);
        let Some(connection) = guard.as_mut() else {
            return;
        };
        let query = sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1, $2)")
            .bind(self.namespace)
            .bind(seat.number())
            .fetch_one(connection);
        let outcome = tokio::time::timeout(QUERY_PATIENCE, query).await;
        let _ = self.settle(&mut guard, outcome);
    }

    /// Gives back every lock and closes the session.
    pub async fn close(&self) {
        let mut guard = self.connection.lock().await;
        let seats = std::mem::take(&mut *self.seats.lock().expect("seats"));
        for lost in seats.into_values() {
            let _ = lost.send(true);
        }
        let Some(mut connection) = guard.take() else {
            return;
        };
        let unlock = sqlx::query("SELECT pg_advisory_unlock_all()").execute(&mut connection);
        let _ = tokio::time::timeout(QUERY_PATIENCE, unlock).await;
        let _ = tokio::time::timeout(QUERY_PATIENCE, connection.close()).await;
    }

    /// The connection, opened again (and the member lock retaken) if a
    /// failure dropped it.
    async fn connection(&self) -> Result<MutexGuard<'_, Option<PgConnection>>, ReplicaError> {
        let mut guard = self.connection.lock().await;
        if guard.is_none() {
            *guard = Some(self.rejoin().await?);
            log::info!("replica {}: database session back", self.id);
        }
        Ok(guard)
    }

    async fn rejoin(&self) -> Result<PgConnection, ReplicaError> {
        let (mut connection, _) = connect(&self.url).await?;
        let query = try_lock(&mut connection, self.namespace, self.id);
        match tokio::time::timeout(QUERY_PATIENCE, query).await {
            Ok(Ok(true)) => Ok(connection),
            // PostgreSQL has not noticed the old session is gone yet.
            Ok(Ok(false)) => Err(ReplicaError::IdStillHeld(i64::from(self.id))),
            Ok(Err(e)) => Err(ReplicaError::Session(e.to_string())),
            Err(_) => Err(ReplicaError::Session("the database did not answer".into())),
        }
    }

    /// A query's outcome; a failure drops the connection and loses every
    /// seat before it is returned.
    fn settle<T>(
        &self,
        guard: &mut MutexGuard<'_, Option<PgConnection>>,
        outcome: Outcome<T>,
    ) -> Result<T, ReplicaError> {
        let error = match outcome {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {} s", QUERY_PATIENCE.as_secs()),
        };
        guard.take();
        self.lose_every_seat();
        Err(ReplicaError::Session(error))
    }

    fn lose_every_seat(&self) {
        let seats = std::mem::take(&mut *self.seats.lock().expect("seats"));
        for (seat, lost) in seats {
            log::info!("replica {}: lost the lead of {seat}", self.id);
            let _ = lost.send(true);
        }
    }
}

/// A new session, and the namespace of its database and schema.
async fn connect(url: &str) -> Result<(PgConnection, i32), ReplicaError> {
    let connect = PgConnection::connect(url);
    let mut connection = tokio::time::timeout(QUERY_PATIENCE * 5, connect)
        .await
        .map_err(|_| ReplicaError::Connect("no answer within 10 s".into()))?
        .map_err(|e| ReplicaError::Connect(e.to_string()))?;
    let names = sqlx::query_as::<_, (String, Option<String>)>(
        "SELECT current_database()::text, current_schema()::text",
    )
    .fetch_one(&mut connection);
    let (database, schema) = tokio::time::timeout(QUERY_PATIENCE, names)
        .await
        .map_err(|_| ReplicaError::Connect("the database did not answer".into()))?
        .map_err(|e| ReplicaError::Connect(e.to_string()))?;
    let namespace = namespace_key(&database, schema.as_deref().unwrap_or(""));
    Ok((connection, namespace))
}

async fn try_lock(
    connection: &mut PgConnection,
    namespace: i32,
    number: i32,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1, $2)")
        .bind(namespace)
        .bind(number)
        .fetch_one(connection)
        .await
}
