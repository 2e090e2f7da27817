package io.skyhaul.transport.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** AES-256-GCM per packet: what is sealed opens only with the same key, IV base, packet number and header. */
class PacketProtectionTest {
    private static final byte[] HEADER = "header-18-bytes!!!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "the body of a DATA packet, some bytes of a file".getBytes(StandardCharsets.US_ASCII);

    private final SplittableRandom random = new SplittableRandom(11);
    private final byte[] key = KeyScheduleTest.bytes(random, 32);
    private final byte[] iv = KeyScheduleTest.bytes(random, 12);

    @Test
    void sealedPacketOpensToThePlaintext() {
        byte[] sealed = seal(new PacketProtection(key, iv), 7, HEADER, BODY);
        assertEquals(BODY.length + PacketProtection.TAG_LENGTH, sealed.length);
        assertFalse(Arrays.equals(BODY, Arrays.copyOf(sealed, BODY.length)), "the body travels encrypted");
        assertArrayEquals(BODY, open(new PacketProtection(key, iv), 7, HEADER, sealed));
    }

    @Test
    void anEmptyBodyStillCarriesATag() {
        byte[] sealed = seal(new PacketProtection(key, iv), 0, HEADER, new byte[0]);
        assertEquals(PacketProtection.TAG_LENGTH, sealed.length);
        assertArrayEquals(new byte[0], open(new PacketProtection(key, iv), 0, HEADER, sealed));
    }

    @Test
    void onlyTheGivenLengthOfTheHeaderIsAuthenticated() {
        byte[] longHeader = Arrays.copyOf(HEADER, HEADER.length + 10);
        byte[] out = new byte[BODY.length + PacketProtection.TAG_LENGTH];
        new PacketProtection(key, iv).seal(4, longHeader, HEADER.length, BODY, BODY.length, out, 0);
        assertArrayEquals(BODY, open(new PacketProtection(key, iv), 4, HEADER, out));
    }

    @Test
    void aTamperedHeaderFailsToOpen() {
        byte[] sealed = seal(new PacketProtection(key, iv), 7, HEADER, BODY);
        for (int i = 0; i < HEADER.length; i++) {
            byte[] header = HEADER.clone();
            header[i] ^= 0x01;
            assertEquals(null, open(new PacketProtection(key, iv), 7, header, sealed), "header byte " + i);
        }
    }

