package io.skyhaul.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP forwarder for one client that drops the tail of an upload: the first {@code drops} DATA
 * datagrams shorter than a full one that come after the first full one. A transfer's last DATA
 * datagram is short (the file's remainder), and the sender resends the same range when it is
 * lost, so this loses the last packet and its first retransmission: nothing later arrives to
 * reveal the loss, and only the sender's probe timeout (with its back-off) can recover it. The
 * packet type is the only field it reads, from the cleartext header.
 */
final class TailDropProxy implements AutoCloseable {
    private static final int TYPE_OFFSET = 1;
    private static final byte DATA = 4;
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final int fullDatagram;
    private final int drops;
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread toTarget;
    private final Thread toClient;
    private volatile SocketAddress client;
    private volatile boolean sawFullData;

    TailDropProxy(InetSocketAddress target, int fullDatagram, int drops) throws IOException {
        this.fullDatagram = fullDatagram;
        this.drops = drops;
        this.front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.back = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)).connect(target);
        this.toTarget = new Thread(this::forwardToTarget, "taildrop-fwd");
        this.toClient = new Thread(this::forwardToClient, "taildrop-rev");
        toTarget.setDaemon(true);
        toClient.setDaemon(true);
        toTarget.start();
        toClient.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** Datagrams dropped so far. */
    int dropped() {
        return dropped.get();
    }

    private void forwardToTarget() {
        ByteBuffer b = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (true) {
                b.clear();
                client = front.receive(b);
                b.flip();
                if (isTail(b)) {
                    dropped.incrementAndGet();
                    continue;
                }
                back.write(b);
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean isTail(ByteBuffer datagram) {
        if (datagram.remaining() <= TYPE_OFFSET || datagram.get(TYPE_OFFSET) != DATA) {
            return false;
        }
        if (datagram.remaining() >= fullDatagram) {
            sawFullData = true;
            return false;
        }
        return sawFullData && dropped.get() < drops;
    }

    private void forwardToClient() {
        ByteBuffer b = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (true) {
                b.clear();
                back.receive(b);
                b.flip();
                SocketAddress c = client;
                if (c != null) {
                    front.send(b, c);
                }
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        front.close();
        back.close();
        try {
            toTarget.join(5000);
            toClient.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
