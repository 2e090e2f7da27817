package io.skyhaul.transport.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Receive-side interrupt coalescing for a UDP channel: when a read returned only a few datagrams,
 * the next read waits a little, so that one wake-up and one {@code recvmmsg} take several.
 *
 * <p>Behind a paced bottleneck datagrams arrive one serialization time apart (59 µs at
 * 200 Mbit/s), and reading each as it lands cost the receiver one event-loop wake-up per datagram
 * (13,000 a second, a third of a core on a 2-vCPU VM). A read that fills a batch is followed by
 * another at once; a partial one (the socket is drained) re-arms after {@code pauseNanos}. The
 * pause delays each datagram by at most that much, which RTT samples include as noise well below
 * the controller's 1 ms queuing floor, and the socket buffer holds far more than a pause's worth.
 */
public final class ReadCoalescing extends ChannelInboundHandlerAdapter {
    private final long pauseNanos;
    private final int fullBatch;
    private int batch;

    /**
     * @param pauseNanos how long to wait before reading again after a partial batch
     * @param fullBatch a read of at least this many datagrams is followed by another at once
     */
    public ReadCoalescing(long pauseNanos, int fullBatch) {
        this.pauseNanos = pauseNanos;
        this.fullBatch = fullBatch;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        batch++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        int n = batch;
        batch = 0;
        ctx.fireChannelReadComplete();
        if (n == 0 || n >= fullBatch) {
            // Nothing was there (wait for readiness), or more is probably waiting.
            ctx.read();
        } else {
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.read();
                }
            }, pauseNanos, TimeUnit.NANOSECONDS);
        }
    }
}
