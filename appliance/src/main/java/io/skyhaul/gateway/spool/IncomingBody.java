package io.skyhaul.gateway.spool;

import io.skyhaul.storage.engine.LocalFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Receives one body: exactly {@code size} bytes into {@code incoming/ID.part}, hashed with
 * SHA-256 as they pass, then fsynced, checked against the expected digest, renamed to
 * {@code data/ID} and the rename made durable. Any failure deletes what was written, so only a
 * complete, verified and durable body ever reaches {@code data/}.
 */
final class IncomingBody {
    static final int BUFFER_BYTES = 64 * 1024;

    private IncomingBody() {
    }

    /** Returns the body's SHA-256 (lowercase hex) once it is durable at {@code target}. */
    static String receive(InputStream body, long size, String expectedSha256Hex, Path part, Path target)
            throws IOException, SpoolRefusedException {
        try {
            String sha = write(body, size, part);
            if (expectedSha256Hex != null && !expectedSha256Hex.equalsIgnoreCase(sha)) {
                throw new SpoolRefusedException("the body's SHA-256 is " + sha + ", the client announced "
                        + expectedSha256Hex.toLowerCase(Locale.ROOT));
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            LocalFiles.fsyncDirectory(target.getParent());
            return sha;
        } catch (Throwable t) {
            deleteBoth(part, target, t);
            throw t;
        }
    }

    private static String write(InputStream body, long size, Path part) throws IOException, SpoolRefusedException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, size))];
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written < size) {
                int n = body.read(buf, 0, (int) Math.min(buf.length, size - written));
                if (n < 0) {
                    throw new SpoolRefusedException("the body ended after " + written + " of the announced " + size + " bytes");
                }
                sha.update(buf, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buf, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                written += n;
            }
            if (body.read() >= 0) {
                throw new SpoolRefusedException("the body is longer than the announced " + size + " bytes");
            }
            out.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Leaves nothing behind; a failure to delete is attached to the failure that brought us here. */
    private static void deleteBoth(Path part, Path target, Throwable cause) {
        for (Path p : new Path[] {part, target}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
