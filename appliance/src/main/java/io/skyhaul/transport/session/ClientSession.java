package io.skyhaul.transport.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.skyhaul.transport.crypto.PacketProtection;
import io.skyhaul.transport.crypto.SessionKeys;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.HelloMessage;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The initiating side: sends HELLO with the ticket until the node answers, proves liveness by
 * echoing the node's challenge in CONFIRM, then runs the data role (sender for an upload,
 * receiver for a download).
 */
final class ClientSession extends Session {
    private static final long HELLO_REPEAT_NANOS = 300_000_000L;

    private final SessionTicket ticket;
    private final byte[] sealedTicket;
    private final InetSocketAddress node;
    private final Direction direction;
    private final List<String> remotePaths;
    private final SessionRole dataRole;
    private final CompletableFuture<TransferReport> result;
    private byte[] challenge;
    private boolean nodeSpoke;
    private long startNanos;
    private ScheduledFuture<?> handshakeTimer;

    private ClientSession(EventLoop loop, TransportSettings settings, TransportCounters counters, ProgressListener progress,
            SessionTicket ticket, byte[] sealedTicket, InetSocketAddress node, Direction direction, List<String> remotePaths,
            TransferSource source, TransferSink sink, SessionWire.Transmitter transmitter, ByteBufAllocator allocator,
            CompletableFuture<TransferReport> result) {
        super(loop, settings, counters, ticket.sessionIdHex().substring(0, 12), progress);
        this.ticket = ticket;
        this.sealedTicket = sealedTicket;
        this.node = node;
        this.direction = direction;
        this.remotePaths = remotePaths;
        this.result = result;
        SessionKeys keys = SessionKeys.derive(ticket.keyMaterial(), ticket.sessionId());
        PacketProtection out = keys.outgoing(true);
        PacketProtection in = keys.incoming(true);
        this.wire = new SessionWire(allocator, transmitter, ticket.connectionId(), out, in, counters);
        this.dataRole = direction == Direction.UPLOAD ? new DataSender(this, source) : new DataReceiver(this, sink);
    }

    static ClientSession upload(EventLoop loop, TransportSettings settings, TransportCounters counters, ProgressListener progress,
            SessionTicket ticket, byte[] sealed, InetSocketAddress node, TransferSource source, SessionWire.Transmitter tx,
            ByteBufAllocator alloc, CompletableFuture<TransferReport> result) {
        return new ClientSession(loop, settings, counters, progress, ticket, sealed, node, Direction.UPLOAD, List.of(), source, null, tx, alloc,
                result);
    }

    static ClientSession download(EventLoop loop, TransportSettings settings, TransportCounters counters, ProgressListener progress,
            SessionTicket ticket, byte[] sealed, InetSocketAddress node, List<String> remotePaths, TransferSink sink,
            SessionWire.Transmitter tx, ByteBufAllocator alloc, CompletableFuture<TransferReport> result) {
        return new ClientSession(loop, settings, counters, progress, ticket, sealed, node, Direction.DOWNLOAD, remotePaths, null, sink, tx,
                alloc, result);
    }

    long connectionId() {
        return ticket.connectionId();
    }

    /** Starts the handshake; must run on the session's event loop. */
    void start() {
        startNanos = System.nanoTime();
        sendHello();
        handshakeTimer = loop.scheduleAtFixedRate(this::onHandshakeTimer, HELLO_REPEAT_NANOS, HELLO_REPEAT_NANOS, TimeUnit.NANOSECONDS);
    }

    private void sendHello() {
        ByteBuffer body = wire.body();
        new HelloMessage(direction, settings.datagramSize(), remotePaths)
                .write(body, Wire.HEADER_LENGTH + 2 + sealedTicket.length + io.skyhaul.transport.crypto.PacketProtection.TAG_LENGTH);
        wire.send(PacketType.HELLO, sealedTicket, body);
        wire.flush();
    }

    private void sendConfirm() {
        ByteBuffer body = wire.body();
        body.put(challenge);
        wire.send(PacketType.CONFIRM, body);
        wire.flush();
    }

    private void onHandshakeTimer() {
        if (ended()) {
            return;
        }
        if (challenge == null) {
            if (System.nanoTime() - startNanos > settings.handshakeTimeout().toNanos()) {
                failed(new TransferException(TransferError.NO_ANSWER, "no answer from " + node.getHostString() + ":" + node.getPort() + " within "
                        + settings.handshakeTimeout().toSeconds() + " s: check that the receiver is running there and that both sides use"
                        + " the same key file"), false);
                return;
            }
            sendHello();
        } else if (!nodeSpoke) {
            sendConfirm();
        } else {
            handshakeTimer.cancel(false);
        }
    }

    @Override
    protected boolean onControl(PacketType type, ByteBuffer body, long now) {
        switch (type) {
            case HELLO_ACK -> {
                byte[] c = new byte[NodeSession.CHALLENGE_LENGTH];
                body.get(c);
                if (challenge == null) {
                    challenge = c;
                    role = dataRole;
                    sendConfirm();
                    role.start();
                } else if (!nodeSpoke) {
                    sendConfirm();
                }
                return true;
            }
            case HELLO, CONFIRM -> {
                return true;
            }
            default -> {
                nodeSpoke = true;
                return false;
            }
        }
    }

    @Override
    protected void onEnded(TransferReport report, TransferException failure) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (role == null) {
            dataRole.close();
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(report);
        }
    }
}
