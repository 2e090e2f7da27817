package io.skyhaul.storage.local;

import io.skyhaul.storage.engine.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The SHA-256 of a local object, kept in the extended attribute {@code user.skyhaul.sha256}
 * (lower-case hex), set on the temp file before the rename so that it is published with the file.
 * On a filesystem without user extended attributes nothing is stored and reads give null.
 */
final class Sha256Attribute {
    private static final String NAME = "skyhaul.sha256";

    private Sha256Attribute() {
    }

    /** Stores the digest; false if the filesystem cannot. */
    static boolean write(Path file, byte[] sha256) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            view.write(NAME, ByteBuffer.wrap(Digests.hex(sha256).getBytes(StandardCharsets.US_ASCII)));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The stored hex digest, or null if there is none (or it is not a SHA-256). */
    static String read(Path file) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            if (!view.list().contains(NAME)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(view.size(NAME));
            view.read(NAME, b);
            String hex = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
            return Digests.parseSha256Hex(hex) == null ? null : hex;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
