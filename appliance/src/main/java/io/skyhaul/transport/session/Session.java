package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.skyhaul.transport.wire.ErrorMessage;
import io.skyhaul.transport.wire.PacketType;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What client and node sessions share: opening datagrams, dispatching them to the handshake or
 * the data role, ERROR handling, and ending exactly once.
 */
abstract class Session implements SessionContext {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int ERROR_REPEATS = 3;
    private static final int MALFORMED_LOG_LIMIT = 3;

    protected final EventLoop loop;
    protected final TransportSettings settings;
    protected final TransportCounters counters;
    protected final String id;
    protected final ProgressListener progress;
    protected SessionWire wire;
    protected SessionRole role;
    private long lastPeerNanos = System.nanoTime();
    private boolean ended;
    private int malformedLogged;

    Session(EventLoop loop, TransportSettings settings, TransportCounters counters, String id, ProgressListener progress) {
        this.loop = loop;
        this.settings = settings;
        this.counters = counters;
        this.id = id;
        this.progress = progress;
    }

    /** Opens and handles one datagram of this session. */
    final void onDatagram(ByteBuf datagram, int aadLength, PacketType type, ByteBuffer plain) {
        if (ended || !wire.open(datagram, aadLength, plain)) {
            return;
        }
        long now = System.nanoTime();
        lastPeerNanos = now;
        try {
            if (type == PacketType.ERROR) {
                ErrorMessage m = ErrorMessage.read(plain);
                failed(new TransferException(TransferError.fromWire(m.code()), "the peer reports: " + m.message()), false);
            } else if (!onControl(type, plain, now) && role != null) {
                role.onPacket(type, wire.lastOpenedPacketNumber(), plain, now);
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            counters.malformed.increment();
            // An authenticated peer sent it, so it is a peer bug or ours: say so, but only a few times.
            if (malformedLogged++ < MALFORMED_LOG_LIMIT) {
                LOG.warn("session {}: dropped a malformed {} from the authenticated peer", id, type, e);
            }
        }
    }

    /** Handles handshake packets; false when the packet is for the data role. */
    protected abstract boolean onControl(PacketType type, ByteBuffer body, long now);

    /** Called once when the session ends, with a report or a failure. */
    protected abstract void onEnded(TransferReport report, TransferException failure);

    @Override
    public SessionWire wire() {
        return wire;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public TransportSettings settings() {
        return settings;
    }

    @Override
    public ProgressListener progress() {
        return progress;
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public long lastPeerPacketNanos() {
        return lastPeerNanos;
    }

    protected boolean ended() {
        return ended;
    }

    @Override
    public void finished(TransferReport report) {
        if (ended) {
            return;
        }
        ended = true;
        closeRole();
        onEnded(report, null);
    }

    @Override
    public void failed(TransferException failure, boolean tellPeer) {
        if (ended) {
            return;
        }
        ended = true;
        if (tellPeer && wire != null) {
            for (int i = 0; i < ERROR_REPEATS; i++) {
                ByteBuffer body = wire.body();
                new ErrorMessage(failure.error().wireCode(), failure.getMessage()).write(body);
                wire.send(PacketType.ERROR, body);
            }
            wire.flush();
        }
        closeRole();
        onEnded(null, failure);
    }

    private void closeRole() {
        if (role != null) {
            role.close();
        }
        if (wire != null) {
            wire.discard();
        }
    }
}
