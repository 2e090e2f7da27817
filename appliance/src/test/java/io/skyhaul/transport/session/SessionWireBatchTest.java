package io.skyhaul.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.skyhaul.transport.crypto.SessionKeys;
import io.skyhaul.transport.wire.PacketType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: a segmentation batch is sized for whole segments (44 datagrams of 1,452 bytes =
 * 63,888 bytes), and a short DATA datagram that arrived when it was full overflowed the buffer
 * (IndexOutOfBoundsException on the sender's event loop, after which the session fell silent).
 */
class SessionWireBatchTest {
    private final List<Integer> written = new ArrayList<>();

    private final SessionWire.Transmitter transmitter = new SessionWire.Transmitter() {
        @Override
        public void write(ByteBuf datagram) {
            written.add(datagram.readableBytes());
            datagram.release();
        }

        @Override
        public void writeSegmented(ByteBuf datagrams, int segmentSize) {
            for (int left = datagrams.readableBytes(); left > 0; left -= segmentSize) {
                written.add(Math.min(left, segmentSize));
            }
            datagrams.release();
        }

        @Override
        public boolean segmentationOffload() {
            return true;
        }

        @Override
        public void flush() {
        }
    };

    @Test
    void aShortDatagramAfterAFullBatchStartsANewOne() {
        SessionKeys keys = SessionKeys.derive(new byte[32], new byte[16]);
        SessionWire wire = new SessionWire(PooledByteBufAllocator.DEFAULT, transmitter, 7, keys.outgoing(true), keys.incoming(true),
                new TransportCounters());
        int full = 1452 - 18 - 16;
        int fullBatch = 65_000 / 1452;
        for (int i = 0; i < fullBatch; i++) {
            ByteBuffer body = wire.body();
            body.position(full);
            wire.send(PacketType.DATA, body);
        }
        ByteBuffer shortBody = wire.body();
        shortBody.position(8);
        wire.send(PacketType.DATA, shortBody);
        wire.flush();
        assertEquals(fullBatch + 1, written.size());
        assertEquals(1452, written.get(0));
        assertEquals(8 + 18 + 16, written.get(fullBatch));
    }
}
