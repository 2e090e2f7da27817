package io.skyhaul.bench;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which Netty's leak detector (PARANOID in the build) reports a ByteBuf that was
 * never released. The detector is process-wide, so the listener is too: the one piece of static
 * state in these tests.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterEachCallback {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final int ROUNDS = 3;
    private static final int PROBE_BUFFERS = 32;
    private static boolean attached;

    @Override
    public void beforeAll(ExtensionContext context) {
        attach();
    }

    private static synchronized void attach() {
        if (attached) {
            return;
        }
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ((ResourceLeakDetector<?>) f.get(null)).setLeakListener((type, records) -> LEAKS.add(type + " leaked:\n" + records));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach Netty's ByteBuf leak detector; the leak check would be blind", e);
        }
        attached = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        // A leak is reported when a later allocation finds the lost buffer's reference enqueued by the GC.
        for (int round = 0; round < ROUNDS && LEAKS.isEmpty(); round++) {
            System.gc();
            Thread.sleep(20L * (round + 1));
            for (int i = 0; i < PROBE_BUFFERS; i++) {
                ByteBuf probe = (i % 2 == 0 ? PooledByteBufAllocator.DEFAULT : UnpooledByteBufAllocator.DEFAULT).directBuffer(8);
                probe.release();
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) after " + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }
}
