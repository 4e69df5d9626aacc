//! A schema of its own for one test on STUDYBOT_TEST_POSTGRES, so tests
//! running in parallel on one database never see each other's tables or
//! advisory locks: `store::testing::PgSchema`, with the skip said plainly,
//! setup failures turned into test failures, and the schema dropped even
//! when the test fails before dropping it.

use studybot::store::testing::{PgSchema, postgres_url};

/// One test's schema, dropped by [`TestSchema::drop`] (or, if the test
/// panicked first, when it is dropped).
pub struct TestSchema(Option<PgSchema>);

impl TestSchema {
    /// A fresh `studybot_t_<random>` schema, or `None` (after saying the
    /// test is skipped) when STUDYBOT_TEST_POSTGRES is not set.
    pub async fn create() -> Option<TestSchema> {
        let base = postgres_url()?;
        let schema = PgSchema::create(&base)
            .await
            .expect("STUDYBOT_TEST_POSTGRES accepts connections and CREATE SCHEMA");
        Some(TestSchema(Some(schema)))
    }

    fn schema(&self) -> &PgSchema {
        self.0.as_ref().expect("the schema is not dropped yet")
    }

    pub fn name(&self) -> &str {
        self.schema().name()
    }

    /// The database URL with the schema as the only search path.
    pub fn url(&self) -> String {
        self.schema().url().to_string()
    }

    pub async fn drop(mut self) {
        if let Some(schema) = self.0.take() {
            schema.drop().await.expect("the test schema is dropped");
        }
    }
}

impl Drop for TestSchema {
    /// A test that failed before dropping its schema: drop it here, on a
    /// thread with a runtime of its own (the test's may be unwinding).
    fn drop(&mut self) {
        let Some(schema) = self.0.take() else { return };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(schema.drop()).ok()
        });
        let _ = dropped.join();
    }
}
