package io.skyhaul.linkem;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP relay that impairs traffic between its clients and one target as a long, lossy link
 * would: clients send to {@link #listenAddress()}, the relay forwards each client's datagrams to
 * the target from a per-client socket and returns the target's replies to that client.
 *
 * <p>The bottleneck counts each datagram with its IP and UDP headers, as a real link does, so
 * {@code --rate 200m} carries slightly less than 200 Mbit/s of datagram payload (about 98% with
 * 1,400-byte datagrams) and the same rate means the same capacity in TUN mode, which sees whole
 * IP packets. The byte counters report payload bytes.
 *
 * <p>All clients share one {@link ImpairedDirection} per direction, so two transfer sessions
 * through one relay compete for the same bottleneck rate and queue. Threads, named after the
 * listening port: {@code linkem-PORT-rx} receives from clients, {@code linkem-PORT-cCLIENTPORT}
 * receives from the target for one client, {@code linkem-PORT-fwd} and {@code -rev} deliver.
 *
 * <pre>{@code
 * try (UdpRelay relay = UdpRelay.start(new InetSocketAddress("127.0.0.1", 0), server,
 *         LinkProfile.builder().delayMillis(25).lossProbability(0.01).rateBitsPerSecond(200_000_000).build())) {
 *     client.send(datagram, relay.listenAddress());
 * }
 * }</pre>
 */
public final class UdpRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);
    private static final long IDLE_SCAN_INTERVAL_NANOS = 1_000_000_000L;

    /** IPv4 (20) plus UDP (8) header bytes, which a real link carries with every datagram. */
    public static final int IPV4_UDP_OVERHEAD_BYTES = 28;
    /** IPv6 (40) plus UDP (8) header bytes. */
    public static final int IPV6_UDP_OVERHEAD_BYTES = 48;

    private final InetSocketAddress listenAddress;
    private final InetSocketAddress target;
    private final LinkProfile profile;
    private final DatagramChannel listen;
    private final ImpairedDirection forward;
    private final ImpairedDirection reverse;
    private final Map<SocketAddress, RelayFlow> flows = new ConcurrentHashMap<>();
    private final List<RelayFlow> retiredFlows = new ArrayList<>();
    private final AtomicLong rejectedClients = new AtomicLong();
    private final Thread receiver;
    private final String threadPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UdpRelay(DatagramChannel listen, InetSocketAddress target, LinkProfile profile) throws IOException {
        this.listen = listen;
        this.listenAddress = (InetSocketAddress) listen.getLocalAddress();
        this.target = target;
        this.profile = profile;
        // Short names: Linux shows only 15 characters in top -H and /proc.
        this.threadPrefix = "linkem-" + listenAddress.getPort();
        SplittableRandom[] randoms = profile.directionRandoms();
        int overhead = target.getAddress() instanceof Inet6Address ? IPV6_UDP_OVERHEAD_BYTES : IPV4_UDP_OVERHEAD_BYTES;
        this.forward = new ImpairedDirection("client->target", profile, randoms[0], overhead, threadPrefix + "-fwd");
        this.reverse = new ImpairedDirection("target->client", profile, randoms[1], overhead, threadPrefix + "-rev");
        this.receiver = new Thread(this::receiveFromClients, threadPrefix + "-rx");
        this.receiver.setDaemon(true);
    }

    /**
     * Binds the client-facing socket and starts relaying.
     *
     * @param listen  where clients send; port 0 picks a free port, see {@link #listenAddress()}
     * @param target  where datagrams are forwarded
     * @param profile the impairments, applied to each direction
     */
    public static UdpRelay start(InetSocketAddress listen, InetSocketAddress target, LinkProfile profile)
            throws IOException {
        if (target.isUnresolved()) {
            throw new IOException("cannot resolve target " + target);
        }
        DatagramChannel channel = DatagramChannel.open();
        UdpRelay relay;
        try {
            SocketBuffers.enlarge(channel, "relay " + listen, true);
            channel.bind(listen);
            relay = new UdpRelay(channel, target, profile);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        relay.forward.start();
        relay.reverse.start();
        relay.receiver.start();
        LOG.info("relay {} -> {} started: {}", relay.listenAddress, target, profile);
        return relay;
    }

    /** The bound client-facing address (with the actual port if 0 was asked for). */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    public InetSocketAddress targetAddress() {
        return target;
    }

    public LinkProfile profile() {
        return profile;
    }

    /** Counters: {@code forward} is client to target, {@code reverse} target to client. */
    public LinkStats stats() {
        return new LinkStats(forward.stats(), reverse.stats());
    }

    /** Clients currently tracked (each has its own upstream socket). */
    public int clientCount() {
        return flows.size();
    }

    /** Datagrams dropped because {@link LinkDefaults#MAX_CLIENT_FLOWS} clients were already tracked. */
    public long rejectedClientDatagrams() {
        return rejectedClients.get();
    }

    /** Stops every thread, closes every socket and discards packets still in flight. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        forward.close();
        reverse.close();
        try {
            listen.close();
        } catch (IOException e) {
            LOG.warn("closing relay socket {}: {}", listenAddress, e.toString());
        }
        boolean interrupted = false;
        try {
            receiver.join(LinkDefaults.THREAD_JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<RelayFlow> all = new ArrayList<>(flows.values());
        synchronized (retiredFlows) {
            all.addAll(retiredFlows);
        }
        all.forEach(RelayFlow::close);
        for (RelayFlow flow : all) {
            try {
                flow.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        flows.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("relay {} -> {} closed: {}", listenAddress, target, stats().summary());
    }

    /** True while any of this relay's threads still runs; false once {@link #close()} returned. */
    public boolean hasLiveThreads() {
        if (receiver.isAlive() || forward.isDeliveryThreadAlive() || reverse.isDeliveryThreadAlive()) {
            return true;
        }
        synchronized (retiredFlows) {
            if (retiredFlows.stream().anyMatch(RelayFlow::isReceiverAlive)) {
                return true;
            }
        }
        return flows.values().stream().anyMatch(RelayFlow::isReceiverAlive);
    }

    private void receiveFromClients() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(LinkDefaults.MAX_PACKET_BYTES);
        SocketAddress lastSource = null;
        RelayFlow lastFlow = null;
        long nextIdleScan = System.nanoTime() + IDLE_SCAN_INTERVAL_NANOS;
        while (!closed.get()) {
            buffer.clear();
            SocketAddress source;
            try {
                source = listen.receive(buffer);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                LOG.warn("relay {}: receive failed, continuing: {}", listenAddress, e.toString());
                continue;
            }
            buffer.flip();
            // The JDK hands back the same address object for consecutive datagrams from one sender.
            RelayFlow flow = source == lastSource && lastFlow != null ? lastFlow : flowFor(source);
            if (flow == null) {
                rejectedClients.incrementAndGet();
                continue;
            }
            lastSource = source;
            lastFlow = flow;
            flow.touch();
            forward.offer(buffer, flow.toTarget);
            long now = System.nanoTime();
            if (now - nextIdleScan >= 0) {
                nextIdleScan = now + IDLE_SCAN_INTERVAL_NANOS;
                if (closeIdleFlows(now)) {
                    lastSource = null;
                    lastFlow = null;
                }
            }
        }
    }

    private RelayFlow flowFor(SocketAddress source) {
        RelayFlow flow = flows.get(source);
        if (flow != null) {
            return flow;
        }
        if (flows.size() >= LinkDefaults.MAX_CLIENT_FLOWS) {
            if (rejectedClients.get() == 0) {
                LOG.warn("relay {}: {} clients already tracked; dropping datagrams from new client {}", listenAddress,
                        LinkDefaults.MAX_CLIENT_FLOWS, source);
            }
            return null;
        }
        InetSocketAddress client = (InetSocketAddress) source;
        try {
            flow = RelayFlow.open(client, target, listen, reverse, threadPrefix + "-c" + client.getPort());
        } catch (IOException e) {
            LOG.error("relay {}: cannot open upstream socket for client {}", listenAddress, client, e);
            return null;
        }
        flows.put(source, flow);
        LOG.info("relay {}: new client {} (clients: {})", listenAddress, client, flows.size());
        return flow;
    }

    /** @return true if any flow was closed */
    private boolean closeIdleFlows(long now) {
        long cutoff = now - LinkDefaults.CLIENT_IDLE_TIMEOUT.toNanos();
        boolean any = false;
        for (RelayFlow flow : flows.values()) {
            if (flow.idleSince(cutoff)) {
                flows.remove(flow.client);
                flow.close();
                synchronized (retiredFlows) {
                    retiredFlows.removeIf(f -> !f.isReceiverAlive());
                    retiredFlows.add(flow);
                }
                any = true;
                LOG.info("relay {}: client {} idle for {}, flow closed", listenAddress, flow.client,
                        LinkDefaults.CLIENT_IDLE_TIMEOUT);
            }
        }
        return any;
    }
}
