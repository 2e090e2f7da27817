package io.skyhaul.transport.session;

import io.skyhaul.transport.crypto.PacketProtection;
import io.skyhaul.transport.crypto.SessionKeys;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.HelloMessage;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Hand-made datagrams of protocol version 1, as a client (or an attacker) would put them on the wire. */
final class CraftedDatagrams {
    private CraftedDatagrams() {
    }

    /** A HELLO sealed with the client keys of {@code ticket}, carrying {@code sealedTicket}. */
    static byte[] hello(SessionTicket ticket, byte[] sealedTicket, long packetNumber, Direction direction, List<String> paths) {
        PacketProtection clientOut = SessionKeys.derive(ticket.keyMaterial(), ticket.sessionId()).outgoing(true);
        ByteBuffer header = ByteBuffer.allocate(Wire.HEADER_LENGTH + 2 + sealedTicket.length);
        header.put((byte) Wire.VERSION).put((byte) PacketType.HELLO.code()).putLong(ticket.connectionId()).putLong(packetNumber)
                .putShort((short) sealedTicket.length).put(sealedTicket);
        ByteBuffer body = ByteBuffer.allocate(Wire.MAX_DATAGRAM);
        new HelloMessage(direction, TransportSettings.DEFAULT_DATAGRAM_SIZE, paths)
                .write(body, header.capacity() + PacketProtection.TAG_LENGTH);
        byte[] out = new byte[header.capacity() + body.position() + PacketProtection.TAG_LENGTH];
        System.arraycopy(header.array(), 0, out, 0, header.capacity());
        clientOut.seal(packetNumber, header.array(), header.capacity(), body.array(), body.position(), out, header.capacity());
        return out;
    }

    /** Random bytes behind a valid version and type header: passes the cheap checks, fails authentication. */
    static byte[] forged(SplittableRandom random, PacketType type, long connectionId, long packetNumber, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        ByteBuffer.wrap(b).put((byte) Wire.VERSION).put((byte) type.code()).putLong(connectionId).putLong(packetNumber);
        return b;
    }

    /** A copy with one bit of the tag (the last byte) flipped. */
    static byte[] corrupted(byte[] datagram) {
        byte[] b = datagram.clone();
        b[b.length - 1] ^= 0x01;
        return b;
    }

    static byte[] truncated(byte[] datagram, int length) {
        return Arrays.copyOf(datagram, length);
    }

    static PacketType type(byte[] datagram) {
        return PacketType.fromCode(datagram[Wire.OFFSET_TYPE] & 0xff);
    }

    static long connectionId(byte[] datagram) {
        return ByteBuffer.wrap(datagram).getLong(Wire.OFFSET_CONNECTION_ID);
    }

    /** A datagram of {@code type} sealed with {@code protection}: what an authenticated peer sends. */
    static byte[] sealed(PacketProtection protection, PacketType type, long connectionId, long packetNumber, byte[] body) {
        byte[] out = new byte[Wire.HEADER_LENGTH + body.length + PacketProtection.TAG_LENGTH];
        ByteBuffer.wrap(out).put((byte) Wire.VERSION).put((byte) type.code()).putLong(connectionId).putLong(packetNumber);
        protection.seal(packetNumber, out, Wire.HEADER_LENGTH, body, body.length, out, Wire.HEADER_LENGTH);
        return out;
    }

    /** The body of a datagram sealed under {@code protection}, or null when it does not open. */
    static byte[] open(PacketProtection protection, byte[] datagram, int length) {
        long pn = ByteBuffer.wrap(datagram).getLong(Wire.OFFSET_PACKET_NUMBER);
        byte[] plain = new byte[Math.max(0, length - Wire.HEADER_LENGTH)];
        int n = protection.open(pn, datagram, Wire.HEADER_LENGTH, datagram, Wire.HEADER_LENGTH, length - Wire.HEADER_LENGTH, plain);
        return n < 0 ? null : Arrays.copyOf(plain, n);
    }
}
