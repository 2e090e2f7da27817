package io.skyhaul.bench;

import io.skyhaul.linkem.LinkProfile;
import io.skyhaul.linkem.UdpRelay;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportCounters;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TransferNode} on 127.0.0.1 behind an in-process {@link UdpRelay}: clients upload
 * through the relay's impaired link. Every session's outcome is kept for assertions.
 */
final class NodeBehindRelay implements AutoCloseable {
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final TicketSealer sealer = new TicketSealer(PreSharedKey.generate(new SecureRandom()), new SecureRandom(), Clock.systemUTC());
    private final TransportSettings settings;
    private final Path root;
    private final TransferNode node;
    private final UdpRelay relay;
    private final List<TransferNode.SessionOutcome> outcomes = new CopyOnWriteArrayList<>();

    NodeBehindRelay(Path root, LinkProfile profile, TransportSettings settings) throws IOException, InterruptedException {
        this.settings = settings;
        this.root = Files.createDirectories(root);
        this.node = TransferNode.start(ANY_LOOPBACK_PORT, root, sealer, settings);
        node.addListener(outcomes::add);
        try {
            this.relay = UdpRelay.start(ANY_LOOPBACK_PORT, node.localAddress(), profile);
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Uploads through the relay with a fresh ticket. */
    TransferReport send(List<Path> paths) throws TransferException {
        return send(relay.listenAddress(), paths, new TransferClient(settings));
    }

    /** Uploads via {@code address} (the relay, or a proxy in front of it). */
    TransferReport send(InetSocketAddress address, List<Path> paths, TransferClient client) throws TransferException {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        return client.send(address, ticket, sealer.seal(ticket), paths, ProgressListener.NONE);
    }

    Path root() {
        return root;
    }

    UdpRelay relay() {
        return relay;
    }

    TransportCounters nodeCounters() {
        return node.counters();
    }

    /**
     * The sessions that have ended at the node, once there are {@code count} of them. A client
     * returns when it has the node's RESULT; the node ends the session when the client's CLOSE
     * arrives, one path delay later, so this waits (at most {@code timeout}).
     */
    List<TransferNode.SessionOutcome> awaitOutcomes(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomes.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return List.copyOf(outcomes);
    }

    TransportSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        relay.close();
        node.close();
    }
}
