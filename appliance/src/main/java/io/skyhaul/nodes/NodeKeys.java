package io.skyhaul.nodes;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The credentials of remote nodes. An admin issues a key for a node name; the node-only process
 * presents it as {@code Authorization: Bearer shn_...} on the node channel and registers under
 * that name, so a key can never speak for another node. Like API and partner tokens, a key has
 * 256 random bits and only its SHA-256 is stored; it is shown once. Revoking a key shuts its node
 * out at its next request (its heartbeats stop counting, so it is no longer allocated).
 */
public final class NodeKeys {
    public static final String PREFIX = "shn_";

    private final Jdbi jdbi;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final RowMapper<NodeKey> mapper = (rs, ctx) -> new NodeKey(rs.getString("id"), rs.getString("name"), rs.getString("created_by"),
            Instant.parse(rs.getString("created_at")), instant(rs.getString("last_used_at")), instant(rs.getString("revoked_at")));

    public NodeKeys(Jdbi jdbi, Secrets secrets, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    /** Issues a key for node {@code name}; refused while another live key names it, or when the embedded node has that name. */
    public NodeKey.Issued issue(Principal actor, String name) {
        boolean embedded = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM nodes WHERE name = :n AND remote = 0").bind("n", name)
                .mapTo(Integer.class).one()) > 0;
        if (embedded) {
            throw new ApiException(ApiError.CONFLICT, "'" + name + "' is the name of the node running inside the manager; choose another name");
        }
        String key = secrets.newToken(PREFIX);
        String id = secrets.newId();
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            boolean live = h.createQuery("SELECT count(*) FROM node_keys WHERE name = :n AND revoked_at IS NULL").bind("n", name)
                    .mapTo(Integer.class).one() > 0;
            if (live) {
                throw new ApiException(ApiError.CONFLICT, "node '" + name + "' already has a key; revoke it first to issue a new one");
            }
            h.createUpdate("INSERT INTO node_keys (id, name, key_hash, created_by, created_at) VALUES (:id, :n, :h, :by, :at)")
                    .bind("id", id).bind("n", name).bind("h", Secrets.hash(key)).bind("by", actor.describe()).bind("at", now.toString()).execute();
        });
        audit.record(actor.describe(), "node-key.issue", "node " + name, null);
        return new NodeKey.Issued(key, get(id));
    }

    public List<NodeKey> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM node_keys ORDER BY created_at").map(mapper).list());
    }

    public NodeKey get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM node_keys WHERE id = :id").bind("id", id).map(mapper).findOne())
                .orElseThrow(() -> ApiException.notFound("node key " + id));
    }

    public void revoke(Principal actor, String id) {
        NodeKey key = get(id);
        if (key.revokedAt() != null) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE node_keys SET revoked_at = :now WHERE id = :id").bind("now", clock.instant().toString())
                .bind("id", id).execute());
        audit.record(actor.describe(), "node-key.revoke", "node " + key.name(), null);
    }

    /** The node a live key belongs to; empty for an unknown or revoked key. */
    public Optional<Principal> authenticate(String key) {
        Optional<String> name = jdbi.withHandle(h -> h.createQuery("SELECT name FROM node_keys WHERE key_hash = :h AND revoked_at IS NULL")
                .bind("h", Secrets.hash(key)).mapTo(String.class).findOne());
        return name.map(Principal::node);
    }

    /** Notes a registration with the key of {@code name} (not every heartbeat: that would be a write every few seconds). */
    void registered(String name) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE node_keys SET last_used_at = :now WHERE name = :n AND revoked_at IS NULL")
                .bind("now", clock.instant().toString()).bind("n", name).execute());
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
