package io.skyhaul.transport.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Rule: "a name never escapes the target directory". A relative transfer path is accepted only
 * if every segment is a plain name (not empty, not '.', not '..', no NUL, no backslash) and it is
 * not absolute; when resolved, no existing component under the target may be a symbolic link.
 */
public final class RelativePaths {
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_SEGMENT_BYTES = 255;

    private RelativePaths() {
    }

    /** Checks the syntax of a transfer path; the message names the path and the reason. */
    public static void validate(String path) throws TransferRefusedException {
        if (path.isEmpty()) {
            throw new TransferRefusedException("refused an empty path");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new TransferRefusedException("refused a path longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (path.startsWith("/")) {
            throw new TransferRefusedException("refused absolute path '" + path + "': transfer paths are relative to the target directory");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new TransferRefusedException("refused path '" + printable(path) + "': it contains a NUL or backslash character");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new TransferRefusedException("refused path '" + path + "': it would escape or confuse the target directory ('"
                        + segment + "' segment)");
            }
            if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new TransferRefusedException("refused path '" + path + "': a name is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
    }

    /**
     * Resolves a validated path under {@code root} and refuses it if any existing component
     * between root and the target (the target itself included) is a symbolic link.
     */
    public static Path resolveInside(Path root, String path) throws TransferRefusedException {
        validate(path);
        Path current = root;
        for (String segment : path.split("/")) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw new TransferRefusedException("refused path '" + path + "': '" + root.relativize(current)
                        + "' is a symbolic link, and links may lead outside the target directory");
            }
        }
        if (!current.normalize().startsWith(root.normalize())) {
            throw new TransferRefusedException("refused path '" + path + "': it resolves outside the target directory");
        }
        return current;
    }

    /**
     * Creates the directories of {@code dir} under root, refusing to pass through links or files.
     * The root itself is not checked (it may be reached through a link, like a mount point linked
     * into place); {@code dir == root} creates nothing.
     */
    public static void createDirectoriesInside(Path root, Path dir) throws IOException, TransferRefusedException {
        Path relative = root.relativize(dir);
        if (relative.toString().isEmpty()) {
            return;
        }
        if (relative.startsWith("..")) {
            throw new TransferRefusedException("refused directory '" + dir + "': it is outside the target directory");
        }
        Path current = root;
        for (Path segment : relative) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw new TransferRefusedException("refused directory '" + root.relativize(current) + "': it is a symbolic link");
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                    throw new TransferRefusedException("cannot create directory '" + root.relativize(current) + "': a file of that name exists");
                }
                Files.createDirectory(current);
            }
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
