package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.skyhaul.transport.crypto.SessionKeys;
import io.skyhaul.transport.files.RelativePaths;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.net.UdpChannels;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.HelloMessage;
import io.skyhaul.transport.wire.PacketType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session on the node, made from a HELLO whose ticket opened. Until the client echoes the
 * challenge (CONFIRM), the node sends no more bytes to the client's address than it received
 * from it, so a spoofed or replayed HELLO cannot turn the node into an amplifier.
 */
final class NodeSession extends Session {
    static final int CHALLENGE_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(NodeSession.class);

    private final SessionTicket ticket;
    private final InetSocketAddress peer;
    private final Path root;
    private final byte[] challenge = new byte[CHALLENGE_LENGTH];
    private final BiConsumer<NodeSession, TransferException> onEnd;
    private long bytesReceived;
    private boolean validated;
    private boolean helloHandled;
    private Direction direction;
    private boolean roleStarted;
    private TransferReport report;
    private final java.util.concurrent.ScheduledFuture<?> handshakeWatch;
    private final java.util.function.Function<String, io.skyhaul.transport.files.ReceiveTap> taps;
    private static final long HANDSHAKE_CHECK_NANOS = 500_000_000L;

    NodeSession(Channel channel, boolean segmentationOffload, TransportSettings settings, TransportCounters counters, SessionTicket ticket,
            InetSocketAddress peer, Path root, SecureRandom random, BiConsumer<NodeSession, TransferException> onEnd,
            java.util.function.Function<String, io.skyhaul.transport.files.ReceiveTap> taps) {
        super(channel.eventLoop(), settings, counters, ticket.sessionIdHex().substring(0, 12), ProgressListener.NONE);
        this.ticket = ticket;
        this.taps = taps;
        this.peer = peer;
        this.root = root;
        this.onEnd = onEnd;
        random.nextBytes(challenge);
        // Until a data role runs (it watches the peer itself), this timer ends a session whose
        // client never confirms: a half-open session must not stay forever.
        this.handshakeWatch = loop.scheduleAtFixedRate(this::checkHandshake, HANDSHAKE_CHECK_NANOS, HANDSHAKE_CHECK_NANOS,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        SessionKeys keys = SessionKeys.derive(ticket.keyMaterial(), ticket.sessionId());
        ByteBufAllocator alloc = channel.alloc();
        this.wire = new SessionWire(alloc, new SessionWire.Transmitter() {
            @Override
            public void write(ByteBuf datagram) {
                if (!validated && wire.bytesSent() > bytesReceived) {
                    datagram.release();
                    return;
                }
                channel.write(new DatagramPacket(datagram, peer));
            }

            @Override
            public void writeSegmented(ByteBuf datagrams, int segmentSize) {
                if (!validated) {
                    datagrams.release();
                    return;
                }
                channel.write(UdpChannels.segmented(datagrams, segmentSize, peer));
            }

            @Override
            public boolean segmentationOffload() {
                return segmentationOffload;
            }

            @Override
            public void flush() {
                channel.flush();
            }
        }, ticket.connectionId(), keys.outgoing(false), keys.incoming(false), counters);
    }

    InetSocketAddress peer() {
        return peer;
    }

    SessionTicket ticket() {
        return ticket;
    }

    TransferReport report() {
        return report;
    }

    Direction direction() {
        return direction;
    }

    /** Counts bytes from the peer toward the anti-amplification budget. */
    void received(int bytes) {
        bytesReceived += bytes;
    }

    @Override
    protected boolean onControl(PacketType type, ByteBuffer body, long now) {
        switch (type) {
            case HELLO -> {
                if (!helloHandled) {
                    helloHandled = true;
                    if (!accept(HelloMessage.read(body))) {
                        return true;
                    }
                }
                ByteBuffer ack = wire.body();
                ack.put(challenge).putShort((short) settings.datagramSize());
                wire.send(PacketType.HELLO_ACK, ack);
                wire.flush();
                return true;
            }
            case CONFIRM -> {
                byte[] echo = new byte[CHALLENGE_LENGTH];
                body.get(echo);
                if (MessageDigest.isEqual(echo, challenge)) {
                    validated = true;
                    if (!roleStarted && role != null) {
                        roleStarted = true;
                        role.start();
                    }
                }
                return true;
            }
            case HELLO_ACK -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean accept(HelloMessage hello) {
        direction = hello.direction();
        if (direction == Direction.BOTH || !ticket.direction().allows(direction)) {
            failed(new TransferException(TransferError.REFUSED, "this ticket does not allow " + direction.name().toLowerCase(java.util.Locale.ROOT)
                    + "s"), true);
            return false;
        }
        try {
            Path scopeRoot = ticket.scope().isEmpty() ? root : RelativePaths.resolveInside(root, ticket.scope());
            if (direction == Direction.UPLOAD) {
                RelativePaths.createDirectoriesInside(root, scopeRoot);
                role = new DataReceiver(this, new TransferSink(scopeRoot, taps.apply(ticket.scope())));
                roleStarted = true;
                role.start();
            } else {
                if (!Files.isDirectory(scopeRoot)) {
                    throw new TransferRefusedException("nothing to download: '" + ticket.scope() + "' does not exist on the node");
                }
                role = new DataSender(this, TransferSource.ofRemoteRequest(scopeRoot, hello.paths()));
            }
            LOG.info("session {}: {} from {} accepted", id, direction.name().toLowerCase(java.util.Locale.ROOT), peer);
            return true;
        } catch (TransferRefusedException e) {
            failed(new TransferException(TransferError.REFUSED, e.getMessage()), true);
        } catch (IOException e) {
            failed(new TransferException(TransferError.LOCAL_IO, "the node cannot read or write its storage: " + e.getMessage()), true);
        }
        return false;
    }

    private void checkHandshake() {
        if (roleStarted || ended()) {
            handshakeWatch.cancel(false);
        } else if (System.nanoTime() - lastPeerPacketNanos() > settings.idleTimeout().toNanos()) {
            failed(new TransferException(TransferError.PEER_SILENT, "the client never confirmed its address"), false);
        }
    }

    /** Ends the session because the node is shutting down (its client learns why). */
    void shutDown() {
        failed(new TransferException(TransferError.CANCELLED, "the node is shutting down; run the transfer again to resume it"), true);
    }

    @Override
    protected void onEnded(TransferReport finished, TransferException failure) {
        handshakeWatch.cancel(false);
        this.report = finished;
        onEnd.accept(this, failure);
    }
}
