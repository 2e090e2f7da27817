package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.skyhaul.transport.crypto.PacketProtection;
import io.skyhaul.transport.crypto.ReplayWindow;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.nio.ByteBuffer;

/**
 * One session's packet protection on the wire: numbers, seals and transmits outgoing packets,
 * and opens incoming ones (AEAD check, then replay check). Runs on the session's event loop.
 */
public final class SessionWire {
    /** Where sealed datagrams go: a connected channel, or an unconnected one with the peer's address. */
    public interface Transmitter {
        void write(ByteBuf datagram);

        void flush();
    }

    private final ByteBufAllocator allocator;
    private final Transmitter transmitter;
    private final long connectionId;
    private final PacketProtection outgoing;
    private final PacketProtection incoming;
    private final ReplayWindow replay = new ReplayWindow();
    private final TransportCounters counters;
    private final byte[] bodyArray = new byte[Wire.MAX_DATAGRAM];
    private final ByteBuffer body = ByteBuffer.wrap(bodyArray);
    private final byte[] header = new byte[Wire.MAX_DATAGRAM];
    private final byte[] sealed = new byte[Wire.MAX_DATAGRAM + PacketProtection.TAG_LENGTH];
    private final byte[] received = new byte[Wire.MAX_DATAGRAM + 1024];
    private long nextPacketNumber;
    private long bytesSent;
    private long lastOpenedPacketNumber = -1;

    public SessionWire(ByteBufAllocator allocator, Transmitter transmitter, long connectionId, PacketProtection outgoing,
            PacketProtection incoming, TransportCounters counters) {
        this.allocator = allocator;
        this.transmitter = transmitter;
        this.connectionId = connectionId;
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.counters = counters;
    }

    /** A cleared buffer to write the next packet's plaintext body into. */
    public ByteBuffer body() {
        body.clear();
        return body;
    }

    public long nextPacketNumber() {
        return nextPacketNumber;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Seals and queues a packet whose body was written into {@link #body()}; returns its packet number. */
    public long send(PacketType type, ByteBuffer writtenBody) {
        return send(type, null, writtenBody);
    }

    /** Seals and queues a HELLO: the sealed ticket travels in clear but authenticated. */
    public long send(PacketType type, byte[] ticket, ByteBuffer writtenBody) {
        long pn = nextPacketNumber++;
        ByteBuffer h = ByteBuffer.wrap(header);
        h.put((byte) Wire.VERSION).put((byte) type.code()).putLong(connectionId).putLong(pn);
        if (ticket != null) {
            h.putShort((short) ticket.length).put(ticket);
        }
        int aadLength = h.position();
        int sealedLength = outgoing.seal(pn, header, aadLength, bodyArray, writtenBody.position(), sealed, 0);
        int length = aadLength + sealedLength;
        ByteBuf datagram = allocator.directBuffer(length, length);
        datagram.writeBytes(header, 0, aadLength).writeBytes(sealed, 0, sealedLength);
        bytesSent += length;
        transmitter.write(datagram);
        return pn;
    }

    public void flush() {
        transmitter.flush();
    }

    /**
     * Opens an incoming datagram whose associated data ends at {@code aadLength} into
     * {@code plain} (a heap buffer of at least {@link Wire#MAX_DATAGRAM} bytes), ready for reading. Returns false (and counts why) for a forged or
     * replayed datagram; such a datagram changes no state.
     */
    public boolean open(ByteBuf datagram, int aadLength, ByteBuffer plain) {
        long pn = datagram.getLong(datagram.readerIndex() + Wire.OFFSET_PACKET_NUMBER);
        if (!replay.isFresh(pn)) {
            counters.replayed.increment();
            return false;
        }
        int length = datagram.readableBytes();
        if (length > received.length) {
            counters.oversized.increment();
            return false;
        }
        datagram.getBytes(datagram.readerIndex(), received, 0, length);
        int plainLength = incoming.open(pn, received, aadLength, received, aadLength, length - aadLength, plain.array());
        if (plainLength < 0) {
            counters.forged.increment();
            return false;
        }
        replay.record(pn);
        plain.clear().limit(plainLength);
        lastOpenedPacketNumber = pn;
        return true;
    }

    /** Packet number of the datagram {@link #open} accepted last. */
    public long lastOpenedPacketNumber() {
        return lastOpenedPacketNumber;
    }
}
