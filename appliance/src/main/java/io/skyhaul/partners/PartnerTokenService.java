package io.skyhaul.partners;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.transfers.Location;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Partner tokens: a partner can move data only inside the token's location and direction,
 * within its quotas, until it expires or is revoked, and never learns the account's keys (the
 * node uses them; the partner only ever holds a session ticket). Usage is reserved when a
 * transfer is granted and given back if it fails.
 */
public final class PartnerTokenService {
    private static final RowMapper<PartnerToken> MAPPER = (rs, ctx) -> new PartnerToken(rs.getString("id"), rs.getString("name"),
            rs.getString("account_id"), rs.getString("location"), rs.getString("direction"), Instant.parse(rs.getString("expires_at")),
            nullableLong(rs, "max_bytes"), nullableLong(rs, "max_files"), nullableLong(rs, "max_rate"), rs.getLong("bytes_used"), rs.getLong("files_used"), rs.getString("created_by"),
            Instant.parse(rs.getString("created_at")), rs.getString("revoked_at") == null ? null : Instant.parse(rs.getString("revoked_at")));

    public record Issued(PartnerToken token, String secret) {
    }

    /** A bearer that is a partner token: valid, or refused with the reason. */
    public record Verdict(Principal principal, String refusal) {
    }

    private final Jdbi jdbi;
    private final AccountService accounts;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Clock clock;

    public PartnerTokenService(Jdbi jdbi, AccountService accounts, Secrets secrets, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    public Issued issue(Principal actor, PartnerTokenRequest r) {
        Location location = Location.ofRequest(r.location());
        StoredAccount account = accounts.accountOf(location);
        String secret = secrets.newToken(Secrets.PARTNER_TOKEN_PREFIX);
        PartnerToken t = new PartnerToken(secrets.newId(), r.name(), account.id(), location.toString(), r.direction().wireName(), r.expiresAt(),
                r.maxBytes(), r.maxFiles(), r.maxRate(), 0, 0, actor.name(), clock.instant(), null);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO partner_tokens (id, name, token_hash, account_id, location, direction, expires_at, "
                        + "max_bytes, max_files, max_rate, created_by, created_at) VALUES (:id, :name, :hash, :account, :location, "
                        + ":direction, :expires, :maxBytes, :maxFiles, :maxRate, :by, :at)")
                .bind("id", t.id()).bind("name", t.name()).bind("hash", Secrets.hash(secret)).bind("account", t.accountId())
                .bind("location", t.location()).bind("direction", t.direction())
                .bind("expires", t.expiresAt().toString()).bind("maxBytes", t.maxBytes()).bind("maxFiles", t.maxFiles())
                .bind("maxRate", t.maxRate()).bind("by", t.createdBy()).bind("at", t.createdAt().toString()).execute());
        audit.record(actor.describe(), "partner-token.issue", "partner-token " + t.name(), t.direction() + " " + t.location()
                + " until " + t.expiresAt());
        return new Issued(t, secret);
    }

    public List<PartnerToken> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM partner_tokens ORDER BY created_at DESC").map(MAPPER).list());
    }

    public PartnerToken get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM partner_tokens WHERE id = :id").bind("id", id).map(MAPPER).findOne())
                .orElseThrow(() -> ApiException.notFound("partner token " + id));
    }

    public PartnerToken revoke(Principal actor, String id) {
        PartnerToken t = get(id);
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE partner_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("at", clock.instant().toString()).bind("id", id).execute());
        if (n == 1) {
            audit.record(actor.describe(), "partner-token.revoke", "partner-token " + t.name(), null);
        }
        return get(id);
    }

    /** Checks a partner bearer token: empty when it is not one of ours at all. */
    public Optional<Verdict> authenticate(String bearer) {
        if (!bearer.startsWith(Secrets.PARTNER_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Optional<PartnerToken> found = jdbi.withHandle(h -> h.createQuery("SELECT * FROM partner_tokens WHERE token_hash = :h")
                .bind("h", Secrets.hash(bearer)).map(MAPPER).findOne());
        return found.map(t -> {
            if (t.revokedAt() != null) {
                return new Verdict(null, "partner token '" + t.name() + "' was revoked at " + t.revokedAt());
            }
            if (!t.expiresAt().isAfter(clock.instant())) {
                return new Verdict(null, "partner token '" + t.name() + "' expired at " + t.expiresAt());
            }
            return new Verdict(Principal.partner(t.id(), t.name()), null);
        });
    }

    /**
     * Checks that a partner may do this transfer and reserves its usage: inside the token's
     * location, in an allowed direction, within the quotas. Returns the token (its rate ceiling
     * applies).
     */
    public PartnerToken authorize(Principal partner, String direction, Location location, long files, long bytes) {
        PartnerToken t = get(partner.id());
        Location scope = Location.parse(t.location());
        if (!t.direction().equals("both") && !t.direction().equals(direction)) {
            throw ApiException.forbidden("partner token '" + t.name() + "' allows " + t.direction() + " only, not " + direction);
        }
        if (!scope.contains(location)) {
            throw ApiException.forbidden("partner token '" + t.name() + "' is limited to " + scope + "; " + location + " is outside it");
        }
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE partner_tokens SET bytes_used = bytes_used + :b, files_used = files_used + :f "
                        + "WHERE id = :id AND (max_bytes IS NULL OR bytes_used + :b <= max_bytes) AND (max_files IS NULL OR files_used + :f <= max_files)")
                .bind("b", bytes).bind("f", files).bind("id", t.id()).execute());
        if (n == 0) {
            throw new ApiException(ApiError.QUOTA_EXCEEDED, "partner token '" + t.name() + "' quota exceeded: used " + t.bytesUsed() + " of "
                    + (t.maxBytes() == null ? "unlimited" : t.maxBytes()) + " bytes and " + t.filesUsed() + " of "
                    + (t.maxFiles() == null ? "unlimited" : t.maxFiles()) + " files; this transfer needs " + bytes + " bytes in " + files + " files");
        }
        return t;
    }

    /** Gives back usage reserved by a transfer that did not complete. */
    public void release(String tokenId, long files, long bytes) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE partner_tokens SET bytes_used = max(0, bytes_used - :b), files_used = max(0, files_used - :f) WHERE id = :id")
                .bind("b", bytes).bind("f", files).bind("id", tokenId).execute());
    }

    /** An optional INTEGER column: the SQLite driver's getObject(column, Long.class) throws on NULL instead of returning null. */
    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

}
