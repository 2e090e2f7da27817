package io.skyhaul.transport.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.transport.files.TransferLayout.Region;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one byte space of a session: header, file contents back to back, digest table. */
class TransferLayoutTest {
    private record Piece(Region region, int file, long regionOffset, int rangeOffset, int length) {
    }

    /** d/, d/a (0 bytes), d/b (5), d/c (0), d/e (3), z (0). */
    private static Manifest withEmptyFiles() {
        return new Manifest(List.of(
                new ManifestEntry("d", true, 0, 0),
                new ManifestEntry("d/a", false, 0, 0),
                new ManifestEntry("d/b", false, 5, 0),
                new ManifestEntry("d/c", false, 0, 0),
                new ManifestEntry("d/e", false, 3, 0),
                new ManifestEntry("z", false, 0, 0)));
    }

    private static List<Piece> pieces(TransferLayout layout, long offset, int length) {
        List<Piece> out = new ArrayList<>();
        layout.visit(offset, length, (region, file, regionOffset, rangeOffset, n) -> out.add(new Piece(region, file, regionOffset, rangeOffset, n)));
        return out;
    }

    @Test
    void emptyFilesTakeNoSpaceButKeepTheirOrdinalAndDigestSlot() {
        Manifest m = withEmptyFiles();
        TransferLayout layout = new TransferLayout(m);
        long h = 4 + m.encodedLength();
        assertEquals(h, layout.headerEnd());
        assertEquals(5, layout.fileCount());
        assertArrayEquals(new long[] {h, h, h + 5, h + 5, h + 8},
                new long[] {layout.fileStart(0), layout.fileStart(1), layout.fileStart(2), layout.fileStart(3), layout.fileStart(4)});
        assertArrayEquals(new int[] {1, 2, 3, 4, 5},
                new int[] {layout.entryOf(0), layout.entryOf(1), layout.entryOf(2), layout.entryOf(3), layout.entryOf(4)});
        assertEquals(h + 8, layout.tableStart());
        assertEquals(h + 8 + 5 * 32, layout.total());
        for (long o = h; o < h + 5; o++) {
            assertEquals(1, layout.fileAt(o), "offset " + o + " belongs to d/b, not to the empty d/a");
        }
        for (long o = h + 5; o < h + 8; o++) {
            assertEquals(3, layout.fileAt(o), "offset " + o + " belongs to d/e");
        }
    }

    @Test
    void theWholeSpaceSplitsIntoHeaderNonEmptyFilesAndTable() {
        TransferLayout layout = new TransferLayout(withEmptyFiles());
        long h = layout.headerEnd();
        assertEquals(List.of(
                new Piece(Region.HEADER, -1, 0, 0, (int) h),
                new Piece(Region.FILE, 1, 0, (int) h, 5),
                new Piece(Region.FILE, 3, 0, (int) h + 5, 3),
                new Piece(Region.DIGEST_TABLE, -1, 0, (int) h + 8, 160)), pieces(layout, 0, (int) layout.total()));
    }

    @Test
    void aRangeStraddlingFilesAndTheTableIsSplitAtEachBoundary() {
        TransferLayout layout = new TransferLayout(withEmptyFiles());
        long h = layout.headerEnd();
        assertEquals(List.of(
                new Piece(Region.HEADER, -1, h - 2, 0, 2),
                new Piece(Region.FILE, 1, 0, 2, 5),
                new Piece(Region.FILE, 3, 0, 7, 1)), pieces(layout, h - 2, 8));
        assertEquals(List.of(
                new Piece(Region.FILE, 3, 2, 0, 1),
                new Piece(Region.DIGEST_TABLE, -1, 0, 1, 40)), pieces(layout, h + 7, 41));
    }

    @Test
    void aRangePastTheEndIsRefused() {
        TransferLayout layout = new TransferLayout(withEmptyFiles());
        assertThrows(IllegalArgumentException.class, () -> pieces(layout, layout.total() - 1, 2));
        assertThrows(IllegalArgumentException.class, () -> pieces(layout, layout.total(), 1));
    }

    @Test
    void onlyEmptyFilesOrNoEntriesAtAll() {
        TransferLayout empties = new TransferLayout(new Manifest(List.of(new ManifestEntry("a", false, 0, 0), new ManifestEntry("b", false, 0, 0))));
        assertEquals(empties.headerEnd(), empties.tableStart());
        assertEquals(empties.headerEnd() + 64, empties.total());
        TransferLayout nothing = new TransferLayout(new Manifest(List.of()));
        assertEquals(8, nothing.headerEnd());
        assertEquals(8, nothing.total());
        assertEquals(0, nothing.fileCount());
    }

    @Test
    void randomRangesAreCoveredExactlyOnceInOrder() {
        SplittableRandom random = new SplittableRandom(99);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(new ManifestEntry("f" + i, false, random.nextInt(4) == 0 ? 0 : random.nextInt(1, 3000), 0));
        }
        TransferLayout layout = new TransferLayout(new Manifest(entries));
        for (int trial = 0; trial < 2000; trial++) {
            long offset = random.nextLong(layout.total());
            int length = (int) Math.min(layout.total() - offset, random.nextInt(1, 9000));
            long position = offset;
            for (Piece p : pieces(layout, offset, length)) {
                assertTrue(p.length() > 0, "no empty pieces");
                assertEquals(position - offset, p.rangeOffset());
                switch (p.region()) {
                    case HEADER -> assertEquals(position, p.regionOffset());
                    case FILE -> {
                        assertEquals(position - layout.fileStart(p.file()), p.regionOffset());
                        assertTrue(p.regionOffset() + p.length() <= layout.fileSize(p.file()));
                    }
                    case DIGEST_TABLE -> assertEquals(position - layout.tableStart(), p.regionOffset());
                    default -> throw new AssertionError(p);
                }
                position += p.length();
            }
            assertEquals(offset + length, position);
        }
    }

    @Test
    @Timeout(20)
    void aSourceReadsTheSpaceAsHeaderThenFilesThenTheirDigests(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        byte[] a = "first file".getBytes();
        byte[] c = new byte[3000];
        new SplittableRandom(5).nextBytes(c);
        Files.write(tree.resolve("a"), a);
        Files.write(tree.resolve("b-empty"), new byte[0]);
        Files.write(tree.resolve("c"), c);
        try (TransferSource source = TransferSource.ofLocalPaths(List.of(tree))) {
            TransferLayout layout = source.layout();
            source.hasher().start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!source.hasher().done() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(source.hasher().done(), "hashing finished");
            ByteBuffer all = ByteBuffer.allocate((int) layout.total());
            // Read in odd-sized chunks so pieces split across every boundary.
            for (long o = 0; o < layout.total(); o += 777) {
                source.read(o, (int) Math.min(777, layout.total() - o), all);
            }
            all.flip();
            byte[] encoded = source.manifest().encoded();
            assertEquals(encoded.length, all.getInt());
            byte[] header = new byte[encoded.length];
            all.get(header);
            assertArrayEquals(encoded, header);
            List<ManifestEntry> files = source.manifest().entries().stream().filter(e -> !e.directory()).toList();
            List<byte[]> contents = new ArrayList<>();
            for (ManifestEntry e : files) {
                byte[] content = new byte[(int) e.size()];
                all.get(content);
                assertArrayEquals(Files.readAllBytes(dir.resolve(e.path())), content, e.path());
                contents.add(content);
            }
            for (int f = 0; f < files.size(); f++) {
                byte[] digest = new byte[32];
                all.get(digest);
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(contents.get(f)), digest, "digest of " + files.get(f).path());
            }
            assertEquals(0, all.remaining());
        }
    }
}
