//! Moving a space from its SQLite file to PostgreSQL (`doorlink migrate`, issue 14): every table
//! the migrations create, found from SQLite's own catalogue (so a table added later is not
//! forgotten), copied parents first in ONE PostgreSQL transaction, the identity sequences moved
//! past the copied ids, and each table's rows counted and checksummed the same way on both sides
//! before the transaction commits. Any difference, any refused row, any lost connection: the
//! transaction rolls back and the target stays as it was.
//!
//! The copy works on the schema, not on the repositories: it reads column lists from
//! `pragma_table_info` / `information_schema.columns`, so it needs no change when a migration adds
//! a table or a column, and it refuses loudly (naming the table and the column) when the two
//! schemas disagree. Sealed secrets (the Kisi credentials, C1) are copied as the bytes they are:
//! the target's hubs need the source's key ([`key_file_of`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};
use tokio_stream::StreamExt;

use crate::db::{Backend, Store};
use crate::error::StoreError;

/// Tables whose rows the migrations themselves insert (the change feed's one row of counters): a
/// freshly migrated target holds them already, so they do not make it "not empty", and the copy
/// replaces them with the source's. A test checks that this list is exactly the tables a fresh
/// database holds rows in.
pub const SEEDED_BY_MIGRATIONS: &[&str] = &["data_revisions"];

/// sqlx's own bookkeeping: each side keeps its own.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// At most this many values go into one INSERT (PostgreSQL allows 65,535 parameters).
const VALUES_PER_INSERT: usize = 20_000;
/// At most this many rows go into one INSERT.
const ROWS_PER_INSERT: usize = 500;

/// One table copied: what the source held, what the target holds, each side's checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub source_rows: u64,
    pub target_rows: u64,
    /// SHA-256 (hex) over the table's rows ordered by primary key, every value rendered
    /// canonically ([`Checksum`]), computed the same way on both sides.
    pub source_checksum: String,
    pub target_checksum: String,
}

impl TableCopy {
    /// Whether the target holds exactly what the source held.
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("the source must be a SQLite database and the target a PostgreSQL one")]
    WrongBackends,
    #[error(
        "the target database is not empty: {} hold rows; migrate only into a new, empty database \
         (nothing was written)",
        tables.join(", ")
    )]
    TargetNotEmpty { tables: Vec<String> },
    #[error(
        "the SQLite table {table} has no twin in the PostgreSQL database (its migrations are \
         older than the source's?); nothing was written"
    )]
    NoTwin { table: String },
    #[error(
        "{table}: the columns differ: SQLite has [{source_columns}], PostgreSQL has [{target_columns}]; nothing was written"
    )]
    ColumnsDiffer {
        table: String,
        source_columns: String,
        target_columns: String,
    },
    #[error("{table}.{column} is of type {data_type} in PostgreSQL, which the copy does not know")]
    UnknownType {
        table: String,
        column: String,
        data_type: String,
    },
    #[error("the foreign keys between {} form a cycle: no order copies parents first", tables.join(", "))]
    Cycle { tables: Vec<String> },
    #[error("{table}: {detail}; nothing was written")]
    Row { table: String, detail: String },
    #[error(
        "the copy does not match the source ({}); the transaction was rolled back, nothing was written",
        mismatched.iter().map(|t| t.table.as_str()).collect::<Vec<_>>().join(", ")
    )]
    Mismatch {
        tables: Vec<TableCopy>,
        mismatched: Vec<TableCopy>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TransferError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(error))
    }
}

/// The key file a SQLite database's secrets are sealed with when `DOORLINK_SECRET_KEY` is not set
/// (`<database>.key`): after a migration, every hub of the target needs its content as
/// `DOORLINK_SECRET_KEY`.
pub fn key_file_of(database: &Path) -> PathBuf {
    crate::secret_box::key_file_beside(database)
}

/// How the copy reads, binds and renders one column, from its PostgreSQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    /// BOOLEAN in PostgreSQL, 0/1 INTEGER in SQLite (migration 0017).
    Boolean,
    Text,
    Bytes,
    Real,
}

