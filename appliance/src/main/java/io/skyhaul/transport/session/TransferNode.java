package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.skyhaul.transport.net.UdpChannels;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.files.ReceiveTap;
import io.skyhaul.transport.ticket.TicketSealer;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of the UDP protocol: one socket, many sessions, each admitted by a sealed
 * ticket in its HELLO. Uploads are written under the root directory (within the ticket's scope);
 * downloads are read from it.
 */
public final class TransferNode implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferNode.class);

    /** One ended session, for listeners (logs, tests, the control plane later). */
    public record SessionOutcome(String sessionId, InetSocketAddress peer, TransferReport report, TransferException failure) {
    }

    private final UdpChannels channels;
    private final Channel channel;
    private final TransportCounters counters = new TransportCounters();
    private final CopyOnWriteArrayList<Consumer<SessionOutcome>> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Dispatcher dispatcher;

    private final java.util.function.Function<String, ReceiveTap> taps;
    private final java.util.function.Function<String, TransportSettings> sessionSettings;

    private TransferNode(UdpChannels channels, InetSocketAddress listen, Path root, TicketSealer sealer, TransportSettings settings,
            java.util.function.Function<String, ReceiveTap> taps, java.util.function.Function<String, TransportSettings> sessionSettings)
            throws InterruptedException {
        this.channels = channels;
        this.taps = taps;
        this.sessionSettings = sessionSettings;
        this.dispatcher = new Dispatcher(root.toAbsolutePath().normalize(), sealer, settings);
        this.channel = channels.open(listen, null, settings.socketBufferBytes(), settings.datagramSize(), dispatcher);
    }

    public static TransferNode start(InetSocketAddress listen, Path root, TicketSealer sealer, TransportSettings settings)
            throws InterruptedException {
        return start(listen, root, sealer, settings, scope -> ReceiveTap.NONE);
    }

    /**
     * @param taps for each upload, by its ticket's scope: what sees the received bytes in order
     *     as they are verified (the node streams them on into storage)
     */
    public static TransferNode start(InetSocketAddress listen, Path root, TicketSealer sealer, TransportSettings settings,
            java.util.function.Function<String, ReceiveTap> taps) throws InterruptedException {
        return start(listen, root, sealer, settings, taps, scope -> settings);
    }

    /**
     * @param sessionSettings for each session, by its ticket's scope: its settings (a download's
     *     rate ceiling, say); socket-level settings (buffers, datagram size) are {@code settings}'
     */
    public static TransferNode start(InetSocketAddress listen, Path root, TicketSealer sealer, TransportSettings settings,
            java.util.function.Function<String, ReceiveTap> taps, java.util.function.Function<String, TransportSettings> sessionSettings)
            throws InterruptedException {
        UdpChannels channels = new UdpChannels(settings.nativeTransport(), "skyhaul-node");
        try {
            TransferNode node = new TransferNode(channels, listen, root, sealer, settings, taps, sessionSettings);
            LOG.info("node listening on udp {} ({} transport{}; socket buffers asked {} B, granted receive {} B and send {} B), root {}",
                    node.localAddress(), channels.nativeTransport() ? "epoll" : "nio", channels.segmentationOffload() ? " with segmentation offload" : "",
                    settings.socketBufferBytes(), node.channel.config().getOption(io.netty.channel.ChannelOption.SO_RCVBUF),
                    node.channel.config().getOption(io.netty.channel.ChannelOption.SO_SNDBUF), root);
            return node;
        } catch (InterruptedException | RuntimeException e) {
            channels.close();
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public TransportCounters counters() {
        return counters;
    }

    public void addListener(Consumer<SessionOutcome> listener) {
        listeners.add(listener);
    }

    /** Ends every running session (telling its client), then closes the socket and the event loop. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.eventLoop().submit(dispatcher::shutDownSessions).syncUninterruptibly();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The event loop is already gone, and its sessions with it.
        }
        channel.close().syncUninterruptibly();
        channels.close();
    }

    /** Routes datagrams to sessions by connection id; admits new sessions from HELLOs. Runs on the event loop. */
    private final class Dispatcher extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Path root;
        private final TicketSealer sealer;
        private final TransportSettings settings;
        private final Map<Long, NodeSession> sessions = new HashMap<>();
        /** Connection ids of ended sessions, until their ticket expires: a ticket admits one session only. */
        private final Map<Long, Long> retired = new HashMap<>();
        private final ByteBuffer plain = ByteBuffer.allocate(Wire.MAX_DATAGRAM);
        private final SecureRandom random = new SecureRandom();
        private final int maxDatagram;

        Dispatcher(Path root, TicketSealer sealer, TransportSettings settings) {
            this.root = root;
            this.sealer = sealer;
            this.settings = settings;
            this.maxDatagram = Math.max(settings.datagramSize(), Wire.MAX_DATAGRAM);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            onDatagram(ctx, packet.content(), packet.sender());
        }

        private void onDatagram(ChannelHandlerContext ctx, ByteBuf datagram, InetSocketAddress sender) {
            PacketType type = DatagramHeader.check(datagram, maxDatagram, counters);
            if (type == null) {
                return;
            }
            long connectionId = DatagramHeader.connectionId(datagram);
            NodeSession session = sessions.get(connectionId);
            if (session != null) {
                if (!session.peer().equals(sender)) {
                    counters.wrongAddress.increment();
                    return;
                }
                session.received(datagram.readableBytes());
                int aad = Wire.HEADER_LENGTH;
                if (type == PacketType.HELLO) {
                    aad = helloAadLength(datagram);
                    if (aad < 0) {
                        counters.malformed.increment();
                        return;
                    }
                }
                session.onDatagram(datagram, aad, type, plain);
            } else if (type == PacketType.HELLO) {
                admit(ctx.channel(), datagram, sender, connectionId);
            } else {
                counters.unknownSession.increment();
            }
        }

        private int helloAadLength(ByteBuf datagram) {
            int start = datagram.readerIndex();
            int length = datagram.readableBytes();
            if (length < Wire.HEADER_LENGTH + 2) {
                return -1;
            }
            int ticketLength = datagram.getUnsignedShort(start + Wire.HEADER_LENGTH);
            int aad = Wire.HEADER_LENGTH + 2 + ticketLength;
            return aad + io.skyhaul.transport.crypto.PacketProtection.TAG_LENGTH <= length ? aad : -1;
        }

        private void admit(Channel channel, ByteBuf datagram, InetSocketAddress sender, long connectionId) {
            int aad = helloAadLength(datagram);
            if (aad < 0 || datagram.readableBytes() < Wire.MIN_HELLO_DATAGRAM) {
                counters.malformed.increment();
                return;
            }
            expireRetired();
            ByteBuffer sealed = datagram.nioBuffer(datagram.readerIndex() + Wire.HEADER_LENGTH + 2, aad - Wire.HEADER_LENGTH - 2);
            Optional<SessionTicket> ticket = sealer.open(sealed);
            if (ticket.isEmpty() || ticket.get().connectionId() != connectionId || retired.containsKey(connectionId)) {
                counters.badTicket.increment();
                return;
            }
            NodeSession session = new NodeSession(channel, channels.segmentationOffload(), sessionSettings.apply(ticket.get().scope()), counters,
                    ticket.get(), sender, root, random, this::ended, taps);
            session.received(datagram.readableBytes());
            sessions.put(connectionId, session);
            long forgedBefore = counters.forged.sum();
            session.onDatagram(datagram, aad, PacketType.HELLO, plain);
            if (counters.forged.sum() > forgedBefore && session.role == null && !session.ended()) {
                sessions.remove(connectionId);
            }
        }

        private void ended(NodeSession session, TransferException failure) {
            long id = session.ticket().connectionId();
            sessions.remove(id);
            retired.put(id, session.ticket().expiresAt().toEpochMilli());
            if (failure != null) {
                LOG.warn("session {}: {} from {} failed: {}", session.sessionId(), session.direction(), session.peer(), failure.getMessage());
            } else {
                TransferReport r = session.report();
                LOG.info("session {}: {} from {} done: {} files, {} bytes in {} s ({} Mbit/s)", session.sessionId(), session.direction(),
                        session.peer(), r.files(), r.bytes(), String.format("%.2f", r.seconds()), String.format("%.1f", r.goodputMbps()));
            }
            SessionOutcome outcome = new SessionOutcome(session.sessionId(), session.peer(), session.report(), failure);
            for (Consumer<SessionOutcome> l : listeners) {
                l.accept(outcome);
            }
        }

        void shutDownSessions() {
            for (NodeSession session : new java.util.ArrayList<>(sessions.values())) {
                session.shutDown();
            }
        }

        private void expireRetired() {
            long now = Clock.systemUTC().millis();
            for (Iterator<Map.Entry<Long, Long>> it = retired.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getValue() < now) {
                    it.remove();
                }
            }
        }
    }
}
