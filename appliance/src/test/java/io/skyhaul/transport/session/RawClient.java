package io.skyhaul.transport.session;

import io.skyhaul.transport.crypto.PacketProtection;
import io.skyhaul.transport.crypto.SessionKeys;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A client written from the protocol description, packet by packet: it holds a real ticket and
 * the session keys, so what it sends authenticates, and the test decides what that is.
 */
final class RawClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress node;
    private final SessionTicket ticket;
    private final PacketProtection out;
    private final PacketProtection in;
    private long nextPacketNumber;

    RawClient(InetSocketAddress node, SessionTicket ticket) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.socket.setSoTimeout(100);
        this.node = node;
        this.ticket = ticket;
        SessionKeys keys = SessionKeys.derive(ticket.keyMaterial(), ticket.sessionId());
        this.out = keys.outgoing(true);
        this.in = keys.incoming(true);
    }

    /** HELLO, wait for HELLO_ACK, CONFIRM: afterwards the node treats this socket as the session's peer. */
    void handshake(byte[] sealedTicket, Direction direction, List<String> paths) throws IOException {
        send(CraftedDatagrams.hello(ticket, sealedTicket, nextPacketNumber++, direction, paths));
        byte[] ack = receive(PacketType.HELLO_ACK, 3000);
        if (ack == null) {
            throw new IOException("no HELLO_ACK from " + node);
        }
        send(PacketType.CONFIRM, Arrays.copyOf(ack, NodeSession.CHALLENGE_LENGTH));
    }

    /** Seals and sends one packet under the next packet number. */
    void send(PacketType type, byte[] body) throws IOException {
        send(CraftedDatagrams.sealed(out, type, ticket.connectionId(), nextPacketNumber++, body));
    }

    /** A DATA packet: offset, send time, payload. */
    void sendData(long offset, byte[] payload) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(Wire.DATA_FIELDS + payload.length);
        body.putLong(offset).put(payload);
        send(PacketType.DATA, body.array());
    }

    private void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, node));
    }

    /** The body of the next packet of {@code type} from the node, or null if none came within {@code millis}. */
    byte[] receive(PacketType type, long millis) throws IOException {
        byte[] buffer = new byte[65_535];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            byte[] body = CraftedDatagrams.open(in, buffer, p.getLength());
            if (body != null && CraftedDatagrams.type(buffer) == type) {
                return body;
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
