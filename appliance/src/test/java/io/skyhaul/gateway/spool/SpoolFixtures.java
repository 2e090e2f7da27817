package io.skyhaul.gateway.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Bodies, digests and directory checks shared by the spool tests. */
final class SpoolFixtures {
    static final Clock CLOCK = Clock.systemUTC();
    static final String LOCATION = "s3://acct/bucket/prefix/";

    private SpoolFixtures() {
    }

    static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static SpoolEntry accept(Spool spool, String path, byte[] body) throws Exception {
        return spool.accept(LOCATION, path, body.length, sha256(body), new ByteArrayInputStream(body));
    }

    /** A body stream that says how much of it was read. */
    static final class CountingStream extends FilterInputStream {
        private long position;

        CountingStream(byte[] body) {
            super(new ByteArrayInputStream(body));
        }

        long position() {
            return position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            position += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            position += Math.max(0, n);
            return n;
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every pending entry's data file has its recorded size and SHA-256, and no partial body is left. */
    static void assertIntact(Spool spool, Path dir) throws IOException {
        for (SpoolEntry e : spool.pending()) {
            byte[] data = Files.readAllBytes(spool.dataFile(e.id()));
            assertEquals(e.size(), data.length, "size of " + e.id());
            assertEquals(e.sha256Hex(), sha256(data), "SHA-256 of " + e.id());
        }
        assertTrue(names(dir.resolve("incoming")).isEmpty(), "partial bodies left: " + names(dir.resolve("incoming")));
    }

    /** Copies a spool directory (not recursive beyond its three subdirectories), for damaging a copy. */
    static Path copySpool(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String sub : List.of("incoming", "data", "failed")) {
            Files.createDirectories(to.resolve(sub));
            for (String name : names(from.resolve(sub))) {
                Files.copy(from.resolve(sub).resolve(name), to.resolve(sub).resolve(name));
            }
        }
        Files.copy(from.resolve("wal"), to.resolve("wal"), StandardCopyOption.REPLACE_EXISTING);
        return to;
    }
}
