package io.skyhaul.transport.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A ticket opens only under the pre-shared key that sealed it, intact, and before it expires. */
class TicketSealerTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private final PreSharedKey psk = PreSharedKey.generate(new SecureRandom());
    private final TicketSealer sealer = sealer(psk, NOW);

    @Test
    void aSealedTicketOpensToTheSameTicket() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "projects/2025");
        Optional<SessionTicket> opened = sealer.open(ByteBuffer.wrap(sealer.seal(ticket)));
        assertEquals(Optional.of(ticket), opened);
        SessionTicket t = opened.orElseThrow();
        assertEquals(Direction.UPLOAD, t.direction());
        assertEquals("projects/2025", t.scope());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), t.expiresAt());
        assertArrayEquals(ticket.keyMaterial(), t.keyMaterial());
        assertArrayEquals(ticket.sessionId(), t.sessionId());
    }

    @Test
    void everyDirectionAndAUnicodeScopeSurvive() {
        for (Direction d : Direction.values()) {
            SessionTicket ticket = sealer.issue(Duration.ofSeconds(30), d, "café/日本語 ✓");
            assertEquals(Optional.of(ticket), sealer.open(ByteBuffer.wrap(sealer.seal(ticket))), d.name());
        }
    }

    @Test
    void sealingTwiceUsesFreshNoncesAndBothOpen() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.BOTH, "");
        byte[] a = sealer.seal(ticket);
        byte[] b = sealer.seal(ticket);
        assertFalse(Arrays.equals(a, b));
        assertEquals(Optional.of(ticket), sealer.open(ByteBuffer.wrap(a)));
        assertEquals(Optional.of(ticket), sealer.open(ByteBuffer.wrap(b)));
    }

    @Test
    void issuedTicketsHaveDistinctSessionsAndKeys() {
        SessionTicket a = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        SessionTicket b = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        assertFalse(Arrays.equals(a.sessionId(), b.sessionId()));
        assertFalse(Arrays.equals(a.keyMaterial(), b.keyMaterial()));
        assertNotEquals(a.connectionId(), b.connectionId());
    }

    @Test
    void theConnectionIdIsTheFirstEightBytesOfTheSessionId() {
        byte[] id = {1, 2, 3, 4, 5, 6, 7, (byte) 0xf8, 9, 9, 9, 9, 9, 9, 9, 9};
        SessionTicket t = new SessionTicket(id, new byte[32], NOW, Direction.UPLOAD, "");
        assertEquals(0x01020304050607f8L, t.connectionId());
        assertEquals("01020304050607f8" + "09".repeat(8), t.sessionIdHex());
    }

    @Test
    void anotherPreSharedKeyCannotOpenIt() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        TicketSealer other = sealer(PreSharedKey.generate(new SecureRandom()), NOW);
        assertEquals(Optional.empty(), other.open(ByteBuffer.wrap(sealer.seal(ticket))));
    }

    @Test
    void anExpiredTicketDoesNotOpen() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "");
        byte[] sealed = sealer.seal(ticket);
        assertTrue(sealer(psk, NOW.plus(Duration.ofMinutes(5)).minusMillis(1)).open(ByteBuffer.wrap(sealed)).isPresent());
        assertEquals(Optional.empty(), sealer(psk, NOW.plus(Duration.ofMinutes(5))).open(ByteBuffer.wrap(sealed)), "at the expiry instant");
        assertEquals(Optional.empty(), sealer(psk, NOW.plus(Duration.ofDays(1))).open(ByteBuffer.wrap(sealed)));
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] sealed = sealer.seal(sealer.issue(Duration.ofMinutes(5), Direction.DOWNLOAD, "scope"));
        for (int n = 0; n < sealed.length; n++) {
            assertEquals(Optional.empty(), sealer.open(ByteBuffer.wrap(Arrays.copyOf(sealed, n))), "truncated to " + n);
        }
    }

    @Test
    void everySingleBitFlipIsRefused() {
        byte[] sealed = sealer.seal(sealer.issue(Duration.ofMinutes(5), Direction.DOWNLOAD, "scope"));
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = sealed.clone();
                bad[i] ^= (byte) (1 << bit);
                assertEquals(Optional.empty(), sealer.open(ByteBuffer.wrap(bad)), "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void appendedBytesAreRefused() {
        byte[] sealed = sealer.seal(sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, ""));
        assertEquals(Optional.empty(), sealer.open(ByteBuffer.wrap(Arrays.copyOf(sealed, sealed.length + 1))));
    }

    @Test
    void openReadsFromThePositionAndLeavesTheBufferAlone() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "x");
        byte[] sealed = sealer.seal(ticket);
        ByteBuffer datagram = ByteBuffer.allocateDirect(sealed.length + 20);
        datagram.position(20);
        datagram.put(sealed).position(20);
        assertEquals(Optional.of(ticket), sealer.open(datagram));
        assertEquals(20, datagram.position());
        assertEquals(sealed.length + 20, datagram.limit());
    }

    @Test
    void aScopeLongerThanTheLimitCannotBeSealed() {
        SessionTicket ticket = sealer.issue(Duration.ofMinutes(5), Direction.UPLOAD, "a".repeat(TicketSealer.MAX_SCOPE_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> sealer.seal(ticket));
    }

    static TicketSealer sealer(PreSharedKey key, Instant now) {
        return new TicketSealer(key, new SecureRandom(), Clock.fixed(now, ZoneOffset.UTC));
    }
}
