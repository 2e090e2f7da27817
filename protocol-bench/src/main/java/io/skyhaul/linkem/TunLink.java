package io.skyhaul.linkem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An impaired IP link between two network namespaces, so that TCP (or anything else) can be run
 * over the same emulated link as the UDP protocol: a TUN device in each namespace, and packets
 * read from one device pass through an {@link ImpairedDirection} before being written to the
 * other.
 *
 * <p>Clean-up is part of the contract: {@link #close()}, a JVM shutdown hook (SIGTERM, SIGINT,
 * normal exit) and a failure half-way through {@link #create} all remove what was created, in
 * reverse order. The devices vanish with their descriptors, so even a killed process leaves at
 * most the two namespaces, which {@link #removeLeftovers} deletes.
 *
 * <pre>{@code
 * try (TunLink link = TunLink.create(TunLinkConfig.of("skyA", "skyB", a, b), profile)) {
 *     // ip netns exec skyA iperf3 -c 198.18.0.2 ...
 * }
 * }</pre>
 */
public final class TunLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TunLink.class);

    /** An undo action for one created resource. */
    @FunctionalInterface
    private interface Teardown {
        void run() throws IOException;
    }

    private final TunLinkConfig config;
    private final LinkProfile profile;
    private final Deque<Teardown> teardowns = new ArrayDeque<>();
    private final List<Thread> readers = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread shutdownHook;
    private ImpairedDirection aToB;
    private ImpairedDirection bToA;
    private volatile boolean closing;
    private volatile Throwable failure;
    private boolean closed;

    private TunLink(TunLinkConfig config, LinkProfile profile) {
        this.config = config;
        this.profile = profile;
        this.shutdownHook = new Thread(this::closeFromShutdownHook, "linkem-tun-cleanup");
    }

    /**
     * Creates both namespaces and devices, configures addresses and starts forwarding. Fails if
     * either namespace already exists (it is not ours to reuse); anything created before a
     * failure is removed again before the exception propagates.
     */
    public static TunLink create(TunLinkConfig config, LinkProfile profile) throws IOException {
        TunLink link = new TunLink(config, profile);
        Runtime.getRuntime().addShutdownHook(link.shutdownHook);
        try {
            link.setUp();
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("setting up TUN link {} <-> {} failed; removing what was created", config.namespaceA(),
                    config.namespaceB());
            try {
                link.close();
            } catch (IOException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        LOG.info("TUN link {} ({} {}) <-> {} ({} {}) forwarding: {}", config.namespaceA(), config.deviceA(),
                config.addressA().getHostAddress(), config.namespaceB(), config.deviceB(),
                config.addressB().getHostAddress(), profile);
        return link;
    }

    /**
     * Removes namespaces and root-namespace devices of these names if they exist, for clean-up
     * after a process that could not clean up itself (e.g. killed with SIGKILL). Idempotent.
     *
     * @return what was removed, for the operator
     */
    public static List<String> removeLeftovers(String namespaceA, String namespaceB, String deviceA, String deviceB)
            throws IOException {
        List<String> removed = new ArrayList<>();
        for (String device : List.of(deviceA, deviceB)) {
            if (IpCommand.linkExists(device)) {
                IpCommand.run("link", "del", "dev", device);
                removed.add("device " + device);
            }
        }
        List<String> existing = IpCommand.namespaces();
        for (String namespace : List.of(namespaceA, namespaceB)) {
            if (existing.contains(namespace)) {
                IpCommand.run("netns", "del", namespace);
                removed.add("namespace " + namespace);
            }
        }
        return removed;
    }

    public TunLinkConfig config() {
        return config;
    }

    public LinkProfile profile() {
        return profile;
    }

    /** Counters: {@code forward} is A to B, {@code reverse} B to A. */
    public LinkStats stats() {
        return new LinkStats(aToB.stats(), bToA.stats());
    }

    /** Blocks until the link is closed or a forwarding thread failed (see {@link #failure()}). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Why forwarding stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops forwarding, closes the devices and deletes the namespaces. Every step is attempted;
     * the first failure is thrown with the others suppressed. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        IOException first = null;
        while (!teardowns.isEmpty()) {
            try {
                teardowns.pop().run();
            } catch (IOException | RuntimeException e) {
                LOG.error("TUN link clean-up step failed: {}", e.toString());
                IOException wrapped = e instanceof IOException io ? io : new IOException(e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(wrapped);
                }
            }
        }
        removeShutdownHook();
        terminated.countDown();
        LOG.info("TUN link {} <-> {} removed", config.namespaceA(), config.namespaceB());
        if (first != null) {
            throw first;
        }
    }

    private synchronized void setUp() throws IOException {
        createNamespace(config.namespaceA());
        createNamespace(config.namespaceB());
        TunDevice deviceA = openDevice(config.deviceA());
        TunDevice deviceB = openDevice(config.deviceB());
        configureEnd(deviceA, config.namespaceA(), config.addressA().getHostAddress(), config.addressB().getHostAddress());
        configureEnd(deviceB, config.namespaceB(), config.addressB().getHostAddress(), config.addressA().getHostAddress());

        SplittableRandom[] randoms = profile.directionRandoms();
        // TUN packets are whole IP packets: their headers are already in the byte count.
        aToB = new ImpairedDirection("a->b", profile, randoms[0], 0, "linkem-tun-ab");
        bToA = new ImpairedDirection("b->a", profile, randoms[1], 0, "linkem-tun-ba");
        teardowns.push(aToB::close);
        teardowns.push(bToA::close);
        aToB.start();
        bToA.start();
        startReader(deviceA, aToB, deviceB);
        startReader(deviceB, bToA, deviceA);
        teardowns.push(this::stopReaders);
    }

    private void createNamespace(String namespace) throws IOException {
        if (IpCommand.namespaceExists(namespace)) {
            throw new IOException("network namespace " + namespace + " already exists; if it is a leftover, remove it"
                    + " with: linkem tun-cleanup --ns-a " + config.namespaceA() + " --ns-b " + config.namespaceB());
        }
        IpCommand.run("netns", "add", namespace);
        teardowns.push(() -> IpCommand.run("netns", "del", namespace));
    }

    private TunDevice openDevice(String name) throws IOException {
        TunDevice device = TunDevice.open(name);
        teardowns.push(device::close);
        return device;
    }

    /** Moves the device into its namespace, then addresses it as a point-to-point link and brings it up. */
    private void configureEnd(TunDevice device, String namespace, String local, String peer) throws IOException {
        String dev = device.name();
        IpCommand.run("link", "set", "dev", dev, "netns", namespace);
        IpCommand.run("-n", namespace, "link", "set", "dev", "lo", "up");
        try {
            // No IPv6 link-local address: no router solicitations or MLD reports on the emulated link.
            IpCommand.run("-n", namespace, "link", "set", "dev", dev, "addrgenmode", "none");
        } catch (IOException e) {
            LOG.info("IPv6 address generation left on for {} (harmless, a few extra packets): {}", dev, e.getMessage());
        }
        IpCommand.run("-n", namespace, "addr", "add", local, "peer", peer, "dev", dev);
        IpCommand.run("-n", namespace, "link", "set", "dev", dev, "up");
        String route = IpCommand.run("-n", namespace, "route", "get", peer);
        if (!route.contains("dev " + dev)) {
            throw new IOException("in " + namespace + ", " + peer + " is not routed through " + dev + ": " + route);
        }
    }

    private void startReader(TunDevice from, ImpairedDirection direction, TunDevice to) {
        PacketSink sink = to::write;
        Thread reader = new Thread(() -> forward(from, direction, sink), from.name() + "-rx");
        reader.setDaemon(true);
        readers.add(reader);
        reader.start();
    }

    private void forward(TunDevice from, ImpairedDirection direction, PacketSink sink) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(LinkDefaults.MAX_PACKET_BYTES);
        try {
            while (!closing) {
                if (from.read(buffer) > 0) {
                    direction.offer(buffer, sink);
                } else {
                    from.awaitReadable(LinkDefaults.TUN_POLL_TIMEOUT_MILLIS);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failure = e;
                LOG.error("TUN link: reading from {} failed; forwarding stopped", from.name(), e);
                terminated.countDown();
            }
        }
    }

    private void stopReaders() throws IOException {
        closing = true;
        for (Thread reader : readers) {
            try {
                reader.join(LinkDefaults.THREAD_JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping " + reader.getName(), e);
            }
            if (reader.isAlive()) {
                throw new IOException(reader.getName() + " did not stop within " + LinkDefaults.THREAD_JOIN_TIMEOUT);
            }
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM already shutting down; its hook cleans up: {}", e.toString());
        }
    }

    private void closeFromShutdownHook() {
        try {
            close();
        } catch (IOException e) {
            LOG.error("TUN link clean-up at shutdown failed; run: linkem tun-cleanup --ns-a {} --ns-b {}",
                    config.namespaceA(), config.namespaceB(), e);
        }
    }
}
