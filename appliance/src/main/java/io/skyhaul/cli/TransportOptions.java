package io.skyhaul.cli;

import io.skyhaul.transport.cc.RatePolicy;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.PreSharedKey;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every transfer command shares. */
final class TransportOptions {
    @Option(names = "--key-file", paramLabel = "KEY",
            description = "Pre-shared key file (64 hex characters), made with 'skyhaul keygen'. Both sides need the same one."
                    + " Needed with --to/--from and by receive; not when a manager issues the ticket.")
    Path keyFile;

    @Option(names = "--max-rate", paramLabel = "RATE", converter = Converters.BitRate.class,
            description = "Ceiling on the sending rate in bits per second, with k, m or g (e.g. 200m). Default: none.")
    Double maxRate;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "fair", converter = Converters.Policy.class,
            description = "How to share a bottleneck: 'fair' (equal shares) or 'background' (yield to other traffic). Default: ${DEFAULT-VALUE}.")
    RatePolicy policy;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.TimeSpan.class,
            description = "End a session whose peer is silent this long (e.g. 30s). Default: 30s.")
    Duration timeout;

    @Option(names = "--datagram-size", paramLabel = "BYTES", defaultValue = "" + TransportSettings.DEFAULT_DATAGRAM_SIZE, converter = Converters.DatagramSize.class,
            description = "UDP payload size of data packets, 1200 to 9000. Default: ${DEFAULT-VALUE}.")
    int datagramSize;

    @Option(names = "--no-native", description = "Use Java NIO sockets instead of Linux epoll (recvmmsg/sendmmsg).")
    boolean noNative;

    TransportSettings settings() {
        TransportSettings s = TransportSettings.defaults().withPolicy(policy).withDatagramSize(datagramSize)
                .withNativeTransport(!noNative);
        if (maxRate != null) {
            s = s.withMaxRate(maxRate);
        }
        if (timeout != null) {
            s = s.withIdleTimeout(timeout);
        }
        return s;
    }

    PreSharedKey key() throws PreSharedKey.KeyFileException {
        if (keyFile == null) {
            throw new PreSharedKey.KeyFileException("--key-file KEY is required here (make one with 'skyhaul keygen KEY')");
        }
        return PreSharedKey.read(keyFile);
    }
}
