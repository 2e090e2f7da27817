package io.skyhaul.transport.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869). Every key in Skyhaul is derived from some input key material with a
 * distinct label, so no key is ever used for two purposes.
 */
public final class KeySchedule {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LEN = 32;
    /** RFC 5869: the one-byte block counter limits the output to 255 blocks. */
    public static final int MAX_LENGTH = 255 * HASH_LEN;

    private KeySchedule() {
    }

    /** HKDF-Extract then HKDF-Expand of {@code length} bytes with the given label as info. */
    public static byte[] derive(byte[] inputKeyMaterial, byte[] salt, String label, int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 derives 0 to " + MAX_LENGTH + " bytes, not " + length);
        }
        try {
            byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LEN] : salt, inputKeyMaterial);
            byte[] info = ("skyhaul " + label).getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int done = 0;
            for (int counter = 1; done < length; counter++) {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(prk, HMAC));
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(key, HMAC));
        return mac.doFinal(data);
    }
}
