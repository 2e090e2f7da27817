package io.skyhaul.gateway.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The write-ahead log is damaged somewhere other than its tail. Skipping the damaged record
 * would silently forget (or resurrect) acknowledged files, so the spool refuses to open.
 */
public final class SpoolCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public SpoolCorruptException(Path file, long offset, String problem) {
        super("spool write-ahead log " + file + " is corrupt at offset " + offset + ": " + problem
                + "; the spool does not start rather than skip acknowledged records (inspect the file, or move it and the data/ directory aside)");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
