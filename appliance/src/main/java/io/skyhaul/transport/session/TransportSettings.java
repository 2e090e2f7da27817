package io.skyhaul.transport.session;

import io.skyhaul.transport.cc.RateControlSettings;
import io.skyhaul.transport.cc.RatePolicy;
import io.skyhaul.transport.wire.Wire;
import java.time.Duration;

/**
 * The limits and timeouts of the transport, with every default in one place.
 *
 * @param datagramSize UDP payload size of full DATA packets
 * @param idleTimeout a session whose peer is silent this long fails
 * @param handshakeTimeout how long a client waits for the node's answer to HELLO
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF asked of the kernel
 * @param rateControl rate control parameters, the ceiling among them
 * @param policy fair or background sharing
 * @param nativeTransport use Linux epoll (recvmmsg/sendmmsg) when it loads
 */
public record TransportSettings(
        int datagramSize,
        Duration idleTimeout,
        Duration handshakeTimeout,
        int socketBufferBytes,
        RateControlSettings rateControl,
        RatePolicy policy,
        boolean nativeTransport) {

    /** Fills a 1,500-byte IP packet over IPv6 (1,480 over IPv4) without fragmentation. */
    public static final int DEFAULT_DATAGRAM_SIZE = 1452;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_SOCKET_BUFFER = 8 << 20;

    public TransportSettings {
        if (datagramSize < Wire.MIN_DATAGRAM || datagramSize > Wire.MAX_DATAGRAM) {
            throw new IllegalArgumentException("datagram size must be between " + Wire.MIN_DATAGRAM + " and " + Wire.MAX_DATAGRAM);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static TransportSettings defaults() {
        return new TransportSettings(DEFAULT_DATAGRAM_SIZE, DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SOCKET_BUFFER,
                RateControlSettings.defaults(), RatePolicy.FAIR, true);
    }

    public TransportSettings withMaxRate(double bytesPerSecond) {
        return new TransportSettings(datagramSize, idleTimeout, handshakeTimeout, socketBufferBytes,
                RateControlSettings.withMaxRate(bytesPerSecond), policy, nativeTransport);
    }

    public TransportSettings withPolicy(RatePolicy newPolicy) {
        return new TransportSettings(datagramSize, idleTimeout, handshakeTimeout, socketBufferBytes, rateControl, newPolicy, nativeTransport);
    }

    public TransportSettings withIdleTimeout(Duration timeout) {
        return new TransportSettings(datagramSize, timeout, handshakeTimeout, socketBufferBytes, rateControl, policy, nativeTransport);
    }

    public TransportSettings withHandshakeTimeout(Duration timeout) {
        return new TransportSettings(datagramSize, idleTimeout, timeout, socketBufferBytes, rateControl, policy, nativeTransport);
    }

    public TransportSettings withNativeTransport(boolean enabled) {
        return new TransportSettings(datagramSize, idleTimeout, handshakeTimeout, socketBufferBytes, rateControl, policy, enabled);
    }

    public TransportSettings withDatagramSize(int size) {
        return new TransportSettings(size, idleTimeout, handshakeTimeout, socketBufferBytes, rateControl, policy, nativeTransport);
    }

    /** Payload bytes a full DATA packet carries. */
    public int dataPayload() {
        return datagramSize - Wire.DATA_OVERHEAD;
    }
}
