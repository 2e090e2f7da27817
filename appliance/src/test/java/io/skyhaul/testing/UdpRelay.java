package io.skyhaul.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay of our own between a client and a node on loopback: the client talks to the
 * relay, the relay talks to the node from one socket of its own, so datagrams the test injects
 * through {@link Link#toNode} come from the session's peer address. Every client datagram goes
 * through a {@link Tap}, which decides what reaches the node (the original, copies, forgeries).
 */
public final class UdpRelay implements AutoCloseable {
    /** What the tap may send. */
    public interface Link {
        /** Sends bytes to the node from the relay's node-facing socket (the session's peer address). */
        void toNode(byte[] datagram) throws IOException;
    }

    /** Sees each client-to-node datagram (a copy the tap may keep), numbered from 0. */
    @FunctionalInterface
    public interface Tap {
        void clientDatagram(long index, byte[] datagram, Link link) throws IOException;
    }

    /** Forwards every datagram as it is. */
    public static final Tap FORWARD = (index, datagram, link) -> link.toNode(datagram);

    private static final int MAX_DATAGRAM = 65_535;
    private static final int SOCKET_BUFFER = 4 << 20;

    private final DatagramSocket clientSide;
    private final DatagramSocket nodeSide;
    private final InetSocketAddress node;
    private final Tap tap;
    private final Thread up;
    private final Thread down;
    private final AtomicLong fromClient = new AtomicLong();
    private final AtomicLong fromNode = new AtomicLong();
    private volatile SocketAddress client;
    private volatile boolean closed;
    private volatile Throwable failure;

    public UdpRelay(InetSocketAddress node, Tap tap) throws SocketException {
        this.node = node;
        this.tap = tap;
        this.clientSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.nodeSide = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        for (DatagramSocket s : new DatagramSocket[] {clientSide, nodeSide}) {
            s.setReceiveBufferSize(SOCKET_BUFFER);
            s.setSendBufferSize(SOCKET_BUFFER);
            s.setSoTimeout(100);
        }
        this.up = new Thread(this::clientToNode, "test-relay-up");
        this.down = new Thread(this::nodeToClient, "test-relay-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
    }

    /** Where the client should send. */
    public InetSocketAddress address() {
        return (InetSocketAddress) clientSide.getLocalSocketAddress();
    }

    /** The relay's node-facing address: the node sees the session's peer here. */
    public InetSocketAddress peerAddress() {
        return (InetSocketAddress) nodeSide.getLocalSocketAddress();
    }

    public long datagramsFromClient() {
        return fromClient.get();
    }

    public long datagramsFromNode() {
        return fromNode.get();
    }

    /** The exception that stopped a relay thread, or null. */
    public Throwable failure() {
        return failure;
    }

    private void clientToNode() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        Link link = datagram -> nodeSide.send(new DatagramPacket(datagram, datagram.length, node));
        while (!closed) {
            try {
                in.setLength(buffer.length);
                clientSide.receive(in);
                client = in.getSocketAddress();
                tap.clientDatagram(fromClient.getAndIncrement(), Arrays.copyOf(buffer, in.getLength()), link);
            } catch (SocketTimeoutException e) {
                // Look at the closed flag again.
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failure = e;
                }
                return;
            }
        }
    }

    private void nodeToClient() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                in.setLength(buffer.length);
                nodeSide.receive(in);
                fromNode.incrementAndGet();
                SocketAddress c = client;
                if (c != null) {
                    clientSide.send(new DatagramPacket(buffer, in.getLength(), c));
                }
            } catch (SocketTimeoutException e) {
                // Look at the closed flag again.
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failure = e;
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            up.join(2000);
            down.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clientSide.close();
            nodeSide.close();
        }
    }
}
