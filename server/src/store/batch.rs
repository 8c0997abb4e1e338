//! Writes whose results nobody reads, sent together once the reads they depend on are done.
//!
//! Each statement costs a round trip to the thread that owns the connection (sqlx runs every
//! SQLite connection on a thread of its own): two thread switches, which on the busiest path,
//! a submission inside its writer's turn, cost more than the statements themselves. SQLite runs
//! a string of statements in one call, so there the batch is one statement string (its values
//! numbered across the whole string) and one round trip. PostgreSQL prepares one statement at a
//! time, so there the statements go one by one, as before.

use sqlx::AnyConnection;

use super::Statement;

/// Statements to run in order on one connection; see the module.
pub struct Batch {
    statements: Vec<Statement<'static>>,
    /// Whether the statements are joined into one string (SQLite).
    joined: bool,
}

impl Batch {
    /// An empty batch for the database `conn` is connected to.
    pub fn for_connection(conn: &AnyConnection) -> Self {
        Self { statements: Vec::new(), joined: conn.backend_name() == "SQLite" }
    }

    /// Starts the next statement with `sql`; its values are pushed on the statement returned.
    pub fn statement(&mut self, sql: &str) -> &mut Statement<'static> {
        match self.statements.last_mut() {
            Some(last) if self.joined => {
                last.push("; ").push(sql);
            }
            _ => self.statements.push(Statement::new(sql)),
        }
        self.statements.last_mut().expect("pushed above")
    }

    /// Runs the statements in order; the first that fails stops the rest (the caller's
    /// transaction then undoes what ran).
    pub async fn run(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        for mut statement in self.statements {
            statement.build()?.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Row};

    use super::Batch;

    #[tokio::test]
    async fn a_batch_runs_its_statements_in_order_with_each_its_own_values() {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)").execute(&mut conn).await.unwrap();
        let mut batch = Batch::for_connection(&conn);
        batch.statement("INSERT INTO t (id, n) VALUES (").push_bind("a".to_string()).push(", ").push_bind(1_i64).push(")");
        batch.statement("INSERT INTO t (id, n) VALUES (").push_bind("b".to_string()).push(", ").push_bind(2_i64).push(")");
        batch.statement("UPDATE t SET n = n + ").push_bind(10_i64).push(" WHERE id = ").push_bind("a".to_string());
        assert_eq!(batch.statements.len(), 1, "one string on SQLite");
        batch.run(&mut conn).await.unwrap();
        let rows = sqlx::query("SELECT id, n FROM t ORDER BY id").fetch_all(&mut conn).await.unwrap();
        let stored: Vec<(String, i64)> = rows.iter().map(|r| (r.get("id"), r.get("n"))).collect();
        assert_eq!(stored, [("a".to_string(), 11), ("b".to_string(), 2)]);

        // A failing statement stops the batch and says why.
        let mut batch = Batch::for_connection(&conn);
        batch.statement("INSERT INTO t (id, n) VALUES (").push_bind("a".to_string()).push(", ").push_bind(3_i64).push(")");
        batch.statement("INSERT INTO t (id, n) VALUES (").push_bind("c".to_string()).push(", ").push_bind(4_i64).push(")");
        assert!(batch.run(&mut conn).await.is_err(), "a duplicate key fails the batch");
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM t ORDER BY id").fetch_all(&mut conn).await.unwrap();
        assert_eq!(ids, ["a", "b"], "nothing after the failing statement ran");
    }
}