impl Kind {
    fn of(data_type: &str) -> Option<Self> {
        match data_type {
            "bigint" | "integer" | "smallint" => Some(Self::Integer),
            "boolean" => Some(Self::Boolean),
            "text" | "character varying" | "character" => Some(Self::Text),
            "bytea" => Some(Self::Bytes),
            "double precision" | "real" => Some(Self::Real),
            _ => None,
        }
    }
}

/// One value, the same whichever side it was read from.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null(Kind),
    Integer(i64),
    Boolean(bool),
    Text(String),
    Bytes(Vec<u8>),
    Real(f64),
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
}

/// A table as both sides see it.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<Column>,
    /// The primary key's columns in key order; every column when there is none.
    order: Vec<String>,
    /// Columns PostgreSQL fills from an identity sequence.
    identities: Vec<String>,
}

/// The checksum of a table: SHA-256 over its rows in key order, each value tagged and
/// length-prefixed, so `("ab", "c")` and `("a", "bc")` differ and a NULL is no empty text.
/// Booleans render as integers 0/1 on both sides.
#[derive(Debug, Default)]
struct Checksum(Sha256);

impl Checksum {
    fn row(&mut self, row: &[Value]) {
        let mut line = Vec::new();
        for value in row {
            match value {
                Value::Null(_) => line.extend_from_slice(b"N;"),
                Value::Integer(n) => line.extend_from_slice(format!("I{n};").as_bytes()),
                Value::Boolean(b) => {
                    line.extend_from_slice(format!("I{};", u8::from(*b)).as_bytes());
                }
                Value::Real(x) => {
                    line.extend_from_slice(format!("R{:016x};", x.to_bits()).as_bytes());
                }
                Value::Text(text) => {
                    line.extend_from_slice(format!("T{}:", text.len()).as_bytes());
                    line.extend_from_slice(text.as_bytes());
                    line.push(b';');
                }
                Value::Bytes(bytes) => {
                    line.extend_from_slice(format!("B{}:", bytes.len()).as_bytes());
                    line.extend_from_slice(bytes);
                    line.push(b';');
                }
            }
        }
        line.push(b'\n');
        self.0.update(&line);
    }

    fn hex(self) -> String {
        let mut out = String::with_capacity(64);
        for byte in self.0.finalize() {
            let _ = write!(out, "{byte:02x}");
        }
        out
    }
}

/// Quotes an identifier for either database (names come from the catalogues, but a quote inside
/// one must not end it).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Copies every table of the SQLite `source` into the empty PostgreSQL `target` in one
/// transaction; returns each table's counts and checksums (all matching) once committed.
///
/// Refuses, writing nothing: a target whose Doorlink tables hold a row, a source table without a
/// PostgreSQL twin or with other columns, foreign keys in a cycle. Rolls back, leaving the
/// target as it was: a row PostgreSQL refuses, a lost connection, a count or checksum that
/// differs after the copy.
pub async fn sqlite_to_postgres(
    source: &Store,
    target: &Store,
) -> Result<Vec<TableCopy>, TransferError> {
    if source.backend() != Backend::Sqlite || target.backend() != Backend::Postgres {
        return Err(TransferError::WrongBackends);
    }
    // One read transaction on the source: a consistent snapshot even while a hub still writes
    // (WAL readers see the state as of their first read).
    let mut reader = source.pool().acquire().await?;
    sqlx::query("BEGIN").execute(&mut *reader).await?;
    // The writers' lock on the target: no hub of it writes while the copy runs.
    let mut writer = target.begin_write().await?;

    let result = copy_all(&mut reader, &mut writer).await;
    // Only read: ending the source's transaction either way changes nothing there.
    sqlx::query("ROLLBACK").execute(&mut *reader).await.ok();
    match result {
        Ok(tables) if tables.iter().all(TableCopy::matches) => {
            writer.commit().await?;
            Ok(tables)
        }
        Ok(tables) => {
            writer.rollback().await?;
            let mismatched = tables.iter().filter(|t| !t.matches()).cloned().collect();
            Err(TransferError::Mismatch { tables, mismatched })
        }
        Err(error) => {
            // Dropping the transaction rolls it back too; saying so keeps a lost connection's
            // error the one reported.
            writer.rollback().await.ok();
            Err(error)
        }
    }
}

