package io.skyhaul.linkem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real UDP endpoints on 127.0.0.1 for the relay tests: an echo server, a recording sink, clients. */
final class LoopbackPeers {

    static final int BUFFER_BYTES = 4 * 1024 * 1024;

    private LoopbackPeers() {
    }

    static DatagramChannel client() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }

    /** A datagram whose first 8 bytes carry a sequence number. */
    static ByteBuffer datagram(long sequence, int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putLong(0, sequence);
        return buffer;
    }

    /** Sends {@code count} numbered datagrams, pausing briefly every {@code burst} so no socket overflows. */
    static void sendNumbered(DatagramChannel client, SocketAddress to, int count, int size, int burst)
            throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            client.send(datagram(i, size), to);
            if (burst > 0 && (i + 1) % burst == 0) {
                Thread.sleep(2);
            }
        }
    }

    /** Echoes every datagram back to its sender. */
    static final class Echo implements AutoCloseable {
        final DatagramChannel channel;
        private final Thread thread;

        Echo() throws IOException {
            channel = client();
            thread = new Thread(this::run, "test-echo");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    buffer.flip();
                    channel.send(buffer, from);
                }
            } catch (ClosedChannelException e) {
                // closed by the test: done
            } catch (IOException e) {
                throw new IllegalStateException("echo failed", e);
            }
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join(5_000);
        }
    }

    /** One datagram as the sink saw it. */
    record Arrival(long sequence, long nanos, SocketAddress from, int size) {
    }

    /** Records every datagram it receives with its arrival time. */
    static final class Sink implements AutoCloseable {
        final DatagramChannel channel;
        private final List<Arrival> arrivals = new ArrayList<>();
        private final Thread thread;

        Sink() throws IOException {
            channel = client();
            thread = new Thread(this::run, "test-sink");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        synchronized List<Arrival> arrivals() {
            return new ArrayList<>(arrivals);
        }

        synchronized int count() {
            return arrivals.size();
        }

        /** Waits until {@code expected} datagrams arrived, or the count stayed put for {@code quietMillis}. */
        int awaitCount(int expected, long quietMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int last = -1;
            long lastChange = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int now = count();
                if (now >= expected) {
                    return now;
                }
                if (now != last) {
                    last = now;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                    return now;
                }
                Thread.sleep(5);
            }
            return count();
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    long now = System.nanoTime();
                    buffer.flip();
                    long sequence = buffer.remaining() >= 8 ? buffer.getLong(0) : -1;
                    synchronized (this) {
                        arrivals.add(new Arrival(sequence, now, from, buffer.remaining()));
                    }
                }
            } catch (ClosedChannelException e) {
                // closed by the test: done
            } catch (IOException e) {
                throw new IllegalStateException("sink failed", e);
            }
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join(5_000);
        }
    }
}
