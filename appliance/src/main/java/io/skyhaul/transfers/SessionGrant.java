package io.skyhaul.transfers;

import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a client needs to run the UDP session of a transfer: the node's address, the session
 * ticket's fields (including the session key, which only this client and the node know) and the
 * sealed ticket it presents in its HELLO. Shown only to the client that created the transfer.
 */
public record SessionGrant(String node, String sessionId, String key, Instant expiresAt, String direction, String scope, String sealedTicket) {

    public static SessionGrant of(String node, SessionTicket ticket, byte[] sealed) {
        return new SessionGrant(node, ticket.sessionIdHex(), Base64.getEncoder().encodeToString(ticket.keyMaterial()), ticket.expiresAt(),
                ticket.direction().name().toLowerCase(java.util.Locale.ROOT), ticket.scope(), Base64.getEncoder().encodeToString(sealed));
    }

    /** The ticket, rebuilt on the client side. */
    public SessionTicket ticket() {
        return new SessionTicket(HexFormat.of().parseHex(sessionId), Base64.getDecoder().decode(key), expiresAt,
                Direction.valueOf(direction.toUpperCase(java.util.Locale.ROOT)), scope);
    }

    /** The node's UDP address, {@code HOST:PORT} or {@code [V6]:PORT}, as a socket address. */
    public java.net.InetSocketAddress nodeAddress() {
        int colon = node.lastIndexOf(':');
        String host = node.substring(0, colon).replace("[", "").replace("]", "");
        return new java.net.InetSocketAddress(host, Integer.parseInt(node.substring(colon + 1)));
    }

    public byte[] sealed() {
        return Base64.getDecoder().decode(sealedTicket);
    }

    @Override
    public String toString() {
        return "SessionGrant[node=" + node + ", session=" + sessionId + ", expires=" + expiresAt + "]";
    }
}