async fn copy_all(
    reader: &mut AnyConnection,
    writer: &mut Transaction<'static, Any>,
) -> Result<Vec<TableCopy>, TransferError> {
    let tables = copy_order(reader, writer).await?;
    refuse_non_empty(writer).await?;
    let mut copies = Vec::with_capacity(tables.len());
    for table in &tables {
        if SEEDED_BY_MIGRATIONS.contains(&table.name.as_str()) {
            continue;
        }
        copies.push(copy_table(reader, writer, table).await?);
    }
    // The seeded rows last: the copy's inserts bumped the target's change-feed counters through
    // its triggers; the source's counters replace them.
    for table in tables
        .iter()
        .filter(|t| SEEDED_BY_MIGRATIONS.contains(&t.name.as_str()))
    {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {}",
            quoted(&table.name)
        )))
        .execute(&mut **writer)
        .await?;
        copies.push(copy_table(reader, writer, table).await?);
    }
    for table in &tables {
        for column in &table.identities {
            // setval(NULL) on an empty table leaves the sequence at its start.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), max({})) FROM {}",
                quoted(column),
                quoted(&table.name)
            )))
            .bind(&table.name)
            .bind(column)
            .execute(&mut **writer)
            .await?;
        }
    }
    copies.sort_by_key(|copy| {
        tables
            .iter()
            .position(|t| t.name == copy.table)
            .unwrap_or(usize::MAX)
    });
    Ok(copies)
}

/// Every SQLite table (but SQLite's and sqlx's own), checked against its PostgreSQL twin, in an
/// order where every table comes after the tables its foreign keys point to.
async fn copy_order(
    reader: &mut AnyConnection,
    writer: &mut Transaction<'static, Any>,
) -> Result<Vec<Table>, TransferError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> $1 ORDER BY name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *reader)
    .await?;
    let mut tables = BTreeMap::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in names {
        let table = describe(reader, writer, &name).await?;
        let referenced: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&mut *reader)
                .await?;
        parents.insert(
            name.clone(),
            referenced.into_iter().filter(|p| *p != name).collect(),
        );
        tables.insert(name, table);
    }
    // Kahn's algorithm; among the ready tables, alphabetical (a stable order to print).
    let mut ordered = Vec::with_capacity(tables.len());
    let mut placed = BTreeSet::new();
    while placed.len() < tables.len() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(name, of)| {
                !placed.contains(*name)
                    && of
                        .iter()
                        .all(|p| placed.contains(p) || !tables.contains_key(p))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if ready.is_empty() {
            let tables = parents
                .keys()
                .filter(|name| !placed.contains(*name))
                .cloned()
                .collect();
            return Err(TransferError::Cycle { tables });
        }
        for name in ready {
            placed.insert(name.clone());
            if let Some(table) = tables.get(&name) {
                ordered.push(table.clone());
            }
        }
    }
    Ok(ordered)
}

