//! A schema of its own for one test on STUDYBOT_TEST_POSTGRES, so tests
//! running in parallel on one database never see each other's tables or
//! advisory locks.

/// One test's schema, dropped by [`TestSchema::drop`].
pub struct TestSchema {
    base: String,
    name: String,
}

impl TestSchema {
    /// A fresh `studybot_t_<random>` schema, or `None` (after saying the
    /// test is skipped) when STUDYBOT_TEST_POSTGRES is not set.
    pub async fn create() -> Option<TestSchema> {
        use sqlx::Connection;
        let Ok(base) = std::env::var("STUDYBOT_TEST_POSTGRES") else {
            println!("skipped: STUDYBOT_TEST_POSTGRES is not set");
            return None;
        };
        let name = format!("studybot_t_{:016x}", rand::random::<u64>());
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .expect("STUDYBOT_TEST_POSTGRES accepts connections");
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&mut admin)
            .await
            .expect("the test schema is created");
        admin.close().await.expect("the admin connection closes");
        Some(TestSchema { base, name })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The database URL with the schema as the only search path.
    pub fn url(&self) -> String {
        let joint = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{joint}options=-c%20search_path%3D{}",
            self.base, self.name
        )
    }

    pub async fn drop(self) {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&self.base)
            .await
            .expect("STUDYBOT_TEST_POSTGRES accepts connections");
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
            .execute(&mut admin)
            .await
            .expect("the test schema is dropped");
        admin.close().await.expect("the admin connection closes");
    }
}
