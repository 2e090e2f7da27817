package io.skyhaul.gateway.spool;

import static io.skyhaul.gateway.spool.SpoolFixtures.CLOCK;
import static io.skyhaul.gateway.spool.SpoolFixtures.LOCATION;
import static io.skyhaul.gateway.spool.SpoolFixtures.accept;
import static io.skyhaul.gateway.spool.SpoolFixtures.body;
import static io.skyhaul.gateway.spool.SpoolFixtures.names;
import static io.skyhaul.gateway.spool.SpoolFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.gateway.spool.SpoolFixtures.CountingStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What accept refuses on the body's merits, and the back-pressure that refuses it for lack of room, having read nothing. */
@Timeout(60)
class SpoolAcceptLimitsTest {
    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads still running");
    }

    @Test
    void aBodyShorterThanAnnouncedIsRefusedAndLeavesNothing() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            SpoolRefusedException e = assertThrows(SpoolRefusedException.class,
                    () -> spool.accept(LOCATION, "f", 100, null, new ByteArrayInputStream(body(99, 1))));
            assertEquals("the body ended after 99 of the announced 100 bytes", e.getMessage());
            assertNothingLeft(spool);
        }
    }

    @Test
    void aBodyLongerThanAnnouncedIsRefusedAndLeavesNothing() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            SpoolRefusedException e = assertThrows(SpoolRefusedException.class,
                    () -> spool.accept(LOCATION, "f", 100, null, new ByteArrayInputStream(body(101, 1))));
            assertEquals("the body is longer than the announced 100 bytes", e.getMessage());
            assertNothingLeft(spool);
        }
    }

    @Test
    void aBodyWithAnotherDigestIsRefusedAndLeavesNothing() throws Exception {
        byte[] b = body(70_000, 1);
        String wrong = sha256(body(70_000, 2));
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults(), CLOCK)) {
            SpoolRefusedException e = assertThrows(SpoolRefusedException.class,
                    () -> spool.accept(LOCATION, "f", b.length, wrong.toUpperCase(java.util.Locale.ROOT), new ByteArrayInputStream(b)));
            assertEquals("the body's SHA-256 is " + sha256(b) + ", the client announced " + wrong, e.getMessage());
            assertNothingLeft(spool);
            // Hex case does not matter for a matching digest.
            assertEquals(sha256(b), spool.accept(LOCATION, "f", b.length, sha256(b).toUpperCase(java.util.Locale.ROOT),
                    new ByteArrayInputStream(b)).sha256Hex());
        }
    }

    @Test
    void aMalformedDigestOrSizeIsRefusedBeforeReading() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxBytes(1000), CLOCK)) {
            CountingStream in = new CountingStream(body(10, 1));
            assertThrows(SpoolRefusedException.class, () -> spool.accept(LOCATION, "f", 10, "abc", in));
            assertThrows(SpoolRefusedException.class, () -> spool.accept(LOCATION, "f", -1, null, in));
            SpoolRefusedException tooBig = assertThrows(SpoolRefusedException.class, () -> spool.accept(LOCATION, "f", 1001, null, in));
            assertEquals("a body of 1 kB is larger than the whole spool (1 kB)", tooBig.getMessage());
            assertEquals(0, in.position());
            assertNothingLeft(spool);
        }
    }

    @Test
    void aBodyOverTheByteLimitIsRefusedWithARetryAfterHavingReadNothing() throws Exception {
        SpoolLimits limits = SpoolLimits.defaults().withMaxBytes(10_000_000_000L).withRetryAfter(Duration.ofSeconds(5));
        try (Spool spool = Spool.open(dir, limits, CLOCK)) {
            accept(spool, "small", body(1000, 1));
            CountingStream in = new CountingStream(body(10, 2));
            SpoolFullException e = assertThrows(SpoolFullException.class, () -> spool.accept(LOCATION, "huge", 9_999_999_001L, null, in));
            assertEquals(Duration.ofSeconds(5), e.retryAfter());
            assertEquals("spool full: 1 kB of 10 GB used, 10 GB more asked; retry in 5 s", e.getMessage());
            assertEquals(0, in.position());
            assertEquals(new SpoolUsage(1000, 0, 10_000_000_000L, 1, SpoolLimits.DEFAULT_MAX_FILES), spool.usage());
            // Exactly up to the limit is fine.
            assertFalse(spool.awaitCapacity(9_999_999_001L, Duration.ZERO));
            assertTrue(spool.awaitCapacity(9_999_999_000L, Duration.ZERO));
        }
    }

    @Test
    void oneFileTooManyIsRefusedWithARetryAfter() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxFiles(2), CLOCK)) {
            accept(spool, "a", body(1, 1));
            accept(spool, "b", body(1, 2));
            CountingStream in = new CountingStream(body(1, 3));
            SpoolFullException e = assertThrows(SpoolFullException.class, () -> spool.accept(LOCATION, "c", 1, null, in));
            assertEquals("spool full: 2 of 2 files; retry in 5 s", e.getMessage());
            assertEquals(SpoolLimits.DEFAULT_RETRY_AFTER, e.retryAfter());
            assertEquals(0, in.position());
        }
    }

    @Test
    void oneWriterTooManyIsRefusedWhileTheOthersWrite() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxConcurrentWriters(1), CLOCK)) {
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<SpoolEntry> slow = threads.submit(() -> spool.accept(LOCATION, "slow", 1, null, gated(reading, release)));
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            CountingStream in = new CountingStream(body(1, 1));
            SpoolFullException e = assertThrows(SpoolFullException.class, () -> spool.accept(LOCATION, "f", 1, null, in));
            assertEquals("spool busy: 1 of 1 bodies already being received; retry in 5 s", e.getMessage());
            assertEquals(0, in.position());
            assertEquals(1, spool.usage().reservedBytes());
            release.countDown();
            assertEquals("slow", slow.get(10, TimeUnit.SECONDS).path());
            assertEquals(0, spool.usage().reservedBytes());
            accept(spool, "f", body(1, 1));
        }
    }

    @Test
    void concurrentAcceptsRacingForTheLastSpaceNeverOverfillTheSpool() throws Exception {
        int racers = 8;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxBytes(10_000), CLOCK)) {
            for (int i = 0; i < 9; i++) {
                accept(spool, "fill-" + i, body(1000, i));
            }
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch losersDone = new CountDownLatch(racers - 1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                byte[] b = body(1000, 100 + r);
                results.add(threads.submit(() -> {
                    start.await();
                    try {
                        // The winner holds its reservation until every loser has been refused.
                        spool.accept(LOCATION, "racer", 1000, null, new GatedStream(b, losersDone));
                        return true;
                    } catch (SpoolFullException e) {
                        losersDone.countDown();
                        return false;
                    }
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get(20, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won);
            assertEquals(new SpoolUsage(10_000, 0, 10_000, 10, SpoolLimits.DEFAULT_MAX_FILES), spool.usage());
            assertEquals(10, spool.pending().size());
        }
    }

    @Test
    void manyWritersAndAnUploaderTogetherNeverExceedTheLimit() throws Exception {
        long maxBytes = 20_000;
        int writers = 4;
        int bodiesEach = 40;
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxBytes(maxBytes), CLOCK)) {
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger full = new AtomicInteger();
            AtomicBoolean over = new AtomicBoolean();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int seed = w;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < bodiesEach; i++) {
                        byte[] b = body(1000 + (i * 37 + seed * 101) % 3000, seed * 1000L + i);
                        try {
                            accept(spool, "w" + seed + "/" + i, b);
                            accepted.incrementAndGet();
                        } catch (SpoolFullException e) {
                            full.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<?> uploader = threads.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((writing.get() || !spool.pending().isEmpty()) && System.nanoTime() < deadline) {
                    SpoolUsage u = spool.usage();
                    if (u.usedBytes() + u.reservedBytes() > maxBytes) {
                        over.set(true);
                    }
                    List<String> batch = spool.pending().stream().limit(2).map(SpoolEntry::id).toList();
                    if (!batch.isEmpty() && (u.freeBytes() < 5000 || !writing.get())) {
                        spool.uploading(batch, "T", null);
                        spool.uploaded(batch, "T");
                    }
                    Thread.sleep(1);
                }
                return null;
            });
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
            writing.set(false);
            uploader.get(30, TimeUnit.SECONDS);
            assertFalse(over.get(), "usage went over " + maxBytes);
            assertEquals(writers * bodiesEach, accepted.get() + full.get());
            assertTrue(accepted.get() > 0 && full.get() > 0, accepted + " accepted, " + full + " refused as full");
            assertEquals(new SpoolUsage(0, 0, maxBytes, 0, SpoolLimits.DEFAULT_MAX_FILES), spool.usage());
        }
    }

    @Test
    void aWaitingClientIsWokenWhenAnUploadReleasesSpace() throws Exception {
        try (Spool spool = Spool.open(dir, SpoolLimits.defaults().withMaxBytes(1000), CLOCK)) {
            String id = accept(spool, "a", body(1000, 1)).id();
            long t0 = System.nanoTime();
            assertFalse(spool.awaitCapacity(1, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
            Future<Boolean> waiter = threads.submit(() -> spool.awaitCapacity(500, Duration.ofSeconds(20)));
            Thread.sleep(50);
            spool.uploaded(List.of(id), "T");
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
        }
    }

    private void assertNothingLeft(Spool spool) throws IOException {
        assertEquals(List.of(), spool.pending());
        assertEquals(List.of(), names(dir.resolve("incoming")));
        assertEquals(List.of(), names(dir.resolve("data")));
        assertEquals(new SpoolUsage(0, 0, spool.usage().maxBytes(), 0, spool.usage().maxFiles()), spool.usage());
    }

    /** One byte, given only once {@code release} opens; {@code reading} says the read has started. */
    private static InputStream gated(CountDownLatch reading, CountDownLatch release) {
        return new InputStream() {
            private boolean sent;

            @Override
            public int read() throws IOException {
                if (sent) {
                    return -1;
                }
                reading.countDown();
                try {
                    if (!release.await(20, TimeUnit.SECONDS)) {
                        throw new IOException("test gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                sent = true;
                return 7;
            }
        };
    }

    /** A body that is served only once {@code gate} opens. */
    private static final class GatedStream extends ByteArrayInputStream {
        private final CountDownLatch gate;

        GatedStream(byte[] body, CountDownLatch gate) {
            super(body);
            this.gate = gate;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return super.read(b, off, len);
        }
    }
}
