//! Several statements sent to the database as one call where it can take them.
//!
//! sqlx's SQLite driver runs each connection on a thread of its own, so every call is a hand-off to that thread and
//! back (tens of microseconds when the threads have to be woken, more than the statement itself). SQLite takes many
//! statements in one call, with the parameters numbered across all of them; PostgreSQL's extended protocol takes one
//! statement with parameters per call. A [`Stmt`] is written once, with its parameters numbered from `$1`; [`run`]
//! renumbers and joins them for SQLite, and sends them one by one to PostgreSQL, so both databases run the same SQL.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

use crate::StoreError;

/// A parameter value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    MaybeText(Option<String>),
}

/// One statement with its parameters, numbered from `$1` in its text.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    pub sql: String,
    pub args: Vec<Arg>,
}

impl Stmt {
    pub fn new(sql: impl Into<String>) -> Stmt {
        Stmt {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    pub fn int(mut self, v: i64) -> Stmt {
        self.args.push(Arg::Int(v));
        self
    }

    pub fn text(mut self, v: impl Into<String>) -> Stmt {
        self.args.push(Arg::Text(v.into()));
        self
    }

    pub fn maybe_text(mut self, v: Option<String>) -> Stmt {
        self.args.push(Arg::MaybeText(v));
        self
    }

    pub fn texts(mut self, vs: Vec<String>) -> Stmt {
        self.args.extend(vs.into_iter().map(Arg::Text));
        self
    }
}

/// `sql` with every parameter `$n` renamed `$(n + offset)`. ferd's SQL has no `$` other than in parameters.
fn shift(sql: &str, offset: usize) -> String {
    if offset == 0 {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut n = String::new();
        while let Some(&(_, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            n.push(d);
            chars.next();
        }
        match n.parse::<usize>() {
            Ok(k) => out.push_str(&(k + offset).to_string()),
            Err(_) => out.push_str(&n),
        }
    }
    out
}

/// The statements as one text for SQLite, parameters numbered on across them.
fn joined(stmts: &[Stmt]) -> String {
    let mut sql = String::new();
    let mut offset = 0;
    for s in stmts {
        if !sql.is_empty() {
            sql.push_str(";\n");
        }
        sql.push_str(&shift(&s.sql, offset));
        offset += s.args.len();
    }
    sql
}

fn bind<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    args: impl IntoIterator<Item = &'q Arg>,
) -> Query<'q, Any, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.as_str()),
            Arg::MaybeText(v) => q.bind(v.as_deref()),
        };
    }
    q
}

/// The longest run of statements kept prepared on a SQLite connection.
const KEPT_PREPARED: usize = 8;

/// Runs the statements in order and returns the rows they give, in order: on SQLite in one call, on PostgreSQL one
/// call each. On an error the statements before the failing one have run: run them in a transaction.
pub(crate) async fn run(
    conn: &mut AnyConnection,
    stmts: &[Stmt],
    sqlite: bool,
) -> Result<Vec<AnyRow>, StoreError> {
    if sqlite {
        let sql = joined(stmts);
        // A short run of statements recurs (one response's, one event's) and is kept prepared on the connection; a
        // long one is as varied as the batches it comes from, and kept prepared it would crowd the cache out.
        let rows = bind(sqlx::query(&sql), stmts.iter().flat_map(|s| &s.args))
            .persistent(stmts.len() <= KEPT_PREPARED)
            .fetch_all(&mut *conn)
            .await?;
        return Ok(rows);
    }
    let mut rows = Vec::new();
    for s in stmts {
        rows.extend(
            bind(sqlx::query(&s.sql), &s.args)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(rows)
}

/// `sql` with every parameter `$n` written `?n`, SQLite's own numbered form, for rusqlite (which binds by position).
fn question_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs the statements in order on a rusqlite connection (the SQLite response writer's) and returns the rows they
/// give, in order, each read by `read`. Each statement is kept prepared on the connection. On an error the
/// statements before the failing one have run: run them in a transaction.
pub(crate) fn run_blocking<T>(
    conn: &rusqlite::Connection,
    stmts: &[Stmt],
    mut read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for s in stmts {
        let mut prepared = conn.prepare_cached(&question_marks(&s.sql))?;
        for (k, a) in s.args.iter().enumerate() {
            match a {
                Arg::Int(v) => prepared.raw_bind_parameter(k + 1, v)?,
                Arg::Text(v) => prepared.raw_bind_parameter(k + 1, v.as_str())?,
                Arg::MaybeText(v) => prepared.raw_bind_parameter(k + 1, v.as_deref())?,
            }
        }
        let mut rows = prepared.raw_query();
        while let Some(row) = rows.next()? {
            out.push(read(row)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_on_across_statements() {
        let stmts = [
            Stmt::new("UPDATE a SET x = $1 WHERE id = $2 AND y = $1")
                .int(1)
                .int(2),
            Stmt::new("SELECT 1"),
            Stmt::new("INSERT INTO b VALUES ($1, $2, $3, $10)")
                .int(1)
                .int(2)
                .int(3),
        ];
        assert_eq!(
            joined(&stmts),
            "UPDATE a SET x = $1 WHERE id = $2 AND y = $1;\nSELECT 1;\nINSERT INTO b VALUES ($3, $4, $5, $12)"
        );
    }

    #[test]
    fn parameters_are_numbered_for_rusqlite() {
        assert_eq!(
            question_marks("SELECT '$' || $1 WHERE a = $12 AND b = $1"),
            "SELECT '$' || ?1 WHERE a = ?12 AND b = ?1"
        );
    }

    #[test]
    fn a_dollar_without_digits_is_kept() {
        assert_eq!(shift("SELECT '$' || $1", 4), "SELECT '$' || $5");
    }
}
