-- Skyhaul manager schema, version 2: remote nodes.
-- A node key lets one node-only process register with the manager under the key's name; only
-- its SHA-256 is stored. A registered remote node's ticket-sealing key is kept sealed under the
-- master key (AES-256-GCM, bound to the node's id), so the manager keeps it across restarts.

CREATE TABLE node_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,          -- the name the node registers under; one live (unrevoked) key per name
    key_hash    TEXT NOT NULL UNIQUE,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at  TEXT
);
CREATE INDEX node_keys_name ON node_keys (name);

ALTER TABLE nodes ADD COLUMN remote INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN ticket_key BLOB;
