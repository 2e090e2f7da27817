package io.skyhaul.gateway;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying the manager again: doubling from {@code min} up to {@code max},
 * with jitter (a quarter either way) so that many gateways cut off together do not come back in
 * step; back to {@code min} after a success.
 */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private long nextMillis;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
        this.nextMillis = min.toMillis();
    }

    void reset() {
        nextMillis = min.toMillis();
    }

    /** The pause to take now; the next one is longer. */
    Duration next() {
        long base = nextMillis;
        nextMillis = Math.min(max.toMillis(), nextMillis * 2);
        long jitter = base / 4;
        return Duration.ofMillis(base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
    }

    void pause() throws InterruptedException {
        Thread.sleep(next().toMillis());
    }
}
