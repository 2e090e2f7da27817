package io.skyhaul.storage.engine;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** The digests and encodings the stores exchange. */
public final class Digests {
    private Digests() {
    }

    public static MessageDigest sha256() {
        return newDigest("SHA-256");
    }

    /** The SHA-256 of a whole file, read in 1 MiB pieces. */
    public static byte[] sha256(java.nio.file.Path file) throws java.io.IOException {
        MessageDigest sha = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) >= 0) {
                sha.update(buffer.flip());
            }
        }
        return sha.digest();
    }

    public static MessageDigest md5() {
        return newDigest("MD5");
    }

    /** CRC32C of the remaining bytes; the buffer's position is not moved. */
    public static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    /** MD5 of the remaining bytes; the buffer's position is not moved. */
    public static byte[] md5(ByteBuffer data) {
        MessageDigest md = md5();
        md.update(data.duplicate());
        return md.digest();
    }

    /** S3's encoding of a CRC32C: the four big-endian bytes in base64. */
    public static String crc32cBase64(int crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array());
    }

    public static String hex(byte[] digest) {
        return digest == null ? null : HexFormat.of().formatHex(digest);
    }

    /** The bytes of a hex SHA-256, or null if {@code hex} is not one. */
    public static byte[] parseSha256Hex(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
