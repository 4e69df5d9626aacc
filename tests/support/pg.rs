//! A schema of its own for one test on STUDYBOT_TEST_POSTGRES, so tests
//! running in parallel on one database never see each other's tables or
//! advisory locks: `store::testing::PgSchema`, with the skip said plainly
//! and setup failures turned into test failures.

use studybot::store::testing::{PgSchema, postgres_url};

/// One test's schema, dropped by [`TestSchema::drop`].
pub struct TestSchema(PgSchema);

impl TestSchema {
    /// A fresh `studybot_t_<random>` schema, or `None` (after saying the
    /// test is skipped) when STUDYBOT_TEST_POSTGRES is not set.
    pub async fn create() -> Option<TestSchema> {
        let base = postgres_url()?;
        let schema = PgSchema::create(&base)
            .await
            .expect("STUDYBOT_TEST_POSTGRES accepts connections and CREATE SCHEMA");
        Some(TestSchema(schema))
    }

    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// The database URL with the schema as the only search path.
    pub fn url(&self) -> String {
        self.0.url().to_string()
    }

    pub async fn drop(self) {
        self.0.drop().await.expect("the test schema is dropped");
    }
}
