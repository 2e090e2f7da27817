package io.skyhaul.linkem;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the emulator's own maximum forwarding rate: bounded loopback traffic through an
 * unimpaired {@link UdpRelay}, so benchmarks know the rate above which the emulator, not the
 * protocol, is the bottleneck. Prints datagrams/s and Mbit/s of payload forwarded.
 *
 * <p>The sender keeps at most a window of datagrams in flight (sent, not yet received), so the
 * figure is the lossless rate rather than how fast the kernel can discard an overflowing
 * socket buffer. Sender, relay and receiver share the machine's cores, as they do in a bench.
 *
 * <p>Usage: {@code RelayThroughputProbe [DATAGRAMS [SIZE [SECONDS]]]}, defaults 200000 1400 30.
 */
public final class RelayThroughputProbe {

    private static final int DEFAULT_DATAGRAMS = 200_000;
    private static final int DEFAULT_SIZE = 1400;
    private static final int DEFAULT_SECONDS = 30;
    private static final int WARM_UP_DATAGRAMS = 20_000;
    private static final long WINDOW = 1024;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private RelayThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        CliLogging.configure(false);
        int datagrams = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_DATAGRAMS;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_SIZE;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_SECONDS;
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        try (DatagramChannel sink = open(loopback); DatagramChannel client = open(loopback)) {
            AtomicLong received = new AtomicLong();
            Thread receiver = new Thread(() -> count(sink, received), "probe-sink");
            receiver.setDaemon(true);
            receiver.start();
            try (UdpRelay relay = UdpRelay.start(loopback, (InetSocketAddress) sink.getLocalAddress(),
                    LinkProfile.unimpaired())) {
                client.connect(relay.listenAddress());
                run(client, received, WARM_UP_DATAGRAMS, size, seconds);
                Result result = run(client, received, datagrams, size, seconds);
                System.out.println(result.report(size));
                System.out.println("relay counters: " + relay.stats().summary());
            }
        }
    }

    private record Result(long sent, long received, long nanos, long cpuNanos, boolean timedOut) {
        String report(int size) {
            double seconds = nanos / 1e9;
            return String.format(Locale.ROOT, "forwarded %d of %d datagrams of %d B in %.2f s%s: %.0f datagrams/s,"
                            + " %.0f Mbit/s payload; process CPU %.0f%% of one core (%d cores)",
                    received, sent, size, seconds, timedOut ? " (time limit hit)" : "", received / seconds,
                    received * size * 8 / seconds / 1e6, 100.0 * cpuNanos / nanos,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private static Result run(DatagramChannel client, AtomicLong received, int datagrams, int size, int seconds)
            throws IOException {
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        long base = received.get();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        long lastProgress = start;
        long lastSeen = base;
        boolean timedOut = false;
        while (sent < datagrams) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                timedOut = true;
                break;
            }
            long inFlight = sent - (received.get() - base);
            if (inFlight >= WINDOW) {
                long seen = received.get();
                if (seen != lastSeen) {
                    lastSeen = seen;
                    lastProgress = now;
                } else if (now - lastProgress > STALL_NANOS) {
                    // Datagrams lost in a full socket buffer never arrive: stop waiting for them.
                    base -= inFlight;
                    lastProgress = now;
                }
                LockSupport.parkNanos(20_000);
                continue;
            }
            payload.clear();
            payload.putLong(0, sent);
            client.write(payload);
            sent++;
        }
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long target = received.get() - base;
        while (target < sent && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(100_000);
            target = received.get() - base;
        }
        long end = System.nanoTime();
        long forwarded = Math.min(sent, received.get() - base);
        return new Result(sent, forwarded, end - start, processCpuNanos() - cpuStart, timedOut);
    }

    private static DatagramChannel open(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, LinkDefaults.SOCKET_BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, LinkDefaults.SOCKET_BUFFER_BYTES);
        channel.bind(address);
        return channel;
    }

    private static void count(DatagramChannel sink, AtomicLong received) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(LinkDefaults.MAX_PACKET_BYTES);
        try {
            while (true) {
                buffer.clear();
                sink.receive(buffer);
                received.incrementAndGet();
            }
        } catch (ClosedChannelException e) {
            // the probe is over
        } catch (IOException e) {
            throw new IllegalStateException("probe receiver failed", e);
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
