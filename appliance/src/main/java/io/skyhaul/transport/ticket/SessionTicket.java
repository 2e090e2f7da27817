package io.skyhaul.transport.ticket;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a node needs to accept a session without asking anyone: the session id, the session's
 * 256-bit key material, when the ticket expires, the direction allowed and the path scope (a
 * relative directory under the node's root; empty means the whole root).
 */
public final class SessionTicket {
    public static final int SESSION_ID_LENGTH = 16;
    public static final int KEY_MATERIAL_LENGTH = 32;

    private final byte[] sessionId;
    private final byte[] keyMaterial;
    private final Instant expiresAt;
    private final Direction direction;
    private final String scope;

    public SessionTicket(byte[] sessionId, byte[] keyMaterial, Instant expiresAt, Direction direction, String scope) {
        if (sessionId.length != SESSION_ID_LENGTH || keyMaterial.length != KEY_MATERIAL_LENGTH) {
            throw new IllegalArgumentException("a ticket has a 16-byte session id and 32 bytes of key material");
        }
        this.sessionId = sessionId.clone();
        this.keyMaterial = keyMaterial.clone();
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.direction = Objects.requireNonNull(direction);
        this.scope = Objects.requireNonNull(scope);
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public byte[] keyMaterial() {
        return keyMaterial.clone();
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Direction direction() {
        return direction;
    }

    public String scope() {
        return scope;
    }

    /** The 64-bit connection id carried in every packet header: the session id's first 8 bytes. */
    public long connectionId() {
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (sessionId[i] & 0xff);
        }
        return id;
    }

    public String sessionIdHex() {
        return HexFormat.of().formatHex(sessionId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionTicket t && Arrays.equals(sessionId, t.sessionId) && Arrays.equals(keyMaterial, t.keyMaterial)
                && expiresAt.equals(t.expiresAt) && direction == t.direction && scope.equals(t.scope);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sessionId);
    }

    @Override
    public String toString() {
        return "SessionTicket[session=" + sessionIdHex() + ", direction=" + direction + ", scope='" + scope + "', expires=" + expiresAt + "]";
    }
}
