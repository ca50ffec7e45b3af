/**
 * Forward-only migrations. MIGRATIONS[i] takes a database from schema version i to i + 1;
 * the version lives in `PRAGMA user_version` and is bumped in the same transaction as the step,
 * so a database is always at exactly one version. Never edit a released step: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: runs, sessions (the full SessionRecord in `record`), certificates, findings.
  `
  CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    file           TEXT NOT NULL,
    size           INTEGER,
    sha256         TEXT,
    capture_start  TEXT,
    capture_end    TEXT,
    options        TEXT NOT NULL DEFAULT '{}',
    tool_version   TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'incomplete' CHECK (status IN ('complete', 'incomplete')),
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    packets        INTEGER,
    bytes          INTEGER,
    session_count  INTEGER NOT NULL DEFAULT 0,
    flagged_count  INTEGER NOT NULL DEFAULT 0,
    stats          TEXT
  );
  CREATE INDEX runs_sha256 ON runs (sha256);

  CREATE TABLE sessions (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    session_id     TEXT NOT NULL,
    start_time     TEXT NOT NULL,
    end_time       TEXT NOT NULL,
    transport      TEXT NOT NULL,
    client_ip      TEXT NOT NULL,
    client_port    INTEGER NOT NULL,
    server_ip      TEXT NOT NULL,
    server_port    INTEGER NOT NULL,
    protocol       TEXT NOT NULL,
    sni            TEXT,
    ja3            TEXT,
    ja3s           TEXT,
    ja4            TEXT,
    version        TEXT,
    score          INTEGER NOT NULL,
    verdict        TEXT NOT NULL,
    max_severity   TEXT,
    severity_rank  INTEGER NOT NULL DEFAULT 0,
    finding_count  INTEGER NOT NULL DEFAULT 0,
    record         TEXT NOT NULL,
    PRIMARY KEY (run_id, session_id)
  );

  CREATE TABLE certificates (
    sha256      TEXT PRIMARY KEY,
    sha1        TEXT NOT NULL,
    subject     TEXT,
    issuer      TEXT,
    serial      TEXT,
    not_before  TEXT,
    not_after   TEXT,
    record      TEXT NOT NULL
  );

  CREATE TABLE session_certificates (
    run_id      INTEGER NOT NULL,
    session_id  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    sha256      TEXT NOT NULL REFERENCES certificates (sha256),
    facts       TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, session_id, position),
    FOREIGN KEY (run_id, session_id) REFERENCES sessions (run_id, session_id) ON DELETE CASCADE
  );

  CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL,
    session_id     TEXT NOT NULL,
    rule           TEXT NOT NULL,
    severity       TEXT NOT NULL,
    severity_rank  INTEGER NOT NULL,
    message        TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '{}',
    FOREIGN KEY (run_id, session_id) REFERENCES sessions (run_id, session_id) ON DELETE CASCADE
  );
  CREATE INDEX findings_session ON findings (run_id, session_id);
  `,
  // 1 -> 2: intel and baseline tables (filled by the classifier), indexes for the report filters.
  `
  CREATE TABLE intel (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    source     TEXT NOT NULL,
    listed_at  TEXT,
    reason     TEXT,
    UNIQUE (kind, value, source)
  );

  CREATE TABLE baseline (
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, value)
  );

  CREATE INDEX sessions_severity ON sessions (severity_rank DESC, start_time);
  CREATE INDEX sessions_start ON sessions (start_time);
  CREATE INDEX sessions_sni ON sessions (sni COLLATE NOCASE);
  CREATE INDEX sessions_client_ip ON sessions (client_ip);
  CREATE INDEX sessions_server_ip ON sessions (server_ip);
  CREATE INDEX sessions_session_id ON sessions (session_id);
  CREATE INDEX findings_rule ON findings (rule);
  CREATE INDEX session_certificates_sha256 ON session_certificates (sha256);
  `,
  // 2 -> 3: intel rows carry their verdict, label, the file they were imported from (a re-import
  // of the same file replaces its rows) and kind-specific details; `source` stays the list name.
  `
  CREATE TABLE intel_new (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    source     TEXT NOT NULL,
    listed_at  TEXT,
    reason     TEXT,
    verdict    TEXT NOT NULL DEFAULT 'malicious' CHECK (verdict IN ('malicious', 'benign', 'info')),
    file       TEXT NOT NULL DEFAULT '',
    extra      TEXT,
    UNIQUE (file, kind, value, source)
  );
  INSERT INTO intel_new (id, kind, value, source, listed_at, reason) SELECT id, kind, value, source, listed_at, reason FROM intel;
  DROP TABLE intel;
  ALTER TABLE intel_new RENAME TO intel;
  CREATE INDEX intel_kind_value ON intel (kind, value);
  `,
];

/** The schema version this build writes and expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;
