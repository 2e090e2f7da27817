package io.skyhaul.storage.engine;

import java.util.function.LongConsumer;

/** Adds up bytes moved by several threads and reports the running total, one call at a time. */
public final class ProgressCounter {
    private final LongConsumer consumer;
    private long total;

    public ProgressCounter(LongConsumer consumer) {
        this.consumer = consumer;
    }

    public synchronized void add(long bytes) {
        total += bytes;
        if (consumer != null && bytes != 0) {
            consumer.accept(total);
        }
    }

    public synchronized long total() {
        return total;
    }
}
