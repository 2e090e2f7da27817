package io.skyhaul.testing;

import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link TransferNode} on 127.0.0.1 with a fresh pre-shared key, and the client calls a
 * test makes against it (each with its own ticket, as the CLI does).
 */
public final class LoopbackNode implements AutoCloseable {
    public static final Duration TICKET_LIFETIME = Duration.ofMinutes(10);

    private final PreSharedKey psk;
    private final TicketSealer sealer;
    private final TransferNode node;
    private final LinkedBlockingQueue<TransferNode.SessionOutcome> outcomes = new LinkedBlockingQueue<>();
    private boolean closed;

    private LoopbackNode(PreSharedKey psk, TransferNode node, TicketSealer sealer) {
        this.psk = psk;
        this.node = node;
        this.sealer = sealer;
        node.addListener(outcomes::add);
    }

    public static LoopbackNode start(Path root, TransportSettings settings) throws InterruptedException {
        PreSharedKey psk = PreSharedKey.generate(new SecureRandom());
        TicketSealer sealer = new TicketSealer(psk, new SecureRandom(), Clock.systemUTC());
        return new LoopbackNode(psk, TransferNode.start(new InetSocketAddress("127.0.0.1", 0), root, sealer, settings), sealer);
    }

    public TransferNode node() {
        return node;
    }

    public InetSocketAddress address() {
        return node.localAddress();
    }

    public PreSharedKey psk() {
        return psk;
    }

    public TicketSealer sealer() {
        return sealer;
    }

    public SessionTicket ticket(Direction direction) {
        return sealer.issue(TICKET_LIFETIME, direction, "");
    }

    /** Uploads with a fresh UPLOAD ticket. */
    public TransferReport send(TransportSettings settings, List<Path> paths) throws TransferException {
        return send(settings, address(), ticket(Direction.UPLOAD), paths);
    }

    /** Uploads with the given ticket, to {@code to} (the node, or a relay in front of it). */
    public TransferReport send(TransportSettings settings, InetSocketAddress to, SessionTicket ticket, List<Path> paths) throws TransferException {
        return new TransferClient(settings).send(to, ticket, sealer.seal(ticket), paths, ProgressListener.NONE);
    }

    /** Downloads with a fresh DOWNLOAD ticket. */
    public TransferReport get(TransportSettings settings, List<String> remotePaths, Path dir) throws TransferException {
        return get(settings, ticket(Direction.DOWNLOAD), remotePaths, dir);
    }

    public TransferReport get(TransportSettings settings, SessionTicket ticket, List<String> remotePaths, Path dir) throws TransferException {
        return new TransferClient(settings).get(address(), ticket, sealer.seal(ticket), remotePaths, dir, ProgressListener.NONE);
    }

    /** The next session the node ended, or null if none ended within {@code wait}. */
    public TransferNode.SessionOutcome nextOutcome(Duration wait) throws InterruptedException {
        return outcomes.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the node once (TransferNode.close() itself is not idempotent, see DeadPeerTest). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            node.close();
        }
    }
}
