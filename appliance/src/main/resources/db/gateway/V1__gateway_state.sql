-- A gateway's own state (not the manager's): its hot folders, the files it has seen in them and
-- where each stands, the refusals it reported, and small settings. Written with every commit
-- synced: a file the gateway took responsibility for is never forgotten.

CREATE TABLE hot_folders (
    name        TEXT PRIMARY KEY,
    config      TEXT NOT NULL,          -- JSON: HotFolderConfig
    origin      TEXT NOT NULL CHECK (origin IN ('config', 'manager')),
    updated_at  TEXT NOT NULL
);

-- A file that settled in a hot folder and passed its rules. queued: to be sent (after retry_at);
-- sending: in the transfer named by client_ref; disposing: sent, the after-success action not yet
-- done; sent: sent and kept in place (keep, mirror), remembered so it is not sent again.
CREATE TABLE hot_files (
    folder      TEXT NOT NULL,
    path        TEXT NOT NULL,          -- relative to the folder, '/'-separated
    size        INTEGER NOT NULL,
    mtime       INTEGER NOT NULL,       -- nanoseconds since the epoch (the full precision the disposal compares)
    file_key    TEXT,                   -- the filesystem's identity (device, inode), when it has one
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'disposing', 'sent')),
    client_ref  TEXT,
    transfer_id TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    retry_at    TEXT,
    error       TEXT,
    sha256      TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (folder, path)
);
CREATE INDEX hot_files_state ON hot_files (folder, state);
CREATE INDEX hot_files_ref ON hot_files (client_ref);

CREATE TABLE folder_counts (
    folder   TEXT PRIMARY KEY,
    sent     INTEGER NOT NULL DEFAULT 0,
    failed   INTEGER NOT NULL DEFAULT 0,
    refused  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE refusals (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    source  TEXT NOT NULL,              -- "hot-folder NAME" or "spool"
    file    TEXT NOT NULL,
    rule    TEXT NOT NULL,
    reason  TEXT NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
