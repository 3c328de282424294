//! The tables of a PostgreSQL store, and their forward migrations.
//!
//! Everything lives in one schema (`tether` unless the store says
//! otherwise):
//!
//! * `schema_version` — one row per migration applied; the store's version
//!   is the highest;
//! * `records` — one row per connection: the sealed record, its format,
//!   the `version` every write compares and sets, `updated_at` and
//!   `updated_by` (a host name). Never a token in clear;
//! * `canary` — one sealed known text, which says whether a key is the
//!   store's before anything is written with it.
//!
//! A migration is plain DDL, run in one transaction under an advisory lock
//! so that two machines starting at once do not both run it; `store init
//! --print` prints the same text for a DBA who wants to run it by hand.
//! A database whose schema is newer than this tether knows is refused,
//! never written to.

/// The migrations, in order: migration `i` brings the schema to version
/// `i + 1`. `{schema}` stands for the schema's name (checked to be a plain
/// identifier before it gets here).
const MIGRATIONS: &[&str] = &[r#"CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {schema}.schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE {schema}.records (
    name text PRIMARY KEY,
    format smallint NOT NULL,
    sealed bytea NOT NULL,
    version bigint NOT NULL CHECK (version > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);
CREATE TABLE {schema}.canary (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    format smallint NOT NULL,
    sealed bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE {schema}.records IS 'tether connection records, sealed with XChaCha20-Poly1305 under a key the database never sees';
INSERT INTO {schema}.schema_version (version) VALUES (1);
"#];

/// The schema version this tether writes.
pub const CURRENT: i32 = {
    assert!(MIGRATIONS.len() < 1000);
    #[allow(clippy::cast_possible_truncation)] // checked just above
    let current = MIGRATIONS.len() as i32;
    current
};

/// The DDL that brings a schema at `from` to [`CURRENT`].
pub fn ddl(schema: &str, from: i32) -> String {
    let from = usize::try_from(from.max(0)).unwrap_or(0);
    MIGRATIONS
        .iter()
        .skip(from)
        .map(|m| m.replace("{schema}", schema))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The advisory-lock key that serializes migrations of `schema`.
pub fn migration_lock_sql(schema: &str) -> String {
    format!("SELECT pg_advisory_xact_lock(hashtext('tether migrate {schema}'))")
}

/// `SELECT` the schema's version, or NULL when its version table is empty.
pub fn version_sql(schema: &str) -> String {
    format!("SELECT max(version) FROM {schema}.schema_version")
}

/// The statements a store runs, with the schema filled in once.
#[derive(Debug, Clone)]
pub struct Statements {
    /// `$1` name → version of the schema, then format, sealed and version
    /// of the record (NULL when there is none), in one round trip.
    pub load: String,
    /// `$1` name → the record's format, sealed and version, locking its
    /// row until the transaction ends.
    pub lock: String,
    /// `$1` name, `$2` format, `$3` sealed, `$4` host, `$5` expected
    /// version: compare and set.
    pub update: String,
    /// `$1` name, `$2` format, `$3` sealed, `$4` host: a new record, or a
    /// new version of the one there.
    pub upsert: String,
    /// `$1` name.
    pub delete: String,
    /// → format and sealed of the canary.
    pub canary: String,
    /// `$1` format, `$2` sealed: the canary, unless one is there.
    pub put_canary: String,
    /// `$1` format, `$2` sealed: the canary, replaced (rekey).
    pub replace_canary: String,
    /// Locks the records against writers (rekey); readers go on.
    pub lock_records: String,
    /// → name, format and sealed of every record.
    pub all: String,
    /// `$1` name, `$2` format, `$3` sealed: re-sealed, same version (rekey).
    pub reseal: String,
    /// The number of records.
    pub count: String,
}

impl Statements {
    pub fn new(schema: &str) -> Statements {
        let s = schema;
        Statements {
            load: format!(
                "SELECT (SELECT max(version) FROM {s}.schema_version), r.format, r.sealed, r.version \
                 FROM (SELECT 1) AS one LEFT JOIN {s}.records AS r ON r.name = $1"
            ),
            lock: format!(
                "SELECT format, sealed, version FROM {s}.records WHERE name = $1 FOR UPDATE"
            ),
            update: format!(
                "UPDATE {s}.records SET format = $2, sealed = $3, version = version + 1, \
                 updated_at = now(), updated_by = $4 WHERE name = $1 AND version = $5 \
                 RETURNING version"
            ),
            upsert: format!(
                "INSERT INTO {s}.records AS r (name, format, sealed, version, updated_by) \
                 VALUES ($1, $2, $3, 1, $4) ON CONFLICT (name) DO UPDATE SET \
                 format = excluded.format, sealed = excluded.sealed, version = r.version + 1, \
                 updated_at = now(), updated_by = excluded.updated_by RETURNING version"
            ),
            delete: format!("DELETE FROM {s}.records WHERE name = $1 RETURNING version"),
            canary: format!("SELECT format, sealed FROM {s}.canary"),
            put_canary: format!(
                "INSERT INTO {s}.canary (format, sealed) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            ),
            replace_canary: format!(
                "UPDATE {s}.canary SET format = $1, sealed = $2, updated_at = now()"
            ),
            lock_records: format!("LOCK TABLE {s}.records IN EXCLUSIVE MODE"),
            all: format!("SELECT name, format, sealed FROM {s}.records ORDER BY name"),
            reseal: format!(
                "UPDATE {s}.records SET format = $2, sealed = $3, updated_at = now() WHERE name = $1"
            ),
            count: format!("SELECT count(*) FROM {s}.records"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_names_the_schema_and_records_its_version() {
        let ddl = ddl("team_x", 0);
        assert!(ddl.starts_with("CREATE SCHEMA IF NOT EXISTS team_x;"));
        assert!(!ddl.contains("{schema}"));
        assert!(ddl.contains(&format!(
            "INSERT INTO team_x.schema_version (version) VALUES ({CURRENT});"
        )));
        assert_eq!(super::ddl("x", CURRENT), "", "nothing to do when current");
    }

    #[test]
    fn statements_name_the_schema() {
        let s = Statements::new("t1");
        for sql in [&s.load, &s.lock, &s.update, &s.upsert, &s.delete] {
            assert!(sql.contains("t1.records"), "{sql}");
        }
        assert!(s.lock.ends_with("FOR UPDATE"));
        assert!(s.update.contains("AND version = $5"));
    }
}
