package io.skyhaul.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/** The leak check is only worth something if it sees a leak: these tests make one on purpose. */
@Timeout(30)
class LeakDetectionExtensionTest {

    @Test
    void detectorRunsOnParanoid() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "the surefire argLine must set -Dio.netty.leakDetection.level=PARANOID");
    }

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        leakOneBuffer();
        List<String> leaks = LeakWatch.collect(10);
        // Collecting drained the reports, so this test itself passes the extension's check.
        assertFalse(leaks.isEmpty(), "a buffer that was never released must be reported");
        assertTrue(leaks.get(0).contains("leaked"), leaks.get(0));
    }

    @Test
    void theExtensionFailsTheTestThatLeaked() {
        leakOneBuffer();
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ExtensionContext.class},
                (proxy, method, args) -> method.getName().equals("getDisplayName") ? "a leaking test" : null);
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> {
            for (int attempt = 0; attempt < 5; attempt++) {
                new LeakDetectionExtension().afterEach(context);
            }
        });
        assertTrue(failure.getMessage().contains("leaked buffer") && failure.getMessage().contains("a leaking test"), failure.getMessage());
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
        b.release();
        assertEquals(List.of(), LeakWatch.collect(3));
    }

    private static void leakOneBuffer() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(7);
        // Not released, and unreachable once this method returns.
    }
}
