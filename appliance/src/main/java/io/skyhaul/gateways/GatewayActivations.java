package io.skyhaul.gateways;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Secrets;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.vault.PublicKeySeal;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activation of new gateways. A gateway that has no key yet sends the public half of a key pair
 * it made and gets a code to show (console and log) and a handle to poll with. An admin enters
 * the code within its lifetime and names the gateway: the manager issues a gateway key, keeps its
 * SHA-256, and keeps the key itself only sealed to the gateway's public key until the gateway has
 * used it. An expired code, a code already used, or an unknown one is refused with the reason.
 *
 * <p>Anyone may ask for a code (the gateway has no credentials yet), so the number waiting is
 * bounded in all and per address (a facility's gateways may share one address); a gateway that
 * asks again with the same public key (it restarted) ends its earlier code rather than add
 * one. Codes are random and only an admin can enter one.
 */
public final class GatewayActivations {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayActivations.class);
    /** How often a waiting gateway asks whether it was activated. */
    public static final long POLL_SECONDS = 2;
    /** Codes waiting at once, in all and from one address. */
    static final int MAX_WAITING = 100;
    static final int MAX_WAITING_PER_ADDRESS = 20;
    /** Ended activations are kept this long (a reused code is then told apart from an unknown one), then deleted. */
    static final Duration KEEP_ENDED = Duration.ofDays(7);

    private final Jdbi jdbi;
    private final GatewayRegistry gateways;
    private final Secrets secrets;
    private final AuditLog audit;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration codeLifetime;

    public GatewayActivations(Jdbi jdbi, GatewayRegistry gateways, Secrets secrets, AuditLog audit, SecureRandom random, Clock clock,
            Duration codeLifetime) {
        this.jdbi = jdbi;
        this.gateways = gateways;
        this.secrets = secrets;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
        this.codeLifetime = codeLifetime;
    }

    public GatewayMessages.ActivationTicket request(GatewayMessages.ActivationRequest r, String remoteAddress) {
        PublicKey key;
        try {
            key = PublicKeySeal.publicKey(r.publicKey());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("publicKey", e.getMessage());
        }
        Instant now = clock.instant();
        String id = HexFormat.of().formatHex(randomBytes(16));
        String fingerprint = PublicKeySeal.fingerprint(key);
        String code = jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM gateway_activations WHERE expires_at < :old").bind("old", now.minus(KEEP_ENDED).toString()).execute();
            // The same gateway asking again (it restarted): its earlier code ends now, so it never counts twice.
            h.createUpdate("UPDATE gateway_activations SET expires_at = :now WHERE public_key = :key AND activated_at IS NULL AND expires_at > :now")
                    .bind("key", PublicKeySeal.encode(key)).bind("now", now.toString()).execute();
            int waiting = h.createQuery("SELECT count(*) FROM gateway_activations WHERE activated_at IS NULL AND expires_at > :now")
                    .bind("now", now.toString()).mapTo(Integer.class).one();
            int fromHere = h.createQuery("SELECT count(*) FROM gateway_activations WHERE activated_at IS NULL AND expires_at > :now AND remote_addr = :a")
                    .bind("now", now.toString()).bind("a", remoteAddress).mapTo(Integer.class).one();
            if (waiting >= MAX_WAITING || fromHere >= MAX_WAITING_PER_ADDRESS) {
                throw new ApiException(ApiError.TOO_MANY_ATTEMPTS, "too many gateways are waiting for activation" + (fromHere >= MAX_WAITING_PER_ADDRESS
                        ? " from " + remoteAddress : "") + "; try again once codes have expired (" + codeLifetime.toMinutes() + " min)");
            }
            String c = unusedCode(h);
            h.createUpdate("INSERT INTO gateway_activations (id, code, public_key, fingerprint, hostname, version, remote_addr, created_at, expires_at)"
                            + " VALUES (:id, :code, :key, :fp, :host, :v, :addr, :now, :exp)")
                    .bind("id", id).bind("code", c).bind("key", PublicKeySeal.encode(key)).bind("fp", fingerprint).bind("host", r.hostname())
                    .bind("v", r.version()).bind("addr", remoteAddress).bind("now", now.toString()).bind("exp", now.plus(codeLifetime).toString())
                    .execute();
            return c;
        });
        LOG.info("gateway activation requested from {} (host {}, key {}): code {} valid for {} min", remoteAddress, r.hostname(), fingerprint,
                ActivationCode.display(code), codeLifetime.toMinutes());
        return new GatewayMessages.ActivationTicket(id, ActivationCode.display(code), now.plus(codeLifetime), fingerprint, POLL_SECONDS);
    }

    private String unusedCode(Handle h) {
        for (int i = 0; i < 10; i++) {
            String c = ActivationCode.newCode(random);
            if (h.createQuery("SELECT count(*) FROM gateway_activations WHERE code = :c").bind("c", c).mapTo(Integer.class).one() == 0) {
                return c;
            }
        }
        throw new IllegalStateException("no unused activation code in 10 draws: the code space is exhausted?");
    }

    /** What the gateway polling with {@code id} learns: still pending, activated (with its sealed key), claimed, or expired (410). */
    public GatewayMessages.ActivationState state(String id) {
        Row row = row(id).orElseThrow(() -> ApiException.notFound("activation " + id));
        if (row.activatedAt != null) {
            return row.sealedKey == null ? new GatewayMessages.ActivationState("claimed", null, null, row.gatewayName, null)
                    : new GatewayMessages.ActivationState("activated", null, null, row.gatewayName, row.sealedKey);
        }
        if (!row.expiresAt.isAfter(clock.instant())) {
            throw new ApiException(ApiError.EXPIRED, "activation code " + ActivationCode.display(row.code) + " expired at " + row.expiresAt
                    + " before an admin entered it; ask for a new one");
        }
        return new GatewayMessages.ActivationState("pending", ActivationCode.display(row.code), row.expiresAt, null, null);
    }

    /** An admin enters a code: the waiting gateway becomes {@code name}. */
    public GatewayView activate(Principal actor, String typedCode, String name) {
        String code;
        try {
            code = ActivationCode.normalise(typedCode);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("code", e.getMessage());
        }
        Instant now = clock.instant();
        String key = secrets.newToken(GatewayRegistry.KEY_PREFIX);
        jdbi.useTransaction(h -> {
            Row row = h.createQuery("SELECT * FROM gateway_activations WHERE code = :c").bind("c", code).map((rs, ctx) -> Row.of(rs)).findOne()
                    .orElseThrow(() -> new ApiException(ApiError.NOT_FOUND, "no gateway is waiting with activation code "
                            + ActivationCode.display(code) + " (check the code the gateway shows)"));
            if (row.activatedAt != null) {
                throw new ApiException(ApiError.CONFLICT, "activation code " + ActivationCode.display(code) + " was already used: gateway '"
                        + row.gatewayName + "' was activated with it at " + row.activatedAt + "; a code works once");
            }
            if (!row.expiresAt.isAfter(now)) {
                throw new ApiException(ApiError.EXPIRED, "activation code " + ActivationCode.display(code) + " expired at " + row.expiresAt
                        + "; the gateway shows a new code by itself");
            }
            gateways.bind(h, name, Secrets.hash(key), row.fingerprint, row.hostname, actor, now);
            byte[] sealed = PublicKeySeal.seal(PublicKeySeal.publicKey(row.publicKey), key.getBytes(StandardCharsets.UTF_8), sealedFor(row.id), random);
            h.createUpdate("UPDATE gateway_activations SET activated_at = :now, activated_by = :by, gateway_name = :n, sealed_key = :k WHERE id = :id")
                    .bind("now", now.toString()).bind("by", actor.describe()).bind("n", name)
                    .bind("k", Base64.getEncoder().encodeToString(sealed)).bind("id", row.id).execute();
        });
        audit.record(actor.describe(), "gateway.activate", "gateway " + name, "code " + ActivationCode.display(code));
        return gateways.get(name);
    }

    /**
     * The gateway has used its key: the sealed copy is no longer kept. Called on each of its
     * requests, it looks before it writes: a write on every poll would take the database's write
     * lock for nothing.
     */
    public void claimed(String gatewayName) {
        boolean sealedKeyKept = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM gateway_activations WHERE gateway_name = :n"
                + " AND sealed_key IS NOT NULL").bind("n", gatewayName).mapTo(Integer.class).one()) > 0;
        if (!sealedKeyKept) {
            return;
        }
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE gateway_activations SET sealed_key = NULL, claimed_at = :now WHERE gateway_name = :n"
                + " AND sealed_key IS NOT NULL").bind("now", clock.instant().toString()).bind("n", gatewayName).execute());
        if (n > 0) {
            LOG.info("gateway {}: took its key; the sealed copy is deleted", gatewayName);
        }
    }

    /** What the gateway key is sealed bound to (AES-GCM associated data): a sealed key copied to another activation does not open. */
    public static String sealedFor(String activationId) {
        return "gateway-activation:" + activationId;
    }

    private Optional<Row> row(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateway_activations WHERE id = :id").bind("id", id).map((rs, ctx) -> Row.of(rs))
                .findOne());
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private record Row(String id, String code, String publicKey, String fingerprint, String hostname, Instant expiresAt, Instant activatedAt,
            String gatewayName, String sealedKey) {
        static Row of(java.sql.ResultSet rs) throws java.sql.SQLException {
            String activated = rs.getString("activated_at");
            return new Row(rs.getString("id"), rs.getString("code"), rs.getString("public_key"), rs.getString("fingerprint"), rs.getString("hostname"),
                    Instant.parse(rs.getString("expires_at")), activated == null ? null : Instant.parse(activated), rs.getString("gateway_name"),
                    rs.getString("sealed_key"));
        }
    }
}
