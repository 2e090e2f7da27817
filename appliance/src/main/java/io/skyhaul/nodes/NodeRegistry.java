package io.skyhaul.nodes;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.transport.ticket.TicketSealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The nodes the manager may send clients to: registered, reporting load, active or draining.
 * Allocation picks the least loaded healthy active node. Tickets for a node are sealed with that
 * node's key, so the node admits the client without asking the manager.
 */
public final class NodeRegistry {
    /** A node whose last heartbeat is older than this is not allocated. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, TicketSealer> sealers = new ConcurrentHashMap<>();
    private final RowMapper<NodeView> mapper;

    public NodeRegistry(Jdbi jdbi, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.mapper = (rs, ctx) -> {
            Instant beat = rs.getString("last_heartbeat") == null ? null : Instant.parse(rs.getString("last_heartbeat"));
            return new NodeView(rs.getString("id"), rs.getString("name"), rs.getString("udp_address"), rs.getString("state"),
                    beat != null && beat.plus(HEARTBEAT_TIMEOUT).isAfter(clock.instant()), Instant.parse(rs.getString("registered_at")), beat,
                    rs.getInt("sessions"), rs.getInt("max_sessions"), rs.getLong("throughput_bps"), rs.getDouble("cpu_load"));
        };
    }

    /** Registers (or re-registers after a restart) a node whose key this process holds. Returns its id. */
    public String registerLocal(String name, String udpAddress, int maxSessions, TicketSealer sealer) {
        String now = clock.instant().toString();
        String id = jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO nodes (id, name, udp_address, state, registered_at, last_heartbeat, max_sessions) "
                            + "VALUES (:name, :name, :udp, 'active', :now, :now, :max) "
                            + "ON CONFLICT (name) DO UPDATE SET udp_address = :udp, last_heartbeat = :now, max_sessions = :max")
                    .bind("name", name).bind("udp", udpAddress).bind("now", now).bind("max", maxSessions).execute();
            return h.createQuery("SELECT id FROM nodes WHERE name = :name").bind("name", name).mapTo(String.class).one();
        });
        sealers.put(id, sealer);
        return id;
    }

    public void heartbeat(String id, int sessions, long throughputBps, double cpuLoad) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET last_heartbeat = :now, sessions = :s, throughput_bps = :t, cpu_load = :c WHERE id = :id")
                .bind("now", clock.instant().toString()).bind("s", sessions).bind("t", throughputBps).bind("c", cpuLoad).bind("id", id).execute());
    }

    public List<NodeView> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM nodes ORDER BY name").map(mapper).list());
    }

    public NodeView get(String idOrName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM nodes WHERE id = :v OR name = :v").bind("v", idOrName).map(mapper).findOne())
                .orElseThrow(() -> ApiException.notFound("node '" + idOrName + "'"));
    }

    public NodeView setDraining(Principal actor, String idOrName, boolean draining) {
        NodeView node = get(idOrName);
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET state = :s WHERE id = :id").bind("s", draining ? "draining" : "active")
                .bind("id", node.id()).execute());
        audit.record(actor.describe(), draining ? "node.drain" : "node.undrain", "node " + node.name(), null);
        return get(node.id());
    }

    /** The least loaded healthy active node whose key this manager holds. */
    public NodeView allocate() {
        return list().stream()
                .filter(n -> n.healthy() && n.state().equals("active") && n.sessions() < n.maxSessions() && sealers.containsKey(n.id()))
                .min(Comparator.comparingDouble((NodeView n) -> (double) n.sessions() / n.maxSessions()).thenComparingLong(NodeView::throughputBps))
                .orElseThrow(() -> new ApiException(ApiError.NO_NODE_AVAILABLE,
                        "no healthy, active transfer node is available; check the nodes page (a draining or silent node is not used)"));
    }

    public TicketSealer sealer(String nodeId) {
        TicketSealer s = sealers.get(nodeId);
        if (s == null) {
            throw new ApiException(ApiError.NO_NODE_AVAILABLE, "node " + nodeId + " is not connected to this manager");
        }
        return s;
    }
}