/// One table's columns on both sides, which must be the same names in the same order.
async fn describe(
    reader: &mut AnyConnection,
    writer: &mut Transaction<'static, Any>,
    name: &str,
) -> Result<Table, TransferError> {
    let source: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, pk FROM pragma_table_info($1) ORDER BY cid")
            .bind(name)
            .fetch_all(&mut *reader)
            .await?;
    let target: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, is_identity::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(name)
    .fetch_all(&mut **writer)
    .await?;
    if target.is_empty() {
        return Err(TransferError::NoTwin {
            table: name.to_owned(),
        });
    }
    let source_names: Vec<&str> = source.iter().map(|(n, _)| n.as_str()).collect();
    let target_names: Vec<&str> = target.iter().map(|(n, _, _)| n.as_str()).collect();
    let same: BTreeSet<&str> = source_names.iter().copied().collect();
    if same != target_names.iter().copied().collect::<BTreeSet<&str>>() {
        return Err(TransferError::ColumnsDiffer {
            table: name.to_owned(),
            source_columns: source_names.join(", "),
            target_columns: target_names.join(", "),
        });
    }
    let mut columns = Vec::with_capacity(source.len());
    let mut identities = Vec::new();
    for (column, _) in &source {
        let Some((_, data_type, identity)) = target.iter().find(|(n, _, _)| n == column) else {
            continue;
        };
        let kind = Kind::of(data_type).ok_or_else(|| TransferError::UnknownType {
            table: name.to_owned(),
            column: column.clone(),
            data_type: data_type.clone(),
        })?;
        if identity == "YES" {
            identities.push(column.clone());
        }
        columns.push(Column {
            name: column.clone(),
            kind,
        });
    }
    let mut key: Vec<(i64, String)> = source
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, pk)| (*pk, n.clone()))
        .collect();
    key.sort();
    let order = if key.is_empty() {
        source_names.iter().map(|n| (*n).to_owned()).collect()
    } else {
        key.into_iter().map(|(_, n)| n).collect()
    };
    Ok(Table {
        name: name.to_owned(),
        columns,
        order,
        identities,
    })
}

/// Refuses a target whose tables hold any row (the migrations' own seed rows aside).
async fn refuse_non_empty(writer: &mut Transaction<'static, Any>) -> Result<(), TransferError> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1 \
         ORDER BY table_name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut **writer)
    .await?;
    let mut holding = Vec::new();
    for table in tables {
        if SEEDED_BY_MIGRATIONS.contains(&table.as_str()) {
            continue;
        }
        let any: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT EXISTS (SELECT 1 FROM {})",
            quoted(&table)
        )))
        .fetch_one(&mut **writer)
        .await?;
        if any {
            holding.push(table);
        }
    }
    if holding.is_empty() {
        Ok(())
    } else {
        Err(TransferError::TargetNotEmpty { tables: holding })
    }
}

/// `SELECT <columns> FROM <table> ORDER BY <key>`, ordered the same on both sides: NULLs first,
/// text by bytes (SQLite's BINARY, PostgreSQL's "C").
fn select(table: &Table, backend: Backend) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let order: Vec<String> = table
        .order
        .iter()
        .map(|name| {
            let text = table
                .columns
                .iter()
                .any(|c| c.name == *name && c.kind == Kind::Text);
            match (backend, text) {
                (Backend::Postgres, true) => format!("{} COLLATE \"C\" NULLS FIRST", quoted(name)),
                _ => format!("{} NULLS FIRST", quoted(name)),
            }
        })
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

/// Reads one row as [`Value`]s by the columns' kinds (SQLite's booleans are its 0/1 integers).
fn read_row(table: &Table, row: &AnyRow, backend: Backend) -> Result<Vec<Value>, TransferError> {
    let refused = |column: &Column, error: sqlx::Error| TransferError::Row {
        table: table.name.clone(),
        detail: format!(
            "{} cannot be read as {:?}: {error}",
            column.name, column.kind
        ),
    };
    let mut values = Vec::with_capacity(table.columns.len());
    for (index, column) in table.columns.iter().enumerate() {
        let value = match (column.kind, backend) {
            (Kind::Integer, _) | (Kind::Boolean, Backend::Sqlite) => row
                .try_get::<Option<i64>, _>(index)
                .map_err(|e| refused(column, e))?
                .map(|n| match column.kind {
                    Kind::Boolean => Value::Boolean(n != 0),
                    _ => Value::Integer(n),
                }),
            (Kind::Boolean, Backend::Postgres) => row
                .try_get::<Option<bool>, _>(index)
                .map_err(|e| refused(column, e))?
                .map(Value::Boolean),
            (Kind::Text, _) => row
                .try_get::<Option<String>, _>(index)
                .map_err(|e| refused(column, e))?
                .map(Value::Text),
            (Kind::Bytes, _) => row
                .try_get::<Option<Vec<u8>>, _>(index)
                .map_err(|e| refused(column, e))?
                .map(Value::Bytes),
            (Kind::Real, _) => row
                .try_get::<Option<f64>, _>(index)
                .map_err(|e| refused(column, e))?
                .map(Value::Real),
        };
        values.push(value.unwrap_or(Value::Null(column.kind)));
    }
    Ok(values)
}

