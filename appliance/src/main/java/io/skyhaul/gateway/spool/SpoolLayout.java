package io.skyhaul.gateway.spool;

import io.skyhaul.storage.engine.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where things live under the spool directory: {@code wal} (and {@code wal.new} during
 * compaction), {@code lock}, {@code incoming/ID.part} (bodies being received),
 * {@code data/ID} (acknowledged bodies) and {@code failed/ID} (kept bodies of given-up entries).
 * Ids are the only names taken from state, and they are checked before use.
 */
final class SpoolLayout {
    static final String PART_SUFFIX = ".part";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    SpoolLayout(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Path wal() {
        return dir.resolve("wal");
    }

    Path walNew() {
        return dir.resolve("wal.new");
    }

    Path lockFile() {
        return dir.resolve("lock");
    }

    Path incoming() {
        return dir.resolve("incoming");
    }

    Path data() {
        return dir.resolve("data");
    }

    Path failed() {
        return dir.resolve("failed");
    }

    Path part(String id) {
        return incoming().resolve(checked(id) + PART_SUFFIX);
    }

    Path dataFile(String id) {
        return data().resolve(checked(id));
    }

    Path failedFile(String id) {
        return failed().resolve(checked(id));
    }

    void createDirectories() throws IOException {
        for (Path p : new Path[] {dir, incoming(), data(), failed()}) {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                LocalFiles.fsyncDirectory(p.getParent());
            }
        }
    }

    /** 64 random bits as 16 hex digits: unguessable by other clients, and safe as a file name. */
    String newId() {
        return HexFormat.of().toHexDigits(random.nextLong());
    }

    static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    private static String checked(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a spool entry id: '" + id + "'");
        }
        return id;
    }
}
