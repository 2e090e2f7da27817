package io.skyhaul.storage.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Durability steps on the local filesystem. */
public final class LocalFiles {
    private LocalFiles() {
    }

    /** Makes a rename or creation inside {@code dir} durable (Linux: fsync on the directory). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }
}