    @Test
    void aTamperedBodyOrTagFailsToOpen() {
        PacketProtection opener = new PacketProtection(key, iv);
        byte[] sealed = seal(new PacketProtection(key, iv), 7, HEADER, BODY);
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            assertEquals(null, open(opener, 7, HEADER, bad), (i < BODY.length ? "body" : "tag") + " byte " + i);
        }
        // A failed open leaves the reused cipher usable for the next, genuine packet.
        assertArrayEquals(BODY, open(opener, 7, HEADER, sealed));
    }

    @Test
    void aTruncatedPacketFailsToOpen() {
        byte[] sealed = seal(new PacketProtection(key, iv), 7, HEADER, BODY);
        PacketProtection opener = new PacketProtection(key, iv);
        for (int n = 0; n < sealed.length; n++) {
            assertEquals(null, open(opener, 7, HEADER, Arrays.copyOf(sealed, n)), "truncated to " + n);
        }
    }

    @Test
    void theWrongKeyOrIvBaseFailsToOpen() {
        byte[] sealed = seal(new PacketProtection(key, iv), 7, HEADER, BODY);
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        byte[] otherIv = iv.clone();
        otherIv[11] ^= 1;
        assertEquals(null, open(new PacketProtection(otherKey, iv), 7, HEADER, sealed));
        assertEquals(null, open(new PacketProtection(key, otherIv), 7, HEADER, sealed));
    }

    @Test
    void theWrongPacketNumberFailsToOpen() {
        byte[] sealed = seal(new PacketProtection(key, iv), 1L << 40, HEADER, BODY);
        PacketProtection opener = new PacketProtection(key, iv);
        for (long pn : new long[] {0, 1, (1L << 40) - 1, (1L << 40) + 1, -1, Long.MAX_VALUE}) {
            assertEquals(null, open(opener, pn, HEADER, sealed), "packet number " + pn);
        }
        assertArrayEquals(BODY, open(opener, 1L << 40, HEADER, sealed));
    }

    @Test
    void eachPacketNumberGivesADifferentCiphertext() {
        PacketProtection sealer = new PacketProtection(key, iv);
        byte[] first = seal(sealer, 1, HEADER, BODY);
        byte[] second = seal(sealer, 2, HEADER, BODY);
        assertFalse(Arrays.equals(first, second), "the nonce depends on the packet number");
    }

    @Test
    void openRefusesAnOutputBufferTooSmallInsteadOfThrowing() {
        byte[] sealed = seal(new PacketProtection(key, iv), 3, HEADER, BODY);
        assertEquals(-1, new PacketProtection(key, iv).open(3, HEADER, HEADER.length, sealed, 0, sealed.length, new byte[BODY.length - 1]));
    }

    @Test
    void directionsOfASessionUseSeparateKeys() {
        SessionKeys keys = SessionKeys.derive(KeyScheduleTest.bytes(random, 32), KeyScheduleTest.bytes(random, 16));
        byte[] fromClient = seal(keys.outgoing(true), 5, HEADER, BODY);
        assertArrayEquals(BODY, open(keys.incoming(false), 5, HEADER, fromClient), "the node opens what the client sealed");
        assertEquals(null, open(keys.incoming(true), 5, HEADER, fromClient), "a client's packet reflected back to it does not open");
        byte[] fromNode = seal(keys.outgoing(false), 5, HEADER, BODY);
        assertArrayEquals(BODY, open(keys.incoming(true), 5, HEADER, fromNode));
        assertFalse(Arrays.equals(fromClient, fromNode));
    }

    @Test
    void sessionKeysDependOnTheSessionId() {
        byte[] material = KeyScheduleTest.bytes(random, 32);
        byte[] id = KeyScheduleTest.bytes(random, 16);
        byte[] otherId = id.clone();
        otherId[15] ^= 1;
        byte[] sealed = seal(SessionKeys.derive(material, id).outgoing(true), 9, HEADER, BODY);
        assertEquals(null, open(SessionKeys.derive(material, otherId).incoming(false), 9, HEADER, sealed));
        assertArrayEquals(BODY, open(SessionKeys.derive(material, id).incoming(false), 9, HEADER, sealed));
    }

    @Test
    void constructorRefusesWrongKeyOrIvLengths() {
        assertThrows(IllegalArgumentException.class, () -> new PacketProtection(new byte[16], iv));
        assertThrows(IllegalArgumentException.class, () -> new PacketProtection(key, new byte[16]));
    }

    @Test
    void sealingManyPacketsWithOneInstanceRoundTrips() {
        PacketProtection sealer = new PacketProtection(key, iv);
        PacketProtection opener = new PacketProtection(key, iv);
        for (long pn = 0; pn < 500; pn++) {
            byte[] body = KeyScheduleTest.bytes(random, random.nextInt(1, 1400));
            byte[] sealed = seal(sealer, pn, HEADER, body);
            assertTrue(Arrays.equals(body, open(opener, pn, HEADER, sealed)), "packet " + pn);
        }
    }

    static byte[] seal(PacketProtection p, long pn, byte[] header, byte[] body) {
        byte[] out = new byte[body.length + PacketProtection.TAG_LENGTH + 7];
        int n = p.seal(pn, header, header.length, body, body.length, out, 7);
        assertEquals(body.length + PacketProtection.TAG_LENGTH, n);
        return Arrays.copyOfRange(out, 7, 7 + n);
    }

    /** The opened body, or null when open() refused the packet. */
    static byte[] open(PacketProtection p, long pn, byte[] header, byte[] sealed) {
        // The sealed bytes sit at an offset inside a larger datagram buffer, as they do on the wire.
        byte[] datagram = new byte[sealed.length + 30];
        System.arraycopy(sealed, 0, datagram, 30, sealed.length);
        byte[] plain = new byte[Math.max(0, sealed.length)];
        int n = p.open(pn, header, header.length, datagram, 30, sealed.length, plain);
        return n < 0 ? null : Arrays.copyOf(plain, n);
    }
}
