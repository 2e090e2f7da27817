package io.skyhaul.gateways;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activated gateways: their keys (only the SHA-256 is stored), their last contact and the
 * status they last reported. Kept in the shared database, so every manager process sees the same
 * gateways whichever one a gateway is connected to.
 */
public final class GatewayRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRegistry.class);
    public static final String KEY_PREFIX = "shg_";
    /** A gateway heard from within this long is online (it reports every few seconds and long-polls all the time). */
    public static final Duration ONLINE_WINDOW = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.create();
    private final RowMapper<GatewayView> mapper;

    public GatewayRegistry(Jdbi jdbi, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.mapper = (rs, ctx) -> {
            Instant contact = instant(rs.getString("last_contact"));
            boolean active = rs.getString("key_hash") != null;
            return new GatewayView(rs.getString("name"), rs.getString("fingerprint"), rs.getString("hostname"), instant(rs.getString("activated_at")),
                    rs.getString("activated_by"), instant(rs.getString("deactivated_at")), contact,
                    active && contact != null && contact.plus(ONLINE_WINDOW).isAfter(clock.instant()), active, status(rs.getString("status")));
        };
    }

    public List<GatewayView> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateways ORDER BY name").map(mapper).list());
    }

    public GatewayView get(String name) {
        return find(name).orElseThrow(() -> ApiException.notFound("gateway " + name));
    }

    public Optional<GatewayView> find(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateways WHERE name = :n").bind("n", name).map(mapper).findOne());
    }

    /** The gateway an active key belongs to; empty for an unknown key or one of a deactivated gateway. */
    public Optional<Principal> authenticate(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name FROM gateways WHERE key_hash = :h").bind("h", Secrets.hash(key))
                .mapTo(String.class).findOne()).map(Principal::gateway);
    }

    /**
     * Binds a gateway under {@code name} with a new key (inside the caller's transaction). A name
     * that was deactivated may be given to a new gateway; an active one may not.
     */
    void bind(org.jdbi.v3.core.Handle h, String name, String keyHash, String fingerprint, String hostname, Principal actor, Instant now) {
        Optional<Integer> active = h.createQuery("SELECT CASE WHEN key_hash IS NULL THEN 0 ELSE 1 END FROM gateways WHERE name = :n")
                .bind("n", name).mapTo(Integer.class).findOne();
        if (active.isPresent() && active.get() == 1) {
            throw new ApiException(ApiError.CONFLICT, "gateway '" + name + "' is already active; choose another name, or deactivate it first");
        }
        if (active.isPresent()) {
            h.createUpdate("UPDATE gateways SET key_hash = :k, fingerprint = :f, hostname = :host, activated_at = :at, activated_by = :by,"
                            + " deactivated_at = NULL, last_contact = NULL, status = NULL WHERE name = :n")
                    .bind("k", keyHash).bind("f", fingerprint).bind("host", hostname).bind("at", now.toString()).bind("by", actor.describe())
                    .bind("n", name).execute();
        } else {
            h.createUpdate("INSERT INTO gateways (name, key_hash, fingerprint, hostname, activated_at, activated_by) VALUES (:n, :k, :f, :host, :at, :by)")
                    .bind("n", name).bind("k", keyHash).bind("f", fingerprint).bind("host", hostname).bind("at", now.toString())
                    .bind("by", actor.describe()).execute();
        }
    }

    /** Revokes the gateway's key: its next request is refused (401) and it asks to be activated again. */
    public GatewayView deactivate(Principal actor, String name) {
        GatewayView g = get(name);
        if (!g.active()) {
            return g;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE gateways SET key_hash = NULL, deactivated_at = :now WHERE name = :n")
                .bind("now", clock.instant().toString()).bind("n", name).execute());
        audit.record(actor.describe(), "gateway.deactivate", "gateway " + name, null);
        return get(name);
    }

    /** Notes that the gateway was heard from (a poll or a status report). */
    public void contact(String name) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE gateways SET last_contact = :now WHERE name = :n").bind("now", clock.instant().toString())
                .bind("n", name).execute());
    }

    public void report(String name, GatewayMessages.Status status) {
        String text;
        try {
            text = json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE gateways SET last_contact = :now, status = :s WHERE name = :n")
                .bind("now", clock.instant().toString()).bind("s", text).bind("n", name).execute());
    }

    private GatewayMessages.Status status(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, GatewayMessages.Status.class);
        } catch (JsonProcessingException e) {
            LOG.warn("a gateway's stored status does not read back ({}); shown as unknown", e.getOriginalMessage());
            return null;
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
