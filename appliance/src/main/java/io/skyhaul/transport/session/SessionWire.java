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

        /**
         * Writes several datagrams of {@code segmentSize} bytes (the last may be shorter) in one
         * buffer, for the kernel to split (UDP generic segmentation offload). Only called when
         * {@link #segmentationOffload()} is true.
         */
        default void writeSegmented(ByteBuf datagrams, int segmentSize) {
            throw new UnsupportedOperationException("no segmentation offload");
        }

        /** Whether {@link #writeSegmented} works on this socket. */
        default boolean segmentationOffload() {
            return false;
        }

        void flush();
    }

    /** Kernel limits for one segmented send: 64 segments and 64 KiB. */
    private static final int MAX_SEGMENTS = 64;
    private static final int MAX_SEGMENTED_BYTES = 65_000;

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
    private ByteBuf batch;
    private int batchSegment;
    private int batchCount;

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
        bytesSent += length;
        if (type == PacketType.DATA && transmitter.segmentationOffload()) {
            appendToBatch(aadLength, sealedLength);
            return pn;
        }
        flushBatch();
        ByteBuf datagram = allocator.directBuffer(length, length);
        datagram.writeBytes(header, 0, aadLength).writeBytes(sealed, 0, sealedLength);
        transmitter.write(datagram);
        return pn;
    }

    /**
     * Queues a DATA datagram into the current segmentation batch: equal-sized datagrams share one
     * buffer and one system call; a shorter one may close a batch as its last segment.
     */
    private void appendToBatch(int aadLength, int sealedLength) {
        int length = aadLength + sealedLength;
        // The batch buffer is sized for whole segments (at most MAX_SEGMENTED_BYTES): a datagram
        // that does not fit what is left of it, even a short last one, starts a new batch.
        if (batch != null && (length > batchSegment || batchCount == MAX_SEGMENTS || length > batch.writableBytes())) {
            flushBatch();
        }
        if (batch == null) {
            int segments = Math.max(1, Math.min(MAX_SEGMENTS, MAX_SEGMENTED_BYTES / length));
            batch = allocator.directBuffer(segments * length, segments * length);
            batchSegment = length;
            batchCount = 0;
        }
        batch.writeBytes(header, 0, aadLength).writeBytes(sealed, 0, sealedLength);
        batchCount++;
        if (length < batchSegment) {
            flushBatch();
        }
    }

    private void flushBatch() {
        if (batch == null) {
            return;
        }
        ByteBuf b = batch;
        batch = null;
        if (batchCount == 1) {
            transmitter.write(b);
        } else {
            transmitter.writeSegmented(b, batchSegment);
        }
    }

    public void flush() {
        flushBatch();
        transmitter.flush();
    }

    /** Drops a batch that will never be sent (the session is closing). */
    public void discard() {
        if (batch != null) {
            batch.release();
            batch = null;
        }
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
