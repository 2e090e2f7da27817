package io.skyhaul.transport.files;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes manifest encodings by hand, including ones our own encoder would never produce. */
final class ManifestBytes {
    static final int FILE = 0;
    static final int DIRECTORY = 1;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private int count;
    private Integer declaredCount;

    ManifestBytes file(String path, long size) {
        return entry(FILE, path.getBytes(StandardCharsets.UTF_8), size, 1_700_000_000_000L);
    }

    ManifestBytes directory(String path) {
        return entry(DIRECTORY, path.getBytes(StandardCharsets.UTF_8), 0, 1_700_000_000_000L);
    }

    ManifestBytes entry(int kind, byte[] name, long size, long modified) {
        try {
            out.writeByte(kind);
            out.writeShort(name.length);
            out.write(name);
            out.writeLong(size);
            out.writeLong(modified);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count++;
        return this;
    }

    /** Declares a count other than the number of entries written. */
    ManifestBytes declaredCount(int n) {
        declaredCount = n;
        return this;
    }

    byte[] toBytes() {
        byte[] body = bytes.toByteArray();
        int n = declaredCount != null ? declaredCount : count;
        byte[] all = new byte[4 + body.length];
        all[0] = (byte) (n >>> 24);
        all[1] = (byte) (n >>> 16);
        all[2] = (byte) (n >>> 8);
        all[3] = (byte) n;
        System.arraycopy(body, 0, all, 4, body.length);
        return all;
    }
}
