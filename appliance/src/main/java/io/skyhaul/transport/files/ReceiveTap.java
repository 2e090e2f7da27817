package io.skyhaul.transport.files;

import java.nio.ByteBuffer;

/**
 * Sees each received file's bytes, in order, as the receiver reads them back to verify them:
 * the node streams them on into object storage while the transfer runs. Called on the verifier's
 * thread; a slow tap slows verification (and so the end of the session), never the reception.
 * Resumed sessions replay each file from its first byte.
 */
public interface ReceiveTap {
    ReceiveTap NONE = new ReceiveTap() {
    };

    /** File {@code file} (its path in the manifest, {@code size} bytes) begins; every file is announced, empty ones too. */
    default void fileStarted(int file, String path, long size) {
    }

    /** The file's next bytes; {@code data} is valid only during the call. */
    default void bytes(int file, ByteBuffer data) {
    }

    /** The file was read to its end: its SHA-256, which the transfer's digest table must then confirm. */
    default void fileHashed(int file, byte[] sha256) {
    }
}
