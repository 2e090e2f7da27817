package io.skyhaul.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.engine.Digests;
import io.skyhaul.testing.FailingObjectStore;
import io.skyhaul.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every backend must do, run against each one on its real server (local filesystem,
 * S3Mock, Azurite). What a store holds is always checked through the server's own API
 * ({@link #serverSha256}), never through the code under test.
 */
public abstract class ObjectStoreContract {
    protected static final long MIB = 1L << 20;
    /** S3's smallest part: the tests cut objects into 5 MiB parts to stay fast. */
    protected static final long PART = 5 * MIB;

    @TempDir
    protected Path tmp;
    protected String bucket;
    protected ObjectStore store;

    /** Creates a fresh bucket on the server and returns its name. */
    protected abstract String createBucket() throws Exception;

    protected abstract StorageAccount account();

    /** SHA-256 (hex) of the object's bytes as the server itself serves them; empty if no object is visible under the key. */
    protected abstract Optional<String> serverSha256(String key) throws Exception;

    /** The {@code sha256} metadata the server holds for the object. */
    protected abstract Optional<String> serverMetadataSha256(String key) throws Exception;

    /** Asserts that nothing of an abandoned upload of {@code key} is left: no object, no multipart upload, no temp file. */
    protected abstract void assertNothingLeftOf(String key) throws Exception;

    /**
     * Whether aborting a multipart upload leaves alone an object that another writer put under the
     * same key meanwhile (as S3, Azure and the local backend do).
     */
    protected boolean abortSparesAnotherWritersObject() {
        return true;
    }

    protected StoreSettings settings() {
        return StoreSettings.defaults().withPartSize(PART).withDownloadRangeSize(3 * MIB);
    }

    @BeforeEach
    void openStore() throws Exception {
        bucket = createBucket();
        store = ObjectStores.open(account(), bucket, settings());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, PART - 1, PART, PART + 1, 3 * PART + 12_345})
    void putFileThenReadBackThroughTheServer(long size) throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("in.bin"), size, size);
        String sha = TestFiles.sha256(file);
        List<Long> progress = new CopyOnWriteArrayList<>();
        ObjectInfo info = store.putFile("round/trip-" + size + ".bin", file, hex(sha), UploadOptions.defaults(), progress::add);

        assertEquals(new ObjectInfo("round/trip-" + size + ".bin", size, info.lastModified(), sha), info);
        assertEquals(Optional.of(sha), serverSha256(info.key()), "bytes stored on the server");
        assertEquals(Optional.of(sha), serverMetadataSha256(info.key()), "sha256 metadata on the server");
        assertEquals(size, progress.isEmpty() ? 0 : progress.get(progress.size() - 1), "progress ends at the size");
        assertEquals(Optional.of(sha), store.stat(info.key()).map(ObjectInfo::sha256Hex));

        Path back = tmp.resolve("out/back.bin");
        ObjectInfo got = store.download(info.key(), back, null);
        assertEquals(sha, TestFiles.sha256(back));
        assertEquals(sha, got.sha256Hex());
        assertEquals(size, Files.size(back));
    }

    @Test
    void fortyMibInParallelPartsWithoutAnExpectedDigest() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("big.bin"), 40 * MIB, 40);
        String sha = TestFiles.sha256(file);
        ObjectInfo info = store.putFile("big/forty.bin", file, null, UploadOptions.defaults().withParallelism(4), null);
        assertEquals(sha, info.sha256Hex(), "the digest of the bytes read is stored");
        assertEquals(Optional.of(sha), serverSha256("big/forty.bin"));
        assertEquals(Optional.of(sha), serverMetadataSha256("big/forty.bin"));

        List<Long> progress = new CopyOnWriteArrayList<>();
        store.download("big/forty.bin", tmp.resolve("forty.out"), progress::add);
        assertEquals(sha, TestFiles.sha256(tmp.resolve("forty.out")));
        assertEquals(40 * MIB, progress.get(progress.size() - 1));
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) > progress.get(i - 1), "progress is a running total");
        }
    }

    @Test
    void partsArrivingConcurrentlyAndOutOfOrderMakeTheRightObject() throws Exception {
        byte[] data = randomBytes((int) (4 * PART + 1000), 7);
        ObjectUpload upload = store.beginUpload("stream/out-of-order.bin", data.length, UploadOptions.defaults());
        assertEquals(PART, upload.partSize());
        assertEquals(5, upload.partCount());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n = upload.partCount(); n >= 1; n--) {
                int part = n;
                sent.add(pool.submit(() -> {
                    upload.uploadPart(part, slice(data, upload, part));
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Optional.empty(), serverSha256("stream/out-of-order.bin"), "nothing is visible before complete()");
        ObjectInfo info = upload.complete(sha256(data));
        assertEquals(Digests.hex(sha256(data)), info.sha256Hex());
        assertEquals(Optional.of(Digests.hex(sha256(data))), serverSha256("stream/out-of-order.bin"));
    }

    @Test
    void shaMismatchAtCompleteIsIntegrityAndLeavesNothing() throws Exception {
        byte[] data = randomBytes((int) (2 * PART + 5), 11);
        ObjectUpload upload = store.beginUpload("bad/digest.bin", data.length, UploadOptions.defaults());
        for (int n = 1; n <= upload.partCount(); n++) {
            upload.uploadPart(n, slice(data, upload, n));
        }
        byte[] wrong = sha256(data);
        wrong[0] ^= 1;
        StorageException e = assertThrows(StorageException.class, () -> upload.complete(wrong));
        assertEquals(StorageError.INTEGRITY, e.error());
        assertTrue(e.getMessage().contains(Digests.hex(wrong)), e.getMessage());
        assertNothingLeftOf("bad/digest.bin");
        upload.abort();
        assertThrows(IllegalStateException.class, () -> upload.complete(sha256(data)), "an upload that failed to complete is over");
    }

    @Test
    void singlePartShaMismatchLeavesNothing() throws Exception {
        byte[] data = randomBytes(1000, 12);
        ObjectUpload upload = store.beginUpload("bad/small.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(1, ByteBuffer.wrap(data));
        assertEquals(StorageError.INTEGRITY, assertThrows(StorageException.class, () -> upload.complete(new byte[32])).error());
        assertNothingLeftOf("bad/small.bin");
    }

    @Test
    void putFileWithTheWrongExpectedDigestCommitsNothing() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("f.bin"), 2 * PART + 3, 3);
        StorageException e = assertThrows(StorageException.class, () -> store.putFile("bad/put.bin", file, new byte[32], UploadOptions.defaults(), null));
        assertEquals(StorageError.INTEGRITY, e.error());
        assertNothingLeftOf("bad/put.bin");
    }

    @Test
    void aMissingPartIsIntegrityAtComplete() throws Exception {
        byte[] data = randomBytes((int) (2 * PART + 5), 13);
        ObjectUpload upload = store.beginUpload("bad/missing.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(1, slice(data, upload, 1));
        upload.uploadPart(3, slice(data, upload, 3));
        StorageException e = assertThrows(StorageException.class, () -> upload.complete(sha256(data)));
        assertEquals(StorageError.INTEGRITY, e.error());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertNothingLeftOf("bad/missing.bin");
    }

    @Test
    void aPartSentAgainWithOtherBytesIsRefused() throws Exception {
        byte[] data = randomBytes((int) (2 * PART), 14);
        ObjectUpload upload = store.beginUpload("bad/resend.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(1, slice(data, upload, 1));
        upload.uploadPart(1, slice(data, upload, 1));
        ByteBuffer other = slice(data, upload, 1);
        other.put(0, (byte) (other.get(0) + 1));
        assertEquals(StorageError.INTEGRITY, assertThrows(StorageException.class, () -> upload.uploadPart(1, other)).error());
        upload.abort();
        assertNothingLeftOf("bad/resend.bin");
    }

    @Test
    void abortIsIdempotentAndEndsTheUpload() throws Exception {
        byte[] data = randomBytes((int) (2 * PART), 15);
        ObjectUpload upload = store.beginUpload("abort/twice.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(2, slice(data, upload, 2));
        upload.abort();
        upload.abort();
        assertEquals(StorageError.IO, assertThrows(StorageException.class, () -> upload.uploadPart(1, slice(data, upload, 1))).error());
        assertNothingLeftOf("abort/twice.bin");
    }

    @Test
    void wrongPartLengthOrNumberIsACallerError() throws Exception {
        ObjectUpload upload = store.beginUpload("bad/args.bin", 2 * PART, UploadOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> upload.uploadPart(3, ByteBuffer.allocate((int) PART)));
        assertThrows(IllegalArgumentException.class, () -> upload.uploadPart(1, ByteBuffer.allocate(10)));
        upload.abort();
    }

    @Test
    void storageServerFailingMidUploadLeavesNothingAfterTheAbort() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("mid.bin"), 6 * PART, 21);
        FailingObjectStore failing = new FailingObjectStore(store, 2 * PART);
        StorageException e = assertThrows(StorageException.class,
                () -> failing.putFile("mid/fail.bin", file, hex(TestFiles.sha256(file)), UploadOptions.defaults().withParallelism(3), null));
        assertEquals(StorageError.IO, e.error());
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
        assertTrue(failing.failures() >= 1);
        assertNothingLeftOf("mid/fail.bin");
    }

    @Test
    void overwriteNeverRefusesAnExistingObjectAndKeepsIt() throws Exception {
        Path first = TestFiles.randomFile(tmp.resolve("1.bin"), 1000, 1);
        Path second = TestFiles.randomFile(tmp.resolve("2.bin"), 2000, 2);
        UploadOptions never = UploadOptions.defaults().withOverwrite(Overwrite.NEVER);
        store.putFile("ow/never.bin", first, null, never, null);
        StorageException e = assertThrows(StorageException.class, () -> store.putFile("ow/never.bin", second, null, never, null));
        assertEquals(StorageError.ALREADY_EXISTS, e.error());
        assertEquals(Optional.of(TestFiles.sha256(first)), serverSha256("ow/never.bin"));
    }

    @Test
    void overwriteNeverIsCheckedAgainAtComplete() throws Exception {
        byte[] mine = randomBytes((int) (2 * PART), 31);
        UploadOptions never = UploadOptions.defaults().withOverwrite(Overwrite.NEVER);
        ObjectUpload upload = store.beginUpload("ow/race.bin", mine.length, never);
        for (int n = 1; n <= upload.partCount(); n++) {
            upload.uploadPart(n, slice(mine, upload, n));
        }
        Path theirs = TestFiles.randomFile(tmp.resolve("theirs.bin"), 100, 32);
        store.putFile("ow/race.bin", theirs, null, UploadOptions.defaults(), null);
        assertEquals(StorageError.ALREADY_EXISTS, assertThrows(StorageException.class, () -> upload.complete(sha256(mine))).error());
        if (abortSparesAnotherWritersObject()) {
            assertEquals(Optional.of(TestFiles.sha256(theirs)), serverSha256("ow/race.bin"), "the other writer's object stays");
        }
    }

    @Test
    void overwriteAlwaysReplaces() throws Exception {
        Path first = TestFiles.randomFile(tmp.resolve("1.bin"), 1000, 1);
        Path second = TestFiles.randomFile(tmp.resolve("2.bin"), PART + 10, 2);
        store.putFile("ow/always.bin", first, null, UploadOptions.defaults(), null);
        store.putFile("ow/always.bin", second, null, UploadOptions.defaults(), null);
        assertEquals(Optional.of(TestFiles.sha256(second)), serverSha256("ow/always.bin"));
        assertEquals(Optional.of(TestFiles.sha256(second)), serverMetadataSha256("ow/always.bin"));
    }

    @Test
    void overwriteIfDifferentSkipsIdenticalAndReplacesDifferent() throws Exception {
        Path first = TestFiles.randomFile(tmp.resolve("1.bin"), 1000, 1);
        Path second = TestFiles.randomFile(tmp.resolve("2.bin"), 1000, 2);
        UploadOptions ifDifferent = UploadOptions.defaults().withOverwrite(Overwrite.IF_DIFFERENT);
        ObjectInfo stored = store.putFile("ow/ifdiff.bin", first, null, ifDifferent, null);
        Thread.sleep(1100);
        ObjectInfo again = store.putFile("ow/ifdiff.bin", first, hex(TestFiles.sha256(first)), ifDifferent, null);
        assertEquals(stored.lastModified(), again.lastModified(), "identical: skipped, not rewritten");

        byte[] data = Files.readAllBytes(first);
        ObjectUpload streamed = store.beginUpload("ow/ifdiff.bin", data.length, ifDifferent);
        streamed.uploadPart(1, ByteBuffer.wrap(data));
        assertEquals(stored.lastModified(), streamed.complete(sha256(data)).lastModified(), "identical at complete(): skipped too");

        store.putFile("ow/ifdiff.bin", second, hex(TestFiles.sha256(second)), ifDifferent, null);
        assertEquals(Optional.of(TestFiles.sha256(second)), serverSha256("ow/ifdiff.bin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "a/./b", "../x", "a/..", "a/../../etc/passwd", "a\\..\\b", "nul\u0000byte", "ends/", "ctl\u0007x"})
    void badKeysAreInvalidKey(String key) throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("k.bin"), 10, 1);
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.putFile(key, file, null, UploadOptions.defaults(), null)).error());
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.beginUpload(key, 10, UploadOptions.defaults())).error());
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.stat(key)).error());
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.download(key, tmp.resolve("d"), null)).error());
        assertEquals(List.of(), store.list(""), "nothing was written");
    }

    @Test
    void overLongKeyIsInvalidKey() {
        String key = "k/" + "x".repeat(ObjectKeys.MAX_KEY_BYTES);
        StorageException e = assertThrows(StorageException.class, () -> store.beginUpload(key, 1, UploadOptions.defaults()));
        assertEquals(StorageError.INVALID_KEY, e.error());
        assertTrue(e.getMessage().contains("1024 bytes"), e.getMessage());
    }

    @Test
    void listReturnsEveryObjectUnderThePrefixSortedWithSizesAndDigests() throws Exception {
        List<String> keys = List.of("dir/b.txt", "dir/a.txt", "dir/sub/c.txt", "dirt/x.txt", "other/y.txt", "dir/sub/deeper/d.txt");
        for (String k : keys) {
            store.putFile(k, TestFiles.randomFile(tmp.resolve("l.bin"), k.length(), k.hashCode()), null, UploadOptions.defaults(), null);
        }
        List<ObjectInfo> dir = store.list("dir/");
        assertEquals(List.of("dir/a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/sub/deeper/d.txt"), dir.stream().map(ObjectInfo::key).toList());
        assertEquals(List.of(9L, 9L, 13L, 20L), dir.stream().map(ObjectInfo::size).toList());
        assertEquals(List.of("dir/a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/sub/deeper/d.txt", "dirt/x.txt"),
                store.list("dir").stream().map(ObjectInfo::key).toList(), "a plain string prefix");
        assertEquals(6, store.list("").size());
        assertEquals(List.of(), store.list("nothing/"));
    }

    @Test
    void deleteRemovesOnlyThatObjectAndAMissingOneIsNoError() throws Exception {
        for (String k : List.of("del/a.bin", "del/b.bin")) {
            store.putFile(k, TestFiles.randomFile(tmp.resolve("d.bin"), 100, k.hashCode()), null, UploadOptions.defaults(), null);
        }
        assertTrue(store.delete("del/a.bin"));
        assertEquals(Optional.empty(), store.stat("del/a.bin"));
        assertEquals(List.of("del/b.bin"), store.list("del/").stream().map(ObjectInfo::key).toList(), "the other object stays");
        assertFalse(store.delete("del/a.bin"), "deleting what is gone says so, without an error");
        assertFalse(store.delete("never/was.bin"));
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.delete("../escape")).error());
    }

    @Test
    void statOfAMissingObjectIsEmptyAndItsDownloadIsObjectNotFound() throws Exception {
        assertEquals(Optional.empty(), store.stat("no/such.bin"));
        Path target = tmp.resolve("never.bin");
        assertEquals(StorageError.OBJECT_NOT_FOUND, assertThrows(StorageException.class, () -> store.download("no/such.bin", target, null)).error());
        assertFalse(Files.exists(target));
    }

    @Test
    void aDownloadReplacesTheTargetOnlyWhenComplete() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("v.bin"), 2 * PART, 5);
        store.putFile("dl/v.bin", file, null, UploadOptions.defaults(), null);
        Path target = tmp.resolve("dl/target.bin");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old contents");
        store.download("dl/v.bin", target, null);
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(target));
        try (var siblings = Files.list(target.getParent())) {
            assertEquals(List.of(target), siblings.toList(), "no temp file left beside the target");
        }
    }

    @Test
    void unknownBucketIsBucketNotFound() throws Exception {
        try (ObjectStore missing = ObjectStores.open(account(), "no-such-bucket-" + Long.toHexString(System.nanoTime()), settings())) {
            StorageException e = assertThrows(StorageException.class, missing::testConnection);
            assertEquals(StorageError.BUCKET_NOT_FOUND, e.error());
            assertTrue(e.getMessage().contains("no-such-bucket-"), e.getMessage());
            assertEquals(StorageError.BUCKET_NOT_FOUND, assertThrows(StorageException.class, () -> missing.stat("a")).error());
            assertEquals(StorageError.BUCKET_NOT_FOUND, assertThrows(StorageException.class, () -> missing.list("")).error());
            Path file = TestFiles.randomFile(tmp.resolve("b.bin"), 10, 1);
            assertEquals(StorageError.BUCKET_NOT_FOUND,
                    assertThrows(StorageException.class, () -> missing.putFile("a", file, null, UploadOptions.defaults(), null)).error());
        }
    }

    @Test
    void testConnectionPassesOnAGoodAccountAndBucket() throws Exception {
        store.testConnection();
    }

    protected static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    protected static byte[] sha256(byte[] data) {
        return Digests.sha256().digest(data);
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Part {@code n} of {@code data} as the upload cuts it. */
    protected static ByteBuffer slice(byte[] data, ObjectUpload upload, int n) {
        long offset = (n - 1) * upload.partSize();
        int length = (int) Math.min(upload.partSize(), data.length - offset);
        return ByteBuffer.wrap(data, (int) offset, length).slice();
    }
}
