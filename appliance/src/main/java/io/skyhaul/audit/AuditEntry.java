package io.skyhaul.audit;

import java.time.Instant;

/** One administrative action: who did what to which thing, when. */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String detail) {
}
