package io.skyhaul.linkem;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for large socket buffers on relay sockets. The default (about 208 KiB) overflows within
 * a millisecond at gigabit rates, and those kernel drops would look like link loss that the
 * emulator never counted. The kernel may grant less (net.core.rmem_max / wmem_max); what it
 * granted is logged so that such drops can be explained.
 */
final class SocketBuffers {

    private static final Logger LOG = LoggerFactory.getLogger(SocketBuffers.class);

    private SocketBuffers() {
    }

    /**
     * @param loud log at INFO (once per relay) rather than DEBUG (once per client flow)
     */
    static void enlarge(DatagramChannel channel, String label, boolean loud) throws IOException {
        int wanted = LinkDefaults.SOCKET_BUFFER_BYTES;
        channel.setOption(StandardSocketOptions.SO_RCVBUF, wanted);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, wanted);
        int receive = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        int send = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        // Linux reports twice the usable size it granted (the other half is bookkeeping).
        boolean tooSmall = receive < wanted || send < wanted;
        if (tooSmall) {
            LOG.warn("{}: asked for {} B socket buffers, kernel granted SO_RCVBUF={} SO_SNDBUF={};"
                    + " raise net.core.rmem_max/wmem_max to avoid kernel drops", label, wanted, receive, send);
        } else if (loud) {
            LOG.info("{}: socket buffers SO_RCVBUF={} SO_SNDBUF={} (asked {})", label, receive, send, wanted);
        } else {
            LOG.debug("{}: socket buffers SO_RCVBUF={} SO_SNDBUF={} (asked {})", label, receive, send, wanted);
        }
    }
}
