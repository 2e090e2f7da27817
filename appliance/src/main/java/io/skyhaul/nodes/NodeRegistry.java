package io.skyhaul.nodes;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.TicketSealer;
import io.skyhaul.vault.SecretBox;
import io.skyhaul.vault.VaultException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
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
 * Allocation picks the least loaded healthy active node that is connected to this manager
 * process (it has a {@link NodeLink}). Tickets for a node are sealed with that node's key, so the
 * node admits the client without asking the manager. A remote node's key is the one it sent when
 * it registered; it is kept sealed under the master key, so it survives a restart of the manager.
 */
public final class NodeRegistry {
    /** A node whose last heartbeat is older than this is not allocated. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeRegistry.class);

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;
    private final SecretBox box;
    private final SecureRandom random;
    private final NodeKeys keys;
    private final Map<String, TicketSealer> sealers = new ConcurrentHashMap<>();
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();
    private final RowMapper<NodeView> mapper;

    public NodeRegistry(Jdbi jdbi, AuditLog audit, Clock clock, SecretBox box, SecureRandom random, NodeKeys keys) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.box = box;
        this.random = random;
        this.keys = keys;
        this.mapper = (rs, ctx) -> {
            Instant beat = rs.getString("last_heartbeat") == null ? null : Instant.parse(rs.getString("last_heartbeat"));
            return new NodeView(rs.getString("id"), rs.getString("name"), rs.getString("udp_address"), rs.getString("state"),
                    beat != null && beat.plus(HEARTBEAT_TIMEOUT).isAfter(clock.instant()), Instant.parse(rs.getString("registered_at")), beat,
                    rs.getInt("sessions"), rs.getInt("max_sessions"), rs.getLong("throughput_bps"), rs.getDouble("cpu_load"),
                    rs.getInt("remote") == 1, links.containsKey(rs.getString("id")));
        };
    }

    /** Registers (or re-registers after a restart) the node running in this process. Returns its id. */
    public String registerLocal(String name, String udpAddress, int maxSessions, TicketSealer sealer, NodeLink link) {
        String id = upsert(name, udpAddress, maxSessions, false);
        sealers.put(id, sealer);
        links.put(id, link);
        return id;
    }

    /**
     * Registers a node-only process that authenticated with the node key of {@code name}: its
     * address, its session limit and its ticket key (stored sealed). A link it had before (the
     * node restarted, or this manager did) is closed: what was waiting on it is gone.
     */
    public RemoteNodeLink registerRemote(String name, String udpAddress, int maxSessions, PreSharedKey ticketKey) {
        String id = upsert(name, udpAddress, maxSessions, true);
        String encoded = java.util.Base64.getEncoder().encodeToString(ticketKey.encoded());
        Optional<PreSharedKey> stored = storedKey(id);
        if (stored.isPresent() && !Arrays.equals(stored.get().encoded(), ticketKey.encoded())) {
            audit.record("node " + name, "node.rekey", "node " + name, "a new ticket key (the node's data directory was replaced?)");
        }
        byte[] sealed = box.seal(encoded, "node:" + id);
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET ticket_key = :k WHERE id = :id").bind("k", sealed).bind("id", id).execute());
        sealers.put(id, new TicketSealer(ticketKey, random, clock));
        keys.registered(name);
        RemoteNodeLink link = new RemoteNodeLink(name);
        NodeLink old = links.put(id, link);
        if (old instanceof RemoteNodeLink r) {
            r.close();
        }
        return link;
    }

    private String upsert(String name, String udpAddress, int maxSessions, boolean remote) {
        String now = clock.instant().toString();
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO nodes (id, name, udp_address, state, registered_at, last_heartbeat, max_sessions, remote) "
                            + "VALUES (:name, :name, :udp, 'active', :now, :now, :max, :remote) "
                            + "ON CONFLICT (name) DO UPDATE SET udp_address = :udp, last_heartbeat = :now, max_sessions = :max, remote = :remote")
                    .bind("name", name).bind("udp", udpAddress).bind("now", now).bind("max", maxSessions).bind("remote", remote ? 1 : 0).execute();
            return h.createQuery("SELECT id FROM nodes WHERE name = :name").bind("name", name).mapTo(String.class).one();
        });
    }

    /** The ticket key a remote node registered with, opened from the database. */
    Optional<PreSharedKey> storedKey(String id) {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT ticket_key FROM nodes WHERE id = :id").bind("id", id)
                .mapTo(byte[].class).findOne().orElse(null));
        if (sealed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PreSharedKey.of(java.util.Base64.getDecoder().decode(box.open(sealed, "node:" + id))));
        } catch (VaultException e) {
            LOG.warn("node {}: its stored ticket key does not open ({}); it gets a new one when it registers", id, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * At start-up: the sealers of the remote nodes registered before, from their stored keys, so
     * that this manager speaks for them again at once; they are allocated again when they
     * reconnect (register) to this process.
     */
    public int loadStoredKeys() {
        List<String> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM nodes WHERE remote = 1 AND ticket_key IS NOT NULL")
                .mapTo(String.class).list());
        int n = 0;
        for (String id : ids) {
            Optional<PreSharedKey> key = storedKey(id);
            if (key.isPresent()) {
                sealers.put(id, new TicketSealer(key.get(), random, clock));
                n++;
            }
        }
        return n;
    }

    /** The link of a node connected to this manager process. */
    public Optional<NodeLink> link(String nodeId) {
        return Optional.ofNullable(links.get(nodeId));
    }

    /**
     * Whether the node runs inside this process: it is alive as long as the process is, so a late
     * heartbeat (a busy machine, a long pause) is no reason to fail its transfers.
     */
    public boolean runsHere(String nodeId) {
        return links.get(nodeId) instanceof LocalNodeLink;
    }

    /** The link of a remote node connected under {@code name}: what its channel requests act on. */
    public Optional<RemoteNodeLink> remoteLink(String name) {
        return links.get(name) instanceof RemoteNodeLink r ? Optional.of(r) : Optional.empty();
    }

    /**
     * Cuts off remote nodes whose heartbeats stopped: they are no longer allocated, and must
     * register again (and so give up whatever they were doing) before this manager listens to
     * them again. Returns their ids.
     */
    public List<String> disconnectSilent() {
        List<String> silent = list().stream().filter(n -> n.remote() && n.connected() && !n.healthy()).map(NodeView::id).toList();
        for (String id : silent) {
            if (links.remove(id) instanceof RemoteNodeLink r) {
                r.close();
                LOG.warn("node {}: no heartbeat for {} s: disconnected; it must register again", id, HEARTBEAT_TIMEOUT.toSeconds());
            }
        }
        return silent;
    }

    public NodeView heartbeat(String id, int sessions, long throughputBps, double cpuLoad) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE nodes SET last_heartbeat = :now, sessions = :s, throughput_bps = :t, cpu_load = :c WHERE id = :id")
                .bind("now", clock.instant().toString()).bind("s", sessions).bind("t", throughputBps).bind("c", cpuLoad).bind("id", id).execute());
        return get(id);
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
                .filter(n -> n.healthy() && n.state().equals("active") && n.sessions() < n.maxSessions() && n.connected() && sealers.containsKey(n.id()))
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
