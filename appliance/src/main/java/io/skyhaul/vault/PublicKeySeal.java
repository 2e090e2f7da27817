package io.skyhaul.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret so that only the holder of one X25519 private key can open it: an ephemeral
 * X25519 key agreement with the recipient's public key, HKDF-SHA256 over the shared secret (salt:
 * both public keys), and AES-256-GCM with caller-chosen associated data. The manager uses it to
 * hand a new gateway its key: whoever reads the answer on the way, or the database row, learns
 * nothing without the private key that never left the gateway.
 *
 * <p>Layout: version (1) | ephemeral public key length (2) | ephemeral public key (X.509) |
 * nonce (12) | ciphertext + tag (16).
 */
public final class PublicKeySeal {
    private static final byte VERSION = 1;
    private static final String CURVE = "X25519";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] INFO = "skyhaul public-key seal v1".getBytes(StandardCharsets.US_ASCII);

    private PublicKeySeal() {
    }

    public static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(CURVE);
            g.initialize(255, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every JDK since 11", e);
        }
    }

    /** The public key from its base64 X.509 encoding; IllegalArgumentException when it is not an X25519 key. */
    public static PublicKey publicKey(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            PublicKey k = KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(der));
            return k;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X25519 public key (base64 of its X.509 encoding)");
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** What a person compares on both screens: the first 16 hex digits of the SHA-256 of the encoded key, in groups of four. */
    public static String fingerprint(PublicKey key) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
            return hex.substring(0, 4) + ":" + hex.substring(4, 8) + ":" + hex.substring(8, 12) + ":" + hex.substring(12, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static byte[] seal(PublicKey recipient, byte[] plaintext, String boundTo, SecureRandom random) {
        try {
            KeyPair ephemeral = newKeyPair(random);
            SecretKeySpec key = derive(ephemeral.getPrivate(), recipient, ephemeral.getPublic().getEncoded(), recipient.getEncoded());
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext);
            byte[] eph = ephemeral.getPublic().getEncoded();
            return ByteBuffer.allocate(1 + 2 + eph.length + NONCE + sealed.length).put(VERSION).putShort((short) eph.length).put(eph)
                    .put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 and AES-GCM are part of every JDK", e);
        }
    }

    public static byte[] open(KeyPair recipient, byte[] sealed, String boundTo) throws VaultException {
        try {
            ByteBuffer b = ByteBuffer.wrap(sealed);
            if (b.remaining() < 3 || b.get() != VERSION) {
                throw new VaultException("the sealed secret is damaged or of an unknown version");
            }
            int ephLength = b.getShort() & 0xffff;
            if (b.remaining() < ephLength + NONCE + TAG_BITS / 8) {
                throw new VaultException("the sealed secret is damaged (too short)");
            }
            byte[] eph = new byte[ephLength];
            b.get(eph);
            byte[] nonce = new byte[NONCE];
            b.get(nonce);
            PublicKey ephemeral = KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(eph));
            SecretKeySpec key = derive(recipient.getPrivate(), ephemeral, eph, recipient.getPublic().getEncoded());
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, b.position(), b.remaining());
        } catch (javax.crypto.AEADBadTagException e) {
            throw new VaultException("the sealed secret does not open with this key pair (sealed for another key, or altered)");
        } catch (java.security.spec.InvalidKeySpecException | java.nio.BufferUnderflowException e) {
            throw new VaultException("the sealed secret is damaged");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 and AES-GCM are part of every JDK", e);
        }
    }

    /** HKDF-SHA256 (RFC 5869) of the X25519 shared secret, salted with both public keys: one 256-bit AES key. */
    private static SecretKeySpec derive(PrivateKey own, PublicKey other, byte[] ephemeralPublic, byte[] recipientPublic)
            throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance(CURVE);
        agreement.init(own);
        agreement.doPhase(other, true);
        byte[] shared = agreement.generateSecret();
        byte[] salt = ByteBuffer.allocate(ephemeralPublic.length + recipientPublic.length).put(ephemeralPublic).put(recipientPublic).array();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(shared);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(INFO);
        mac.update((byte) 1);
        byte[] okm = mac.doFinal();
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(prk, (byte) 0);
        return new SecretKeySpec(okm, "AES");
    }
}
