package io.skyhaul.gateways;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands for gateways, kept in the shared database until the gateway has answered them. A
 * gateway long-polls for the commands after the last one it finished; a command it was given but
 * did not answer (it was cut off, or restarted) is given again, so none is missed. Because the
 * queue is the database, a command queued through one manager process reaches a gateway
 * connected to another: a waiting poll looks at the table again every {@link #RECHECK}, and at
 * once when a command is queued in its own process.
 */
public final class GatewayCommands {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCommands.class);
    /** How often a waiting poll reads the table again (commands queued by another manager process). */
    static final Duration RECHECK = Duration.ofMillis(500);
    /** Commands handed over in one poll at most. */
    static final int MAX_PER_POLL = 50;
    /** Commands waiting for one gateway at most: a gateway that never comes back does not fill the database. */
    static final int MAX_OPEN_PER_GATEWAY = 1000;

    private final Jdbi jdbi;
    private final GatewayRegistry gateways;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.create();
    private final Map<String, Object> signals = new ConcurrentHashMap<>();
    private final RowMapper<GatewayMessages.Command> mapper;

    public GatewayCommands(Jdbi jdbi, GatewayRegistry gateways, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.gateways = gateways;
        this.audit = audit;
        this.clock = clock;
        this.mapper = (rs, ctx) -> {
            try {
                return new GatewayMessages.Command(rs.getLong("seq"), rs.getString("gateway"), GatewayMessages.CommandKind.parse(rs.getString("kind")),
                        json.readTree(rs.getString("body")), rs.getString("state"), rs.getString("created_by"), instant(rs.getString("created_at")),
                        instant(rs.getString("delivered_at")), instant(rs.getString("finished_at")), rs.getString("result"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored gateway command does not read back: " + e.getOriginalMessage(), e);
            }
        };
    }

    /** Queues a command for an active gateway. */
    public GatewayMessages.Command enqueue(Principal actor, String gateway, GatewayMessages.CommandRequest r) {
        GatewayView g = gateways.get(gateway);
        if (!g.active()) {
            throw new ApiException(ApiError.CONFLICT, "gateway " + gateway + " was deactivated; it takes no commands");
        }
        String body;
        try {
            body = json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Insert first, count after (rolled back when over the limit). Transactions begin IMMEDIATE (Database), so this one holds
        // the write lock from its start; writing first also keeps it right on a database where a read could not be upgraded.
        long seq = jdbi.inTransaction(h -> {
            long inserted = h.createUpdate("INSERT INTO gateway_commands (gateway, kind, body, created_by, created_at, state)"
                            + " VALUES (:g, :k, :b, :by, :at, 'pending')")
                    .bind("g", gateway).bind("k", r.kind().wireName()).bind("b", body).bind("by", actor.describe())
                    .bind("at", clock.instant().toString()).executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one();
            int before = h.createQuery("SELECT count(*) FROM gateway_commands WHERE gateway = :g AND state IN ('pending', 'delivered')")
                    .bind("g", gateway).mapTo(Integer.class).one() - 1;
            if (before >= MAX_OPEN_PER_GATEWAY) {
                throw new ApiException(ApiError.CONFLICT, "gateway " + gateway + " already has " + before + " commands it has not answered"
                        + (g.online() ? "" : " (it is offline)") + "; wait for them");
            }
            return inserted;
        });
        audit.record(actor.describe(), "gateway.command", "gateway " + gateway, r.kind().wireName() + " #" + seq);
        wake(gateway);
        return get(gateway, seq);
    }

    /**
     * The commands for {@code gateway} after {@code afterSeq} that it has not answered, waiting up
     * to {@code wait} for one to come; they are marked delivered.
     */
    public List<GatewayMessages.Command> poll(String gateway, long afterSeq, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Object signal = signals.computeIfAbsent(gateway, k -> new Object());
        while (true) {
            List<GatewayMessages.Command> open = open(gateway, afterSeq);
            long left = deadline - System.nanoTime();
            if (!open.isEmpty() || left <= 0) {
                if (!open.isEmpty()) {
                    markDelivered(open);
                }
                return open;
            }
            synchronized (signal) {
                signal.wait(Math.max(1, Math.min(RECHECK.toMillis(), left / 1_000_000)));
            }
        }
    }

    private List<GatewayMessages.Command> open(String gateway, long afterSeq) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateway_commands WHERE gateway = :g AND seq > :after"
                        + " AND state IN ('pending', 'delivered') ORDER BY seq LIMIT :n")
                .bind("g", gateway).bind("after", afterSeq).bind("n", MAX_PER_POLL).map(mapper).list());
    }

    private void markDelivered(List<GatewayMessages.Command> commands) {
        String now = clock.instant().toString();
        jdbi.useTransaction(h -> {
            for (GatewayMessages.Command c : commands) {
                h.createUpdate("UPDATE gateway_commands SET state = 'delivered', delivered_at = coalesce(delivered_at, :now) WHERE seq = :s AND state = 'pending'")
                        .bind("now", now).bind("s", c.seq()).execute();
            }
        });
    }

    /** The gateway's answer. Answering again is harmless (the first answer stands); another gateway's command is not found. */
    public GatewayMessages.Command result(String gateway, long seq, GatewayMessages.CommandResult r) {
        GatewayMessages.Command c = get(gateway, seq);
        if (c.state().equals("done") || c.state().equals("failed")) {
            return c;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE gateway_commands SET state = :s, finished_at = :now, result = :r WHERE seq = :seq"
                        + " AND state IN ('pending', 'delivered')")
                .bind("s", r.ok() ? "done" : "failed").bind("now", clock.instant().toString()).bind("r", r.message()).bind("seq", seq).execute());
        LOG.info("gateway {}: command #{} {} {}{}", gateway, seq, c.kind().wireName(), r.ok() ? "done" : "failed",
                r.message() == null ? "" : ": " + r.message());
        return get(gateway, seq);
    }

    public GatewayMessages.Command get(String gateway, long seq) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateway_commands WHERE gateway = :g AND seq = :s").bind("g", gateway).bind("s", seq)
                .map(mapper).findOne()).orElseThrow(() -> ApiException.notFound("command #" + seq + " of gateway " + gateway));
    }

    /** Newest first. */
    public List<GatewayMessages.Command> list(String gateway, int limit) {
        gateways.get(gateway);
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateway_commands WHERE gateway = :g ORDER BY seq DESC LIMIT :n")
                .bind("g", gateway).bind("n", limit).map(mapper).list());
    }

    /** A deactivated gateway will not answer: what it had not answered fails with the reason. */
    public int failOpen(String gateway, String reason) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE gateway_commands SET state = 'failed', finished_at = :now, result = :r"
                + " WHERE gateway = :g AND state IN ('pending', 'delivered')").bind("now", clock.instant().toString()).bind("r", reason)
                .bind("g", gateway).execute());
    }

    private void wake(String gateway) {
        Object signal = signals.get(gateway);
        if (signal != null) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
