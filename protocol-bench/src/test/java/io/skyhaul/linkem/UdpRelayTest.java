package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.linkem.LoopbackPeers.Arrival;
import io.skyhaul.linkem.LoopbackPeers.Echo;
import io.skyhaul.linkem.LoopbackPeers.Sink;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay with real UDP sockets on loopback. Timing tolerances are generous: the machine is
 * shared and noisy, and what matters is that the effect is there at about the right size.
 */
@Timeout(30)
class UdpRelayTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void roundTripTakesTwiceTheOneWayDelay() throws Exception {
        LinkProfile profile = LinkProfile.builder().delayMillis(20).build();
        try (Echo echo = new Echo(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, echo.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            long[] rtts = new long[7];
            ByteBuffer reply = ByteBuffer.allocate(100);
            for (int i = 0; i < rtts.length; i++) {
                long start = System.nanoTime();
                client.send(LoopbackPeers.datagram(i, 64), relay.listenAddress());
                reply.clear();
                client.receive(reply);
                rtts[i] = System.nanoTime() - start;
                assertEquals(i, reply.getLong(0), "echo of datagram " + i);
            }
            Arrays.sort(rtts);
            assertTrue(rtts[0] >= Duration.ofMillis(40).toNanos(), "RTT below 2 x 20 ms: " + rtts[0] / 1e6 + " ms");
            assertTrue(rtts[rtts.length / 2] < Duration.ofMillis(70).toNanos(),
                    "median RTT far above 40 ms: " + rtts[rtts.length / 2] / 1e6 + " ms");
            assertEquals(rtts.length, awaitForwardedSettles(relay).forwarded());
            // The echo can reach the client before the relay's delivery thread counts it.
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (relay.stats().reverse().forwarded() < rtts.length && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(rtts.length, relay.stats().reverse().forwarded());
        }
    }

    @Test
    void burstDrainsAtTheBottleneckRate() throws Exception {
        long rate = 20_000_000;
        int count = 200;
        int size = 1000;
        LinkProfile profile = LinkProfile.builder().rateBitsPerSecond(rate).queueBytes(1 << 20).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, size, 0);
            assertEquals(count, sink.awaitCount(count, 1_000), "all datagrams fit the queue and arrive");
            List<Arrival> arrivals = sink.arrivals();
            double drainMillis = (arrivals.get(count - 1).nanos() - arrivals.get(0).nanos()) / 1e6;
            double expectedMillis = (count - 1) * (size + UdpRelay.IPV4_UDP_OVERHEAD_BYTES) * 8.0 / rate * 1000;
            assertTrue(drainMillis > expectedMillis * 0.8 && drainMillis < expectedMillis * 1.5,
                    "drain took " + drainMillis + " ms, expected about " + expectedMillis + " ms");
            assertEquals(0, relay.stats().forward().droppedQueue());
        }
    }

    @Test
    void fullQueueDropsTheTailAndCountsIt() throws Exception {
        int count = 400;
        int size = 1000;
        int queue = 64 * 1024;
        LinkProfile profile = LinkProfile.builder().rateBitsPerSecond(10_000_000).queueBytes(queue).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, size, 0);
            int arrived = sink.awaitCount(count, 500);
            DirectionStats stats = relay.stats().forward();
            assertEquals(count, stats.received());
            assertTrue(stats.droppedQueue() > count / 2, "queue drops: " + stats.summary());
            assertTrue(stats.forwarded() >= queue / (size + UdpRelay.IPV4_UDP_OVERHEAD_BYTES),
                    "at least a full queue is forwarded: " + stats.summary());
            assertEquals(count, stats.forwarded() + stats.droppedQueue(), stats.summary());
            assertEquals(stats.forwarded(), arrived, "the sink got exactly what was forwarded");
        }
    }

    @Test
    void randomLossIsNearTheConfiguredRateAndCounted() throws Exception {
        int count = 5000;
        LinkProfile profile = LinkProfile.builder().lossProbability(0.10).seed(7).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, 100, 250);
            DirectionStats stats = awaitForwardedSettles(relay);
            int arrived = sink.awaitCount((int) stats.forwarded(), 500);
            assertEquals(count, stats.received());
            // Expected 500 lost, standard deviation about 21: 7 sigma either side.
            assertTrue(stats.droppedLoss() > 350 && stats.droppedLoss() < 650, stats.summary());
            assertEquals(count - stats.droppedLoss(), stats.forwarded());
            assertEquals(stats.forwarded(), arrived);
        }
    }

    @Test
    void sameSeedLosesTheSamePackets() throws Exception {
        LinkProfile profile = LinkProfile.builder().lossProbability(0.3).seed(42).build();
        assertEquals(lostSequences(profile, 600), lostSequences(profile, 600));
    }

    @Test
    void duplicationDeliversExtraCopies() throws Exception {
        int count = 2000;
        LinkProfile profile = LinkProfile.builder().duplicateProbability(0.2).seed(3).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, 100, 200);
            DirectionStats stats = awaitForwardedSettles(relay);
            int arrived = sink.awaitCount((int) stats.forwarded(), 500);
            assertTrue(stats.duplicated() > 300 && stats.duplicated() < 500, stats.summary());
            assertEquals(count + stats.duplicated(), arrived);
            Set<Long> distinct = new HashSet<>();
            sink.arrivals().forEach(a -> distinct.add(a.sequence()));
            assertEquals(count, distinct.size(), "every datagram arrives, some twice");
        }
    }

    @Test
    void reorderedPacketsAreOvertakenByLaterOnes() throws Exception {
        int count = 2000;
        LinkProfile profile = LinkProfile.builder().reorderProbability(0.2).reorderDelayNanos(5_000_000).seed(5).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, 100, 200);
            assertEquals(count, sink.awaitCount(count, 500));
            DirectionStats stats = relay.stats().forward();
            assertTrue(stats.reordered() > 300 && stats.reordered() < 500, stats.summary());
            long overtaken = overtakenCount(sink.arrivals());
            assertTrue(overtaken > 100, "datagrams arriving after a later one: " + overtaken);
        }
    }

    @Test
    void jitterAloneNeverReorders() throws Exception {
        int count = 1000;
        LinkProfile profile = LinkProfile.builder().delayMillis(5).jitterNanos(4_000_000).seed(11).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, 100, 50);
            assertEquals(count, sink.awaitCount(count, 500));
            assertEquals(0, overtakenCount(sink.arrivals()));
        }
    }

    @Test
    void twoClientsShareOneBottleneck() throws Exception {
        long rate = 20_000_000;
        int perClient = 250;
        int size = 1000;
        LinkProfile profile = LinkProfile.builder().rateBitsPerSecond(rate).queueBytes(2 << 20).build();
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel first = LoopbackPeers.client(); DatagramChannel second = LoopbackPeers.client()) {
            Thread other = new Thread(() -> sendQuietly(second, relay.listenAddress(), perClient, size));
            other.start();
            LoopbackPeers.sendNumbered(first, relay.listenAddress(), perClient, size, 0);
            other.join();
            assertEquals(2 * perClient, sink.awaitCount(2 * perClient, 1_000));
            List<Arrival> arrivals = sink.arrivals();
            double drainMillis = (arrivals.get(arrivals.size() - 1).nanos() - arrivals.get(0).nanos()) / 1e6;
            double sharedMillis = (2 * perClient - 1) * (size + UdpRelay.IPV4_UDP_OVERHEAD_BYTES) * 8.0 / rate * 1000;
            // Separate bottlenecks would drain both in half the time.
            assertTrue(drainMillis > sharedMillis * 0.8, "drain " + drainMillis + " ms, shared link needs "
                    + sharedMillis + " ms");
            Map<SocketAddress, Integer> perSource = new HashMap<>();
            arrivals.forEach(a -> perSource.merge(a.from(), 1, Integer::sum));
            assertEquals(2, perSource.size(), "one upstream socket per client: " + perSource);
            perSource.values().forEach(n -> assertEquals(perClient, n));
            assertEquals(2, relay.clientCount());
        }
    }

    @Test
    void repliesGoBackToTheClientThatSent() throws Exception {
        try (Echo echo = new Echo();
             UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, echo.address(), LinkProfile.unimpaired());
             DatagramChannel first = LoopbackPeers.client(); DatagramChannel second = LoopbackPeers.client()) {
            for (int i = 0; i < 20; i++) {
                first.send(LoopbackPeers.datagram(1000 + i, 32), relay.listenAddress());
                second.send(LoopbackPeers.datagram(2000 + i, 32), relay.listenAddress());
            }
            ByteBuffer reply = ByteBuffer.allocate(64);
            for (int i = 0; i < 20; i++) {
                reply.clear();
                first.receive(reply);
                long a = reply.getLong(0);
                reply.clear();
                second.receive(reply);
                long b = reply.getLong(0);
                assertTrue(a >= 1000 && a < 1020, "first client got " + a);
                assertTrue(b >= 2000 && b < 2020, "second client got " + b);
            }
        }
    }

    @Test
    void closeReleasesThePortAndStopsEveryThread() throws Exception {
        InetSocketAddress listen;
        UdpRelay relay;
        try (Echo echo = new Echo(); DatagramChannel client = LoopbackPeers.client()) {
            relay = UdpRelay.start(ANY_LOOPBACK_PORT, echo.address(), LinkProfile.builder().delayMillis(1).build());
            listen = relay.listenAddress();
            client.send(LoopbackPeers.datagram(1, 32), listen);
            client.receive(ByteBuffer.allocate(64));
            assertTrue(relay.hasLiveThreads());
            relay.close();
        }
        assertFalse(relay.hasLiveThreads(), "relay threads still running after close()");
        String prefix = "linkem-" + listen.getPort() + "-";
        List<String> leftovers = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .forEach(t -> leftovers.add(t.getName()));
        assertEquals(List.of(), leftovers);
        try (DatagramChannel rebound = DatagramChannel.open()) {
            rebound.bind(listen);
            assertEquals(listen, rebound.getLocalAddress());
        }
        relay.close();
    }

    private static Set<Long> lostSequences(LinkProfile profile, int count) throws Exception {
        try (Sink sink = new Sink(); UdpRelay relay = UdpRelay.start(ANY_LOOPBACK_PORT, sink.address(), profile);
             DatagramChannel client = LoopbackPeers.client()) {
            LoopbackPeers.sendNumbered(client, relay.listenAddress(), count, 64, 100);
            DirectionStats stats = awaitForwardedSettles(relay);
            assertEquals(stats.forwarded(), sink.awaitCount((int) stats.forwarded(), 500));
            Set<Long> lost = new TreeSet<>();
            for (long i = 0; i < count; i++) {
                lost.add(i);
            }
            sink.arrivals().forEach(a -> lost.remove(a.sequence()));
            assertEquals(stats.droppedLoss(), lost.size());
            return lost;
        }
    }

    /** Number of datagrams that arrived after a datagram sent later than them. */
    private static long overtakenCount(List<Arrival> arrivals) {
        long highest = -1;
        long overtaken = 0;
        for (Arrival a : arrivals) {
            if (a.sequence() < highest) {
                overtaken++;
            }
            highest = Math.max(highest, a.sequence());
        }
        return overtaken;
    }

    /** Waits until the relay has received, and stopped forwarding, everything sent. */
    private static DirectionStats awaitForwardedSettles(UdpRelay relay) throws InterruptedException {
        DirectionStats previous = relay.stats().forward();
        for (int i = 0; i < 100; i++) {
            Thread.sleep(50);
            DirectionStats now = relay.stats().forward();
            if (now.equals(previous) && now.received() > 0) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private static void sendQuietly(DatagramChannel client, SocketAddress to, int count, int size) {
        try {
            LoopbackPeers.sendNumbered(client, to, count, size, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
