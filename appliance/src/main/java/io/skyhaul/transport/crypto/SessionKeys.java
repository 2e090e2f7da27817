package io.skyhaul.transport.crypto;

/**
 * The two directions' packet keys of a session, derived from the ticket's key material with
 * the session id as salt. Client-to-node and node-to-client use different keys and IV bases.
 */
public final class SessionKeys {
    private final byte[] clientKey;
    private final byte[] clientIv;
    private final byte[] nodeKey;
    private final byte[] nodeIv;

    private SessionKeys(byte[] keyMaterial, byte[] sessionId) {
        this.clientKey = KeySchedule.derive(keyMaterial, sessionId, "client key", 32);
        this.clientIv = KeySchedule.derive(keyMaterial, sessionId, "client iv", 12);
        this.nodeKey = KeySchedule.derive(keyMaterial, sessionId, "node key", 32);
        this.nodeIv = KeySchedule.derive(keyMaterial, sessionId, "node iv", 12);
    }

    public static SessionKeys derive(byte[] keyMaterial, byte[] sessionId) {
        return new SessionKeys(keyMaterial, sessionId);
    }

    /** Protection for what this endpoint sends. */
    public PacketProtection outgoing(boolean isClient) {
        return isClient ? new PacketProtection(clientKey, clientIv) : new PacketProtection(nodeKey, nodeIv);
    }

    /** Protection for what this endpoint receives. */
    public PacketProtection incoming(boolean isClient) {
        return isClient ? new PacketProtection(nodeKey, nodeIv) : new PacketProtection(clientKey, clientIv);
    }
}
