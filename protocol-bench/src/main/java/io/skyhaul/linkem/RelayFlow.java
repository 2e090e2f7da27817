package io.skyhaul.linkem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a {@link UdpRelay}, NAT style: its own upstream socket, connected to the target,
 * so the target sees one distinct source port per client and its replies come back on the socket
 * that knows which client to return them to.
 */
final class RelayFlow implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayFlow.class);

    final InetSocketAddress client;
    final PacketSink toTarget;
    final PacketSink toClient;
    private final DatagramChannel upstream;
    private final ImpairedDirection reverse;
    private final Thread receiver;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean closed;

    /**
     * Opens the upstream socket and starts its receive thread.
     *
     * @param listen  the relay's client-facing socket, used to send replies back to this client
     * @param reverse the target-to-client direction shared by all flows
     */
    static RelayFlow open(InetSocketAddress client, InetSocketAddress target, DatagramChannel listen,
                          ImpairedDirection reverse, String threadName) throws IOException {
        DatagramChannel upstream = DatagramChannel.open();
        try {
            SocketBuffers.enlarge(upstream, threadName, false);
            if (target.getAddress().isLoopbackAddress()) {
                // Keep loopback traffic on loopback: no wildcard bind for a local target.
                upstream.bind(new InetSocketAddress(target.getAddress(), 0));
            }
            upstream.connect(target);
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
        RelayFlow flow = new RelayFlow(client, upstream, listen, reverse, threadName);
        flow.receiver.start();
        return flow;
    }

    private RelayFlow(InetSocketAddress client, DatagramChannel upstream, DatagramChannel listen,
                      ImpairedDirection reverse, String threadName) {
        this.client = client;
        this.upstream = upstream;
        this.reverse = reverse;
        this.toTarget = upstream::write;
        this.toClient = buffer -> listen.send(buffer, client);
        this.receiver = new Thread(this::receiveFromTarget, threadName);
        this.receiver.setDaemon(true);
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    boolean idleSince(long cutoffNanos) {
        return lastActivityNanos - cutoffNanos < 0;
    }

    InetSocketAddress upstreamAddress() throws IOException {
        return (InetSocketAddress) upstream.getLocalAddress();
    }

    @Override
    public void close() {
        closed = true;
        try {
            upstream.close();
        } catch (IOException e) {
            LOG.warn("closing upstream socket of client {}: {}", client, e.toString());
        }
    }

    /** Waits for the receive thread after {@link #close()}. */
    void join() throws InterruptedException {
        receiver.join(LinkDefaults.THREAD_JOIN_TIMEOUT.toMillis());
        if (receiver.isAlive()) {
            LOG.warn("receive thread {} did not stop within {}", receiver.getName(), LinkDefaults.THREAD_JOIN_TIMEOUT);
        }
    }

    boolean isReceiverAlive() {
        return receiver.isAlive();
    }

    private void receiveFromTarget() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(LinkDefaults.MAX_PACKET_BYTES);
        long unreachable = 0;
        while (!closed) {
            buffer.clear();
            try {
                upstream.read(buffer);
            } catch (PortUnreachableException e) {
                // The target is not listening (yet); the ICMP error surfaces here. Keep relaying.
                if (unreachable++ == 0) {
                    LOG.warn("target {} unreachable from client {}'s flow: {}", upstreamTarget(), client, e.toString());
                }
                continue;
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("receiving from target for client {} failed; flow stops", client, e);
                }
                break;
            }
            buffer.flip();
            touch();
            reverse.offer(buffer, toClient);
        }
    }

    private Object upstreamTarget() {
        try {
            return upstream.getRemoteAddress();
        } catch (IOException e) {
            return "(unknown: " + e + ")";
        }
    }
}
