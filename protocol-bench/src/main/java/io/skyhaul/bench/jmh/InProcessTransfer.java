package io.skyhaul.bench.jmh;

import io.skyhaul.bench.PayloadFile;
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
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A {@link TransferNode} and a {@link TransferClient} in this JVM, the way the benchmarks drive
 * the UDP core: one fresh node (and receive directory) per measured transfer, a fresh ticket per
 * session, and the CPU the process spent on it.
 */
final class InProcessTransfer implements AutoCloseable {
    static final Duration TICKET_LIFETIME = Duration.ofMinutes(5);
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final TicketSealer sealer = new TicketSealer(PreSharedKey.generate(new SecureRandom()), new SecureRandom(), Clock.systemUTC());
    private final TransportSettings settings;
    private final Path root;
    private final TransferNode node;

    InProcessTransfer(Path root, TransportSettings settings) throws IOException, InterruptedException {
        this.settings = settings;
        this.root = Files.createDirectories(root);
        this.node = TransferNode.start(ANY_LOOPBACK_PORT, root, sealer, settings);
    }

    InetSocketAddress nodeAddress() {
        return node.localAddress();
    }

    Path root() {
        return root;
    }

    /** Uploads {@code file} to the node through {@code via} (the node itself, or a relay in front of it). */
    TransferReport send(InetSocketAddress via, PayloadFile file) throws TransferException {
        SessionTicket ticket = sealer.issue(TICKET_LIFETIME, Direction.UPLOAD, "");
        return new TransferClient(settings).send(via, ticket, sealer.seal(ticket), List.of(file.path()), ProgressListener.NONE);
    }

    /** Checks the node's copy against the source; a benchmark of a corrupting transfer must not report a figure. */
    void verify(PayloadFile file) throws IOException {
        String digest = PayloadFile.sha256Of(root.resolve(file.fileName()));
        if (!digest.equals(file.sha256())) {
            throw new IllegalStateException("received " + file.fileName() + " differs from the source: SHA-256 " + digest + " != " + file.sha256());
        }
    }

    @Override
    public void close() {
        node.close();
    }

    /** Process CPU nanoseconds (all threads, JIT and GC included), from the platform MXBean. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU nanoseconds of the live threads whose names start with {@code prefix}: the in-process
     * emulator's ({@code linkem-}), which is not the transport's cost and is subtracted.
     */
    static long threadCpuNanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long cpu = threads.getThreadCpuTime(t.getId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }
}
