-- Skyhaul manager schema, version 1. Times are ISO-8601 UTC strings; ids are random text ids.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'read-only')),
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE storage_accounts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('local', 's3', 'azure')),
    settings    TEXT NOT NULL,          -- JSON: the non-secret fields
    secrets     BLOB,                   -- AES-256-GCM under the master key: the secret fields as JSON
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE partner_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    account_id   TEXT NOT NULL REFERENCES storage_accounts (id),
    location     TEXT NOT NULL,         -- scheme://account/bucket/prefix/
    direction    TEXT NOT NULL CHECK (direction IN ('upload', 'download', 'both')),
    expires_at   TEXT NOT NULL,
    max_bytes    INTEGER,
    max_files    INTEGER,
    max_rate     INTEGER,
    bytes_used   INTEGER NOT NULL DEFAULT 0,
    files_used   INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE nodes (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    udp_address    TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('active', 'draining')),
    key_hash       TEXT,
    registered_at  TEXT NOT NULL,
    last_heartbeat TEXT,
    sessions       INTEGER NOT NULL DEFAULT 0,
    max_sessions   INTEGER NOT NULL DEFAULT 64,
    throughput_bps INTEGER NOT NULL DEFAULT 0,
    cpu_load       REAL NOT NULL DEFAULT 0
);

CREATE TABLE transfers (
    id             TEXT PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('upload', 'download')),
    state          TEXT NOT NULL,
    actor_kind     TEXT NOT NULL,       -- user | partner
    actor_id       TEXT NOT NULL,
    actor_name     TEXT NOT NULL,
    account_id     TEXT NOT NULL REFERENCES storage_accounts (id),
    account_name   TEXT NOT NULL,
    location       TEXT NOT NULL,       -- scheme://account/bucket/prefix/
    node_id        TEXT,
    node_name      TEXT,
    session_id     TEXT UNIQUE,
    overwrite      TEXT NOT NULL,
    max_rate       INTEGER,
    policy         TEXT NOT NULL,
    files          INTEGER NOT NULL DEFAULT 0,
    bytes_total    INTEGER NOT NULL DEFAULT 0,
    bytes_done     INTEGER NOT NULL DEFAULT 0,
    retransmitted  INTEGER NOT NULL DEFAULT 0,
    goodput_mbps   REAL,
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    error          TEXT
);
CREATE INDEX transfers_created ON transfers (created_at);

CREATE TABLE transfer_files (
    transfer_id  TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    object_key   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT,
    state        TEXT NOT NULL,
    PRIMARY KEY (transfer_id, path)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX audit_at ON audit_log (at);
