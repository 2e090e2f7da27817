package io.skyhaul.gateway.hotfolder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule: "a file the gateway writes or moves is either entirely at its name, or not there".
 * Writes go to a hidden temporary name in the same directory, are forced to disk, then renamed
 * atomically; the directory is then forced so that the rename survives a power cut.
 */
final class DurableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /** Writes UTF-8 text at {@code target}, replacing it, through a temporary file and an atomic rename. */
    static void writeAtomically(Path target, String text) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".skyhaul-tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(text));
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /**
     * Copies {@code source} to {@code target} on another filesystem: into a hidden temporary file
     * beside the target (replacing one a crash left), with the source's mtime and permissions,
     * forced to disk, then renamed atomically. The caller deletes the source.
     */
    static void copyAcross(Path source, Path target) throws IOException {
        Path temporary = copyTemporaryFor(target);
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        // Read-only is enough for fsync, and the copied permissions may not allow writing.
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.READ)) {
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
    }

    /** Where {@link #copyAcross} writes before the rename; a crash may leave it behind. */
    static Path copyTemporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".skyhaul-copy");
    }

    /**
     * Forces a directory's entries to disk. Best effort: some network filesystems refuse to open
     * or fsync a directory, and the rename it would make durable has already happened.
     */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("could not fsync directory {} ({}); the rename is done but may not survive a power cut", directory, e.toString());
        }
    }
}
