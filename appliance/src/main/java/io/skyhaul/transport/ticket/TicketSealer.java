package io.skyhaul.transport.ticket;

import io.skyhaul.transport.crypto.KeySchedule;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals tickets under a key derived from the pre-shared key, and opens them. Sealed form:
 * {@code version(1) | nonce(12) | AES-256-GCM(body) | tag(16)} with the version byte as associated
 * data. Only a holder of the pre-shared key can make or read a ticket, so a node verifies a
 * ticket without a database round trip.
 */
public final class TicketSealer {
    public static final int VERSION = 1;
    public static final int MAX_SCOPE_BYTES = 1024;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_LENGTH = 16;

    private final SecretKeySpec key;
    private final SecureRandom random;
    private final Clock clock;

    public TicketSealer(PreSharedKey psk, SecureRandom random, Clock clock) {
        this.key = new SecretKeySpec(KeySchedule.derive(psk.bytes(), new byte[0], "ticket key", 32), "AES");
        this.random = random;
        this.clock = clock;
    }

    /** Issues a fresh ticket: new random session id and key material. */
    public SessionTicket issue(Duration lifetime, Direction direction, String scope) {
        byte[] sessionId = new byte[SessionTicket.SESSION_ID_LENGTH];
        byte[] keyMaterial = new byte[SessionTicket.KEY_MATERIAL_LENGTH];
        random.nextBytes(sessionId);
        random.nextBytes(keyMaterial);
        return new SessionTicket(sessionId, keyMaterial, clock.instant().plus(lifetime), direction, scope);
    }

    public byte[] seal(SessionTicket ticket) {
        byte[] scope = ticket.scope().getBytes(StandardCharsets.UTF_8);
        if (scope.length > MAX_SCOPE_BYTES) {
            throw new IllegalArgumentException("ticket scope is longer than " + MAX_SCOPE_BYTES + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(SessionTicket.SESSION_ID_LENGTH + SessionTicket.KEY_MATERIAL_LENGTH + 8 + 1 + 2 + scope.length);
        body.put(ticket.sessionId()).put(ticket.keyMaterial()).putLong(ticket.expiresAt().toEpochMilli())
                .put((byte) ticket.direction().code()).putShort((short) scope.length).put(scope).flip();
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        ByteBuffer out = ByteBuffer.allocate(1 + NONCE_LENGTH + body.remaining() + TAG_LENGTH);
        out.put((byte) VERSION).put(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(new byte[] {(byte) VERSION});
            c.doFinal(body, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ticket sealing failed", e);
        }
        return out.array();
    }

    /**
     * Opens a sealed ticket. Empty when it was not made with our key, is malformed, or has
     * expired: the caller drops the datagram and counts it, and says no more to an unknown peer.
     */
    public Optional<SessionTicket> open(ByteBuffer sealed) {
        if (sealed.remaining() < 1 + NONCE_LENGTH + TAG_LENGTH || sealed.get(sealed.position()) != VERSION) {
            return Optional.empty();
        }
        ByteBuffer in = sealed.duplicate();
        in.get();
        byte[] nonce = new byte[NONCE_LENGTH];
        in.get(nonce);
        ByteBuffer body = ByteBuffer.allocate(in.remaining());
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(new byte[] {(byte) VERSION});
            c.doFinal(in, body);
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ticket opening failed", e);
        }
        body.flip();
        try {
            byte[] sessionId = new byte[SessionTicket.SESSION_ID_LENGTH];
            byte[] keyMaterial = new byte[SessionTicket.KEY_MATERIAL_LENGTH];
            body.get(sessionId).get(keyMaterial);
            Instant expires = Instant.ofEpochMilli(body.getLong());
            Direction direction = Direction.fromCode(body.get());
            byte[] scope = new byte[Short.toUnsignedInt(body.getShort())];
            body.get(scope);
            if (body.hasRemaining() || !expires.isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(new SessionTicket(sessionId, keyMaterial, expires, direction, new String(scope, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
