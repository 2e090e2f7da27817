package io.skyhaul.storage.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InOrderSha256Test {
    private static final int PART = 1000;
    private final byte[] data = new byte[4 * PART + 10];
    private final PartPlan plan = new PartPlan(data.length, PART, 5);

    InOrderSha256Test() {
        new SplittableRandom(1).nextBytes(data);
    }

    private ByteBuffer part(int n) {
        return ByteBuffer.wrap(data, (n - 1) * PART, (int) plan.length(n)).slice();
    }

    private void give(InOrderSha256 sha, int n) throws StorageException {
        ByteBuffer b = part(n);
        sha.accept(n, b, Digests.crc32c(b));
    }

    @Test
    void anyArrivalOrderGivesTheDigestOfTheWholeObject() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, 10 * PART, Duration.ofSeconds(1));
        for (int n : new int[] {4, 2, 5, 1}) {
            give(sha, n);
            assertNull(sha.result());
        }
        give(sha, 3);
        assertArrayEquals(Digests.sha256().digest(data), sha.result());
    }

    @Test
    void thePartsGivenAreNotMoved() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, 10 * PART, Duration.ofSeconds(1));
        ByteBuffer b = part(2);
        sha.accept(2, b, Digests.crc32c(b));
        ByteBuffer c = part(1);
        sha.accept(1, c, Digests.crc32c(c));
        assertEquals(0, b.position());
        assertEquals(0, c.position());
    }

    @Test
    void aPartBeyondTheWindowWaitsForTheGapToClose() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, PART, Duration.ofSeconds(10));
        give(sha, 2);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                give(sha, 3);
            } catch (StorageException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!third.isDone(), "the window is full: part 3 waits");
        give(sha, 1);
        third.get(5, TimeUnit.SECONDS);
        give(sha, 4);
        give(sha, 5);
        assertArrayEquals(Digests.sha256().digest(data), sha.result());
    }

    @Test
    void aPartWaitingTooLongFails() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, 0, Duration.ofMillis(200));
        StorageException e = assertThrows(StorageException.class, () -> give(sha, 2));
        assertEquals(StorageError.IO, e.error());
        assertTrue(e.getMessage().contains("waited"), e.getMessage());
    }

    @Test
    void closingWakesWaitersWhoFail() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, 0, Duration.ofSeconds(30));
        CompletableFuture<StorageException> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                give(sha, 3);
                return null;
            } catch (StorageException e) {
                return e;
            }
        });
        Thread.sleep(100);
        sha.close();
        assertTrue(waiter.get(5, TimeUnit.SECONDS).getMessage().contains("aborted"));
    }

    @Test
    void aResentPartMustHoldTheSameBytes() throws Exception {
        InOrderSha256 sha = new InOrderSha256(plan, 10 * PART, Duration.ofSeconds(1));
        give(sha, 1);
        give(sha, 1);
        give(sha, 3);
        give(sha, 3);
        ByteBuffer changed = ByteBuffer.wrap(part(1).array().clone(), 0, PART);
        changed.put(5, (byte) (changed.get(5) ^ 1));
        assertEquals(StorageError.INTEGRITY, assertThrows(StorageException.class, () -> sha.accept(1, changed, Digests.crc32c(changed))).error());
        ByteBuffer changed3 = ByteBuffer.wrap(data.clone(), 2 * PART, PART).slice();
        changed3.put(0, (byte) (changed3.get(0) ^ 1));
        assertEquals(StorageError.INTEGRITY, assertThrows(StorageException.class, () -> sha.accept(3, changed3, Digests.crc32c(changed3))).error());
    }
}
