package io.skyhaul.transport.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the UDP channels of the transport: Linux epoll when it loads (reads with recvmmsg,
 * writes with sendmmsg and UDP segmentation offload), NIO otherwise. Asks for large socket buffers and logs what
 * the kernel granted, since a small receive buffer silently drops datagrams at speed.
 */
public final class UdpChannels {
    private static final Logger LOG = LoggerFactory.getLogger(UdpChannels.class);
    /** Datagrams one recvmmsg call may return. */
    private static final int DATAGRAMS_PER_READ = 32;
    /** After a read that drained the socket, the next one waits this long (see {@link ReadCoalescing}). */
    private static final long READ_PAUSE_NANOS = 500_000L;
    /** Largest datagram a read accepts; larger ones arrive truncated and fail authentication. */
    public static final int MAX_RECEIVED_DATAGRAM = 9216;

    private final EventLoopGroup group;
    private final boolean epoll;

    public UdpChannels(boolean preferNative, String threadName) {
        this.epoll = preferNative && Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory(threadName, true), factory);
    }

    public boolean nativeTransport() {
        return epoll;
    }

    /** Whether sends may use UDP generic segmentation offload (Linux epoll with UDP_SEGMENT). */
    public boolean segmentationOffload() {
        return epoll && EpollDatagramChannel.isSegmentedDatagramPacketSupported() && !Boolean.getBoolean("skyhaul.noGso");
    }

    /** A datagram envelope holding several segments for the kernel to split. */
    public static io.netty.channel.socket.DatagramPacket segmented(io.netty.buffer.ByteBuf content, int segmentSize, InetSocketAddress to) {
        return new io.netty.channel.unix.SegmentedDatagramPacket(content, segmentSize, to);
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Binds a channel on {@code local}; with {@code remote} the channel is connected to it. */
    public Channel open(InetSocketAddress local, InetSocketAddress remote, int socketBuffer, int datagramSize, ChannelHandler handler)
            throws InterruptedException {
        boolean coalesce = !Boolean.getBoolean("skyhaul.noReadCoalescing");
        ChannelHandler pipeline = !coalesce ? handler : new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReadCoalescing(READ_PAUSE_NANOS, DATAGRAMS_PER_READ), handler);
            }
        };
        Bootstrap b = new Bootstrap().group(group).handler(pipeline)
                .option(ChannelOption.SO_RCVBUF, socketBuffer)
                .option(ChannelOption.SO_SNDBUF, socketBuffer);
        if (epoll) {
            // No UDP_GRO: Netty's recvmmsg path hands coalesced datagrams over without their segment size.
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_RECEIVED_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_RECEIVED_DATAGRAM * DATAGRAMS_PER_READ));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_RECEIVED_DATAGRAM));
        }
        Channel ch = remote == null ? b.bind(local).sync().channel() : b.connect(remote, local).sync().channel();
        int rcv = ch.config().getOption(ChannelOption.SO_RCVBUF);
        int snd = ch.config().getOption(ChannelOption.SO_SNDBUF);
        LOG.debug("udp channel {} ({}): asked {} byte socket buffers, kernel granted receive {} and send {}; read coalescing {}",
                ch.localAddress(), epoll ? "epoll" : "nio", socketBuffer, rcv, snd, coalesce ? READ_PAUSE_NANOS / 1000 + " us" : "off");
        if (rcv < socketBuffer / 2) {
            LOG.debug("the kernel limits UDP receive buffers to {} bytes; raise net.core.rmem_max for high rates", rcv);
        }
        return ch;
    }

    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
