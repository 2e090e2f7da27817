package io.skyhaul.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.skyhaul.transport.files.TransferRefusedException;
import io.skyhaul.transport.files.TransferSink;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.net.UdpChannels;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.wire.PacketType;
import io.skyhaul.transport.wire.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Runs one transfer against a node: {@link #send} uploads local paths, {@link #get} downloads remote ones. */
public final class TransferClient {
    private final TransportSettings settings;
    private final TransportCounters counters = new TransportCounters();

    public TransferClient(TransportSettings settings) {
        this.settings = settings;
    }

    public TransportCounters counters() {
        return counters;
    }

    /** Uploads files and directory trees; blocks until the node has committed them or the transfer failed. */
    public TransferReport send(InetSocketAddress node, SessionTicket ticket, byte[] sealedTicket, List<Path> paths, ProgressListener progress)
            throws TransferException {
        TransferSource source;
        try {
            source = TransferSource.ofLocalPaths(paths);
        } catch (TransferRefusedException e) {
            throw new TransferException(TransferError.NOT_FOUND, "cannot send: " + e.getMessage());
        } catch (IOException e) {
            throw new TransferException(TransferError.LOCAL_IO, "cannot read what to send: " + e.getMessage(), e);
        }
        try {
            return send(node, ticket, sealedTicket, source, progress);
        } finally {
            source.close();
        }
    }

    /** Uploads what {@code source} names (the caller closes it); blocks until the node has committed it or the transfer failed. */
    public TransferReport send(InetSocketAddress node, SessionTicket ticket, byte[] sealedTicket, TransferSource source, ProgressListener progress)
            throws TransferException {
        return run(node, (ctx) -> ClientSession.upload(ctx.loop, settings, counters, progress, ticket, sealedTicket, node, source, ctx.tx,
                ctx.alloc, ctx.result));
    }

    /** Downloads remote paths into {@code dir}; blocks until they are verified and in place, or the transfer failed. */
    public TransferReport get(InetSocketAddress node, SessionTicket ticket, byte[] sealedTicket, List<String> remotePaths, Path dir,
            ProgressListener progress) throws TransferException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TransferException(TransferError.LOCAL_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
        TransferSink sink = new TransferSink(dir);
        try {
            return run(node, (ctx) -> ClientSession.download(ctx.loop, settings, counters, progress, ticket, sealedTicket, node, remotePaths, sink,
                    ctx.tx, ctx.alloc, ctx.result));
        } finally {
            sink.close();
        }
    }

    private record Wiring(io.netty.channel.EventLoop loop, SessionWire.Transmitter tx, io.netty.buffer.ByteBufAllocator alloc,
            CompletableFuture<TransferReport> result) {
    }

    private TransferReport run(InetSocketAddress node, Function<Wiring, ClientSession> factory) throws TransferException {
        UdpChannels channels = new UdpChannels(settings.nativeTransport(), "skyhaul-client");
        CompletableFuture<TransferReport> result = new CompletableFuture<>();
        ClientHandler handler = new ClientHandler();
        try {
            InetSocketAddress local = new InetSocketAddress(node.getAddress().isLoopbackAddress() ? node.getAddress() : null, 0);
            Channel ch = channels.open(local, node, settings.socketBufferBytes(), settings.datagramSize(), handler);
            boolean gso = channels.segmentationOffload();
            SessionWire.Transmitter tx = new SessionWire.Transmitter() {
                @Override
                public void write(ByteBuf datagram) {
                    ch.write(datagram);
                }

                @Override
                public void writeSegmented(ByteBuf datagrams, int segmentSize) {
                    ch.write(UdpChannels.segmented(datagrams, segmentSize, node));
                }

                @Override
                public boolean segmentationOffload() {
                    return gso;
                }

                @Override
                public void flush() {
                    ch.flush();
                }
            };
            ch.eventLoop().execute(() -> {
                try {
                    ClientSession session = factory.apply(new Wiring(ch.eventLoop(), tx, ch.alloc(), result));
                    handler.session = session;
                    session.start();
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(TransferError.CANCELLED, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransferException t) {
                if (t.error() == TransferError.NO_ANSWER && handler.portUnreachable) {
                    throw new TransferException(TransferError.NO_ANSWER, "nothing listens on udp " + node.getHostString() + ":" + node.getPort()
                            + " (the host answered 'port unreachable'): start 'skyhaul receive' there, or check the address");
                }
                throw t;
            }
            throw new TransferException(TransferError.PROTOCOL, "internal error: " + e.getCause(), e.getCause());
        } catch (RuntimeException e) {
            throw new TransferException(TransferError.LOCAL_IO, "cannot open a UDP socket to " + node + ": " + e.getMessage(), e);
        } finally {
            channels.close();
        }
    }

    /** Hands datagrams from the node to the session. */
    private final class ClientHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final ByteBuffer plain = ByteBuffer.allocate(Wire.MAX_DATAGRAM);
        private volatile ClientSession session;
        private volatile boolean portUnreachable;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            onDatagram(packet.content());
        }

        private void onDatagram(ByteBuf datagram) {
            ClientSession s = session;
            PacketType type = DatagramHeader.check(datagram, UdpChannels.MAX_RECEIVED_DATAGRAM, counters);
            if (type == null || s == null) {
                return;
            }
            if (DatagramHeader.connectionId(datagram) != s.connectionId()) {
                counters.unknownSession.increment();
                return;
            }
            s.onDatagram(datagram, Wire.HEADER_LENGTH, type, plain);
        }

        /** A connected UDP socket reports ICMP port-unreachable as an exception; the handshake timeout speaks for it. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof java.net.PortUnreachableException) {
                portUnreachable = true;
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
