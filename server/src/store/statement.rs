//! SQL assembled from pieces (optional filters, `IN` lists, batches of rows) with each value
//! bound as it is pushed, so no code counts placeholders by hand.

use std::fmt::Write;

use sqlx::any::AnyArguments;
use sqlx::error::BoxDynError;
use sqlx::query::{Query, QueryScalar};
use sqlx::{Any, Arguments, Encode, FromRow, Type};

/// A statement built like `sqlx::QueryBuilder` (same method names), except for its
/// placeholders: `QueryBuilder<Any>` writes `?`, which PostgreSQL refuses (sqlx issue #3000,
/// open in 0.8), while the `$1, $2, …` written here work on both engines, as in every other
/// statement of the store.
pub struct Statement<'args> {
    sql: String,
    arguments: Result<AnyArguments<'args>, BoxDynError>,
}

impl<'args> Statement<'args> {
    /// A statement starting with `sql`.
    pub fn new(sql: impl Into<String>) -> Self {
        Self { sql: sql.into(), arguments: Ok(AnyArguments::default()) }
    }

    /// Appends SQL text (never a value from outside: values go through [`Self::push_bind`]).
    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Binds `value` and appends its placeholder.
    pub fn push_bind<T: 'args + Encode<'args, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if let Ok(arguments) = &mut self.arguments {
            match arguments.add(value) {
                Ok(()) => {
                    let _ = write!(self.sql, "${}", arguments.len());
                }
                // Reported by `build`, as sqlx reports a value it cannot encode.
                Err(e) => self.arguments = Err(e),
            }
        }
        self
    }

    /// Binds each of `values` and appends their placeholders separated by commas (the inside of
    /// an `IN (…)` or of one row of a `VALUES`).
    pub fn push_list<T: 'args + Encode<'args, Any> + Type<Any>>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self
    }

    /// The SQL so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement, ready to run; its values are taken (build once). Fails if a value could
    /// not be encoded.
    pub fn build(&mut self) -> Result<Query<'_, Any, AnyArguments<'_>>, sqlx::Error> {
        let arguments = self.take_arguments()?;
        Ok(sqlx::query_with(&self.sql, arguments))
    }

    /// The statement as a query of one column, ready to run; its values are taken (build once).
    pub fn build_query_scalar<O>(&mut self) -> Result<QueryScalar<'_, Any, O, AnyArguments<'_>>, sqlx::Error>
    where
        (O,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let arguments = self.take_arguments()?;
        Ok(sqlx::query_scalar_with(&self.sql, arguments))
    }

    fn take_arguments(&mut self) -> Result<AnyArguments<'args>, sqlx::Error> {
        std::mem::replace(&mut self.arguments, Ok(AnyArguments::default())).map_err(sqlx::Error::Encode)
    }
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Row};

    use super::Statement;

    #[test]
    fn placeholders_are_numbered_in_the_order_values_are_pushed() {
        let mut statement = Statement::new("SELECT id FROM t WHERE a = ");
        statement.push_bind("x").push(" AND b IN (").push_list(["p", "q", "r"]).push(") LIMIT ").push(10);
        assert_eq!(statement.sql(), "SELECT id FROM t WHERE a = $1 AND b IN ($2, $3, $4) LIMIT 10");
        let mut empty = Statement::new("SELECT 1 WHERE 1 IN (");
        empty.push_list(Vec::<i64>::new()).push(")");
        assert_eq!(empty.sql(), "SELECT 1 WHERE 1 IN ()");
    }

    #[tokio::test]
    async fn a_built_statement_runs_with_its_values() {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (id TEXT, n INTEGER)").execute(&mut conn).await.unwrap();
        let mut insert = Statement::new("INSERT INTO t (id, n) VALUES ");
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            insert.push(if i == 0 { "(" } else { ", (" }).push_bind(id).push(", ").push_bind(i64::try_from(i).unwrap()).push(")");
        }
        insert.build().unwrap().execute(&mut conn).await.unwrap();
        let mut select = Statement::new("SELECT id FROM t WHERE id IN (");
        select.push_list(["c", "a", "z"].map(String::from)).push(") AND n >= ").push_bind(0_i64).push(" ORDER BY n");
        let found: Vec<String> = select.build_query_scalar().unwrap().fetch_all(&mut conn).await.unwrap();
        assert_eq!(found, ["a", "c"]);
        let mut count = Statement::new("SELECT COUNT(*) AS n FROM t WHERE n < ");
        count.push_bind(2_i64);
        assert_eq!(count.build().unwrap().fetch_one(&mut conn).await.unwrap().get::<i64, _>("n"), 2);
    }
}
