package io.skyhaul.nodes;

import java.time.Instant;

/**
 * A registered node as the API and console show it. {@code healthy} means a heartbeat within the
 * last 15 s; {@code remote} a node-only process (else the node inside the manager);
 * {@code connected} that it is registered with this manager process and may be allocated.
 */
public record NodeView(String id, String name, String udpAddress, String state, boolean healthy, Instant registeredAt,
        Instant lastHeartbeat, int sessions, int maxSessions, long throughputBps, double cpuLoad, boolean remote, boolean connected) {
}
