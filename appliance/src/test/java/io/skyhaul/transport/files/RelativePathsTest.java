package io.skyhaul.transport.files;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule: a name never escapes the target directory, neither by syntax nor through a symbolic link. */
class RelativePathsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c", ".hidden", "a..b", "...", "..a", "café/日本語 ✓.txt", "with space/and-dash_underscore"})
    void plainNamesAreAccepted(String path) {
        assertDoesNotThrow(() -> RelativePaths.validate(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/a", "/etc/passwd", "..", "../a", "a/../b", "a/..", ".", "./a", "a/./b", "a//b", "a/", "a\\b",
        "..\\a", "a\u0000", "\u0000/a"})
    void unsafeSyntaxIsRefused(String path) {
        assertThrows(TransferRefusedException.class, () -> RelativePaths.validate(path));
    }

    @Test
    void theNulIsShownEscapedInTheMessage() {
        TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> RelativePaths.validate("a\u0000b"));
        assertTrue(e.getMessage().contains("a\\0b"), e.getMessage());
    }

    @Test
    void lengthLimitsAreEnforced() {
        assertDoesNotThrow(() -> RelativePaths.validate("n".repeat(RelativePaths.MAX_SEGMENT_BYTES)));
        assertThrows(TransferRefusedException.class, () -> RelativePaths.validate("n".repeat(RelativePaths.MAX_SEGMENT_BYTES + 1)));
        // 128 characters of 2-byte UTF-8 are 256 bytes: the limit counts bytes, not characters.
        assertThrows(TransferRefusedException.class, () -> RelativePaths.validate("é".repeat(128)));
        assertThrows(TransferRefusedException.class, () -> RelativePaths.validate(("d".repeat(100) + "/").repeat(41) + "f"));
    }

    @Test
    void resolveInsideReturnsThePathUnderTheRoot() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        assertEquals(root.resolve("a").resolve("b.txt"), RelativePaths.resolveInside(root, "a/b.txt"));
    }

    @Test
    void aSymbolicLinkInThePathIsRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectory(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("real/link"), outside);
        TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> RelativePaths.resolveInside(root, "real/link/secret"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertThrows(TransferRefusedException.class, () -> RelativePaths.resolveInside(root, "real/link/new-file"));
    }

    @Test
    void aSymbolicLinkAtTheTargetIsRefusedEvenWhenDangling() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("to-passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));
        assertThrows(TransferRefusedException.class, () -> RelativePaths.resolveInside(root, "to-passwd"));
        assertThrows(TransferRefusedException.class, () -> RelativePaths.resolveInside(root, "dangling"));
    }

    @Test
    void createDirectoriesInsideMakesEveryLevel() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        RelativePaths.createDirectoriesInside(root, root.resolve("a/b/c"));
        assertTrue(Files.isDirectory(root.resolve("a/b/c"), LinkOption.NOFOLLOW_LINKS));
        RelativePaths.createDirectoriesInside(root, root.resolve("a/b/c"));
        assertTrue(Files.isDirectory(root.resolve("a/b/c")), "existing directories are fine");
    }

    @Test
    void createDirectoriesInsideRefusesLinksAndFiles() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.writeString(root.resolve("file"), "x");
        assertThrows(TransferRefusedException.class, () -> RelativePaths.createDirectoriesInside(root, root.resolve("link/sub")));
        assertFalse(Files.exists(outside.resolve("sub")), "nothing was created through the link");
        TransferRefusedException e = assertThrows(TransferRefusedException.class,
                () -> RelativePaths.createDirectoriesInside(root, root.resolve("file/sub")));
        assertTrue(e.getMessage().contains("a file of that name exists"), e.getMessage());
    }

    /**
     * The target directory itself may be reached through a link (a mount point linked into place,
     * /data -> /mnt/disk1): the rule is about components under it. Files at the top level of the
     * target go through createDirectoriesInside(root, root).
     */
    @Test
    void aRootThatIsItselfALinkIsUsable() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real-root"));
        Path root = Files.createSymbolicLink(tmp.resolve("root-link"), real);
        assertEquals(root.resolve("a"), RelativePaths.resolveInside(root, "a"));
        assertDoesNotThrow(() -> RelativePaths.createDirectoriesInside(root, root));
        RelativePaths.createDirectoriesInside(root, root.resolve("x/y"));
        assertTrue(Files.isDirectory(real.resolve("x/y")));
    }

    @Test
    void createDirectoriesInsideRefusesADirectoryOutsideTheRoot() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        assertThrows(TransferRefusedException.class, () -> RelativePaths.createDirectoriesInside(root, tmp.resolve("elsewhere/sub")));
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
    }

    @Test
    void createDirectoriesInsideOfTheRootItselfIsANoOp() throws IOException, TransferRefusedException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        RelativePaths.createDirectoriesInside(root, root);
        try (var s = Files.list(root)) {
            assertEquals(0, s.count());
        }
    }
}