/// Copies one table in batches (never the whole table in memory), then counts and checksums what
/// the target holds inside the same transaction.
async fn copy_table(
    reader: &mut AnyConnection,
    writer: &mut Transaction<'static, Any>,
    table: &Table,
) -> Result<TableCopy, TransferError> {
    let per_insert = (VALUES_PER_INSERT / table.columns.len().max(1)).clamp(1, ROWS_PER_INSERT);
    let mut source_checksum = Checksum::default();
    let mut source_rows = 0_u64;
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_insert);
    {
        let query = select(table, Backend::Sqlite);
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch(&mut *reader);
        while let Some(row) = rows.next().await {
            let values = read_row(table, &row?, Backend::Sqlite)?;
            source_checksum.row(&values);
            source_rows += 1;
            batch.push(values);
            if batch.len() == per_insert {
                insert(writer, table, &batch).await?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() {
        insert(writer, table, &batch).await?;
    }

    let mut target_checksum = Checksum::default();
    let mut target_rows = 0_u64;
    let query = select(table, Backend::Postgres);
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch(&mut **writer);
    while let Some(row) = rows.next().await {
        target_checksum.row(&read_row(table, &row?, Backend::Postgres)?);
        target_rows += 1;
    }
    Ok(TableCopy {
        table: table.name.clone(),
        source_rows,
        target_rows,
        source_checksum: source_checksum.hex(),
        target_checksum: target_checksum.hex(),
    })
}

/// One multi-row INSERT of `rows` (identity ids given explicitly: the table is GENERATED BY
/// DEFAULT; the sequences are moved past them at the end).
async fn insert(
    writer: &mut Transaction<'static, Any>,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<(), TransferError> {
    let width = table.columns.len();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        quoted(&table.name),
        table
            .columns
            .iter()
            .map(|c| quoted(&c.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (r, _) in rows.iter().enumerate() {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            let _ = write!(
                sql,
                "{}${}",
                if c == 0 { "" } else { ", " },
                r * width + c + 1
            );
        }
        sql.push(')');
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in rows.iter().flatten() {
        query = match value {
            Value::Null(Kind::Integer) => query.bind(None::<i64>),
            Value::Null(Kind::Boolean) => query.bind(None::<bool>),
            Value::Null(Kind::Text) => query.bind(None::<String>),
            Value::Null(Kind::Bytes) => query.bind(None::<Vec<u8>>),
            Value::Null(Kind::Real) => query.bind(None::<f64>),
            Value::Integer(n) => query.bind(*n),
            Value::Boolean(b) => query.bind(*b),
            Value::Text(text) => query.bind(text.clone()),
            Value::Bytes(bytes) => query.bind(bytes.clone()),
            Value::Real(x) => query.bind(*x),
        };
    }
    query
        .execute(&mut **writer)
        .await
        .map_err(|error| TransferError::Row {
            table: table.name.clone(),
            detail: format!("PostgreSQL refused a row: {error}"),
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_tells_apart_values_that_would_run_together() {
        let sum = |row: &[Value]| {
            let mut checksum = Checksum::default();
            checksum.row(row);
            checksum.hex()
        };
        let text = |s: &str| Value::Text(s.to_owned());
        assert_ne!(sum(&[text("ab"), text("c")]), sum(&[text("a"), text("bc")]));
        assert_ne!(sum(&[Value::Null(Kind::Text)]), sum(&[text("")]));
        assert_ne!(sum(&[Value::Integer(1)]), sum(&[text("1")]));
        // SQLite's 0/1 and PostgreSQL's booleans render alike.
        assert_eq!(sum(&[Value::Boolean(true)]), sum(&[Value::Integer(1)]));
    }

    #[test]
    fn a_quote_inside_a_name_does_not_end_it() {
        assert_eq!(quoted("people"), "\"people\"");
        assert_eq!(
            quoted("a\"; DROP TABLE x; --"),
            "\"a\"\"; DROP TABLE x; --\""
        );
    }
}
