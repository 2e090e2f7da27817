package io.skyhaul.testing;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects the leaks Netty's detector reports. The detector is process-wide (one per resource
 * type, made once when the type's class initialises), so this is the one place of static state
 * in the tests: it must be installed before the first ByteBuf class loads, which the extension
 * does from its static initialiser.
 */
public final class LeakWatch {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final LongAdder TRACKED = new LongAdder();
    private static final int PROBE_BUFFERS = 32;
    private static boolean installed;
    private static boolean countsTracking;

    private LeakWatch() {
    }

    /** Installs a detector factory whose detectors report to this class, and attaches to the ByteBuf detector. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        ResourceLeakDetector<?> byteBufs = byteBufDetector();
        countsTracking = byteBufs instanceof RecordingDetector;
        if (!countsTracking) {
            // ByteBuf's detector was made before our factory was set: listen to it directly.
            byteBufs.setLeakListener(LeakWatch::record);
        }
    }

    /** True when the ByteBuf detector is ours (so we also know whether anything was tracked since a check). */
    static boolean countsTracking() {
        return countsTracking;
    }

    static long tracked() {
        return TRACKED.sum();
    }

    /**
     * Makes the detector report what leaked so far: collects garbage, waits for references to be
     * enqueued, then allocates buffers (each allocation polls the detector's queue under PARANOID).
     * Returns and forgets the reports.
     */
    public static List<String> collect(int rounds) {
        for (int round = 0; round < rounds && LEAKS.isEmpty(); round++) {
            System.gc();
            try {
                Thread.sleep(20L * (round + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (int i = 0; i < PROBE_BUFFERS; i++) {
                // Direct buffers from both stock allocators: each of these allocations is tracked.
                ByteBuf probe = (i % 2 == 0 ? PooledByteBufAllocator.DEFAULT : UnpooledByteBufAllocator.DEFAULT).directBuffer(8);
                probe.release();
            }
        }
        List<String> out = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            out.add(leak);
        }
        return out;
    }

    private static void record(String resourceType, String records) {
        LEAKS.add(resourceType + " leaked" + (records.isEmpty() ? " (no access records)" : ":\n" + records));
    }

    private static ResourceLeakDetector<?> byteBufDetector() {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            return (ResourceLeakDetector<?>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach Netty's ByteBuf leak detector; the leak check would be blind", e);
        }
    }

    /** Netty's detector, reporting every leak to us (whatever the logging configuration says). */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        RecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
            super(resourceType, samplingInterval, maxActive);
            setLeakListener(LeakWatch::record);
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            TRACKED.increment();
            return super.track(obj);
        }

        @Override
        protected boolean needReport() {
            return true;
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @SuppressWarnings("deprecation")
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval, maxActive);
        }
    }
}
