package io.skyhaul.transport.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receiver decodes a manifest a peer sent: whatever the bytes, decode() either returns a
 * manifest of safe, unique paths or throws TransferRefusedException, never anything else.
 */
class ManifestDecodeTest {

    private static Manifest sample() {
        return new Manifest(List.of(
                new ManifestEntry("tree", true, 0, 1000),
                new ManifestEntry("tree/a.txt", false, 12, 2000),
                new ManifestEntry("tree/empty", false, 0, 3000),
                new ManifestEntry("tree/café/日本語 ✓.txt", false, 1 << 20, 4000)));
    }

    @Test
    void anEncodedManifestDecodesToTheSameEntriesAndKey() throws Exception {
        Manifest m = sample();
        Manifest decoded = Manifest.decode(m.encoded());
        assertEquals(m.entries(), decoded.entries());
        assertArrayEquals(m.encoded(), decoded.encoded());
        assertEquals(m.transferKey(), decoded.transferKey());
        assertTrue(m.transferKey().matches("[0-9a-f]{32}"), m.transferKey());
        assertEquals(3, decoded.fileCount());
        assertEquals(12 + (1 << 20), decoded.totalFileBytes());
    }

    @Test
    void theTransferKeyChangesWithAnyEntry() {
        Manifest m = sample();
        Manifest touched = new Manifest(List.of(
                new ManifestEntry("tree", true, 0, 1000),
                new ManifestEntry("tree/a.txt", false, 12, 2001),
                new ManifestEntry("tree/empty", false, 0, 3000),
                new ManifestEntry("tree/café/日本語 ✓.txt", false, 1 << 20, 4000)));
        assertNotEquals(m.transferKey(), touched.transferKey(), "a new modification time is a new transfer");
    }

    @Test
    void anEmptyManifestIsValid() throws Exception {
        assertEquals(List.of(), Manifest.decode(new byte[4]).entries());
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] full = sample().encoded();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(TransferRefusedException.class, () -> Manifest.decode(cut), "truncated to " + n + " of " + full.length);
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] full = sample().encoded();
        TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> Manifest.decode(Arrays.copyOf(full, full.length + 3)));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, Manifest.MAX_ENTRIES + 1, -1, Integer.MIN_VALUE})
    void anAbsurdEntryCountIsRefusedBeforeAnyAllocation(int count) {
        byte[] bytes = new ManifestBytes().file("a", 1).declaredCount(count).toBytes();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> Manifest.decode(bytes));
            assertTrue(e.getMessage().contains("entries"), e.getMessage());
        });
    }

    @Test
    void aLargeCountWithFewEntriesIsRefusedAsTruncatedQuickly() {
        byte[] bytes = new ManifestBytes().file("a", 1).declaredCount(Manifest.MAX_ENTRIES).toBytes();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> Manifest.decode(bytes));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        });
    }

    @Test
    void aDuplicatePathIsRefused() {
        assertRefused(new ManifestBytes().file("a/b", 1).directory("a").file("a/b", 2), "appears twice");
        assertRefused(new ManifestBytes().directory("d").directory("d"), "appears twice");
        assertRefused(new ManifestBytes().file("x", 1).directory("x"), "appears twice");
    }

    @Test
    void aPathThatIsBothAFileAndADirectoryIsRefused() {
        assertRefused(new ManifestBytes().file("a", 1).file("a/b", 1), "both a file and a directory");
        assertRefused(new ManifestBytes().file("a/b/c", 1).file("a", 1), "both a file and a directory");
        assertRefused(new ManifestBytes().file("a/b", 1).directory("a/b/c"), "both a file and a directory");
    }

    @Test
    void aFileInsideADirectoryEntryIsFine() throws Exception {
        Manifest m = Manifest.decode(new ManifestBytes().directory("a").file("a/b", 1).directory("a/c").file("ab", 2).toBytes());
        assertEquals(4, m.entries().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../../x", "a/..", ".", "./a", "a/./b", "/etc/passwd", "/", "a//b", "a/", "//a",
        "a\\..\\b", "..\\x", "a\u0000b", "\u0000", ""})
    void anUnsafePathIsRefused(String path) {
        assertRefused(new ManifestBytes().file(path, 1), "");
        assertRefused(new ManifestBytes().directory("ok").directory(path), "");
    }

    @Test
    void overlongPathsAndNamesAreRefused() {
        assertRefused(new ManifestBytes().file("n".repeat(RelativePaths.MAX_SEGMENT_BYTES + 1), 1), "longer than");
        String deep = ("d".repeat(200) + "/").repeat(21) + "f";
        assertRefused(new ManifestBytes().file(deep, 1), "longer than");
    }

    @Test
    void invalidUtf8NeverDecodesIntoASeparatorOrDotDot() throws Exception {
        // Overlong encodings of '/' (C0 AF) and '.' (C0 AE) must not turn into path syntax.
        byte[] name = {'a', (byte) 0xC0, (byte) 0xAF, (byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE, 'b'};
        Manifest m = Manifest.decode(new ManifestBytes().entry(ManifestBytes.FILE, name, 1, 0).toBytes());
        String path = m.entries().get(0).path();
        assertFalse(path.contains("/") || path.contains(".."), path);
    }

    @Test
    void anUnknownKindIsRefused() {
        assertRefused(new ManifestBytes().entry(2, "a".getBytes(StandardCharsets.UTF_8), 0, 0), "unknown kind");
        assertRefused(new ManifestBytes().entry(0xff, "a".getBytes(StandardCharsets.UTF_8), 0, 0), "unknown kind");
    }

    @Test
    void invalidSizesAreRefused() {
        assertRefused(new ManifestBytes().file("a", -1), "invalid size");
        assertRefused(new ManifestBytes().file("a", Long.MIN_VALUE), "invalid size");
        assertRefused(new ManifestBytes().entry(ManifestBytes.DIRECTORY, "d".getBytes(StandardCharsets.UTF_8), 5, 0), "invalid size");
    }

    @Test
    void sizesWhoseSumOverflowsALongAreRefused() {
        // Each size is valid alone; together they would wrap the byte space's offsets negative.
        assertRefused(new ManifestBytes().file("a", Long.MAX_VALUE / 2 + 1).file("b", Long.MAX_VALUE / 2 + 1), "");
        assertRefused(new ManifestBytes().file("a", Long.MAX_VALUE).file("b", 1), "");
        assertRefused(new ManifestBytes().file("a", Long.MAX_VALUE), "");
    }

    private static void assertRefused(ManifestBytes manifest, String messagePart) {
        byte[] bytes = manifest.toBytes();
        TransferRefusedException e = assertThrows(TransferRefusedException.class, () -> Manifest.decode(bytes));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
