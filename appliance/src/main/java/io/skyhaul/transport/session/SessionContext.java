package io.skyhaul.transport.session;

import io.netty.channel.EventLoop;

/** What a session role (sender or receiver of data) gets from the session that runs it. */
interface SessionContext {
    SessionWire wire();

    EventLoop loop();

    TransportSettings settings();

    ProgressListener progress();

    /** Short id for log lines. */
    String sessionId();

    /** Nanoseconds when the last authenticated packet from the peer arrived. */
    long lastPeerPacketNanos();

    void finished(TransferReport report);

    /** Ends the session with an error; with {@code tellPeer} an ERROR packet goes out first. */
    void failed(TransferException failure, boolean tellPeer);
}
