package io.skyhaul.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of admin actions (credentials created or changed, tokens issued or revoked,
 * users changed, nodes drained). Written in the same database as what it describes, and to the
 * log. Never holds a secret: callers pass names and ids only.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String detail) {
        Instant at = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (:at, :actor, :action, :target, :detail)")
                .bind("at", at.toString()).bind("actor", actor).bind("action", action).bind("target", target).bind("detail", detail)
                .execute());
        LOG.info("audit: {} {} {}{}", actor, action, target, detail == null ? "" : " (" + detail + ")");
    }

    /** Newest first; every filter optional. */
    public List<AuditEntry> list(String actor, String action, Instant since, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_log WHERE (:actor IS NULL OR actor = :actor) "
                        + "AND (:action IS NULL OR action = :action) AND (:since IS NULL OR at >= :since) ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("actor", actor).bind("action", action).bind("since", since == null ? null : since.toString())
                .bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), Instant.parse(rs.getString("at")), rs.getString("actor"),
                        rs.getString("action"), rs.getString("target"), rs.getString("detail")))
                .list());
    }
}
