package io.skyhaul.transport.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM protection of one direction of a session. The 96-bit nonce is the direction's
 * IV base XOR the 64-bit packet number, so a nonce never repeats while packet numbers never
 * repeat (the sender never reuses one, not even for a retransmission).
 *
 * <p>One instance per direction and per thread: the JDK {@link Cipher} is reused across
 * packets (only re-initialised with the new nonce), which avoids a Cipher allocation per packet.
 */
public final class PacketProtection {
    public static final int TAG_LENGTH = 16;
    private static final int NONCE_LENGTH = 12;

    private final SecretKeySpec key;
    private final byte[] ivBase;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private final Cipher sealer;
    private final Cipher opener;

    public PacketProtection(byte[] key, byte[] ivBase) {
        if (key.length != 32 || ivBase.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key and a 12-byte IV base");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.ivBase = ivBase.clone();
        try {
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
            this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    /**
     * Encrypts {@code plaintext} (position to limit) into {@code out} at its position, appending
     * the tag. {@code aad} is authenticated but not encrypted.
     */
    public void seal(long packetNumber, ByteBuffer aad, ByteBuffer plaintext, ByteBuffer out) {
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, spec(packetNumber));
            sealer.updateAAD(aad);
            sealer.doFinal(plaintext, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Decrypts and verifies {@code ciphertext} (position to limit, tag included) into
     * {@code out}. Returns false, and leaves nothing trusted in {@code out}, when the datagram
     * was forged, corrupted or sealed under another key.
     */
    public boolean open(long packetNumber, ByteBuffer aad, ByteBuffer ciphertext, ByteBuffer out) {
        if (ciphertext.remaining() < TAG_LENGTH || out.remaining() < ciphertext.remaining() - TAG_LENGTH) {
            return false;
        }
        try {
            opener.init(Cipher.DECRYPT_MODE, key, spec(packetNumber));
            opener.updateAAD(aad);
            opener.doFinal(ciphertext, out);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    private GCMParameterSpec spec(long packetNumber) {
        System.arraycopy(ivBase, 0, nonce, 0, NONCE_LENGTH);
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_LENGTH - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
        }
        return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
    }
}
