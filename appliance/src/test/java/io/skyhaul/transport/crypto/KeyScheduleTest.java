package io.skyhaul.transport.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KeySchedule#derive} must be HKDF-SHA256 (RFC 5869) with info = "skyhaul " + label. The
 * test carries its own textbook HKDF, first checked against the RFC's test vectors, then used as
 * the oracle for derive().
 */
class KeyScheduleTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void referenceHkdfMatchesRfc5869TestCase1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HEX.formatHex(referenceHkdf(ikm, salt, info, 42)));
    }

    @Test
    void referenceHkdfMatchesRfc5869TestCase3() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                HEX.formatHex(referenceHkdf(ikm, new byte[0], new byte[0], 42)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 12, 31, 32, 33, 64, 100, 255 * 32})
    void deriveIsHkdfSha256WithPrefixedLabel(int length) {
        SplittableRandom random = new SplittableRandom(length);
        byte[] ikm = bytes(random, 32);
        byte[] salt = bytes(random, 16);
        byte[] expected = referenceHkdf(ikm, salt, "skyhaul client key".getBytes(StandardCharsets.US_ASCII), length);
        assertArrayEquals(expected, KeySchedule.derive(ikm, salt, "client key", length));
    }

    @Test
    void moreThan255BlocksIsRefusedRatherThanWrappingTheCounter() {
        byte[] ikm = bytes(new SplittableRandom(7), 32);
        assertThrows(IllegalArgumentException.class, () -> KeySchedule.derive(ikm, new byte[0], "x", KeySchedule.MAX_LENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> KeySchedule.derive(ikm, new byte[0], "x", -1));
    }

    @Test
    void anEmptySaltMeansHashLengthZeros() {
        byte[] ikm = bytes(new SplittableRandom(1), 32);
        byte[] expected = referenceHkdf(ikm, new byte[32], "skyhaul ticket key".getBytes(StandardCharsets.US_ASCII), 32);
        assertArrayEquals(expected, KeySchedule.derive(ikm, new byte[0], "ticket key", 32));
    }

    @Test
    void deriveIsDeterministic() {
        byte[] ikm = bytes(new SplittableRandom(2), 32);
        byte[] salt = bytes(new SplittableRandom(3), 16);
        assertArrayEquals(KeySchedule.derive(ikm, salt, "node key", 32), KeySchedule.derive(ikm.clone(), salt.clone(), "node key", 32));
    }

    @Test
    void labelsSaltsAndInputKeysSeparateTheOutputs() {
        byte[] ikm = bytes(new SplittableRandom(4), 32);
        byte[] salt = bytes(new SplittableRandom(5), 16);
        byte[] base = KeySchedule.derive(ikm, salt, "client key", 32);
        assertFalse(Arrays.equals(base, KeySchedule.derive(ikm, salt, "node key", 32)), "another label");
        assertFalse(Arrays.equals(base, KeySchedule.derive(ikm, salt, "client key ", 32)), "a label that differs by a space");
        byte[] otherSalt = salt.clone();
        otherSalt[0] ^= 1;
        assertFalse(Arrays.equals(base, KeySchedule.derive(ikm, otherSalt, "client key", 32)), "another salt");
        byte[] otherIkm = ikm.clone();
        otherIkm[31] ^= 1;
        assertFalse(Arrays.equals(base, KeySchedule.derive(otherIkm, salt, "client key", 32)), "another input key");
    }

    @Test
    void aShorterOutputIsAPrefixOfALongerOne() {
        byte[] ikm = bytes(new SplittableRandom(6), 32);
        byte[] longer = KeySchedule.derive(ikm, new byte[0], "client iv", 80);
        assertArrayEquals(Arrays.copyOf(longer, 12), KeySchedule.derive(ikm, new byte[0], "client iv", 12));
    }

    /** RFC 5869 section 2, written out plainly. */
    static byte[] referenceHkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] okm = new byte[length];
            byte[] t = new byte[0];
            for (int i = 1, done = 0; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, okm, done, n);
                done += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
