-- Skyhaul manager schema, version 3: gateways (on-premise agents that open every connection
-- themselves) and the idempotency reference of a transfer.
--
-- A new gateway asks for an activation: it sends the public half of a key pair it made and gets
-- a short code to show; an admin enters the code within its lifetime to bind and name the gateway.
-- The gateway key issued then is sealed to the gateway's public key until the gateway has fetched
-- it; the manager keeps only its SHA-256.

CREATE TABLE gateway_activations (
    id            TEXT PRIMARY KEY,       -- the handle the gateway polls with (128 random bits)
    code          TEXT NOT NULL UNIQUE,   -- what the admin types, normalised: 8 characters
    public_key    TEXT NOT NULL,          -- X25519, base64 of the X.509 encoding
    fingerprint   TEXT NOT NULL,          -- first 16 hex digits of the SHA-256 of the public key
    hostname      TEXT,
    version       TEXT,
    remote_addr   TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    activated_at  TEXT,
    activated_by  TEXT,
    gateway_name  TEXT,
    sealed_key    TEXT,                   -- the gateway key sealed to public_key; cleared once the gateway used it
    claimed_at    TEXT
);
CREATE INDEX gateway_activations_expiry ON gateway_activations (expires_at);

CREATE TABLE gateways (
    name            TEXT PRIMARY KEY,
    key_hash        TEXT UNIQUE,          -- null once deactivated
    fingerprint     TEXT NOT NULL,
    hostname        TEXT,
    activated_at    TEXT NOT NULL,
    activated_by    TEXT NOT NULL,
    deactivated_at  TEXT,
    last_contact    TEXT,
    status          TEXT                  -- JSON: what the gateway last reported
);

CREATE TABLE gateway_commands (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    gateway       TEXT NOT NULL REFERENCES gateways (name),
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,          -- JSON
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'done', 'failed')),
    delivered_at  TEXT,
    finished_at   TEXT,
    result        TEXT
);
CREATE INDEX gateway_commands_gateway ON gateway_commands (gateway, seq);

-- A client's own reference for a transfer (a gateway's intent id): after a crash it finds the
-- transfer it may or may not have created.
ALTER TABLE transfers ADD COLUMN client_ref TEXT;
CREATE INDEX transfers_client_ref ON transfers (actor_id, client_ref);
