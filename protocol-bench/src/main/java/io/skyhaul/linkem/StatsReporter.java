package io.skyhaul.linkem;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Prints one line of link counters per interval (for {@code --stats-interval}), with the
 * forwarded rate of each direction over the interval, so an operator can watch a benchmark.
 */
final class StatsReporter implements AutoCloseable {

    private final Supplier<LinkStats> source;
    private final PrintStream out;
    private final long intervalNanos;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean closed;

    StatsReporter(Supplier<LinkStats> source, PrintStream out, long intervalNanos) {
        this.source = source;
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::report, "linkem-stats");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    /** The line for an interval: elapsed time, then per direction its rate and interval counts. */
    static String line(double elapsedSeconds, double intervalSeconds, LinkStats delta) {
        return String.format(Locale.ROOT, "linkem t=%.1fs %s", elapsedSeconds,
                direction(delta.forward(), intervalSeconds) + " | " + direction(delta.reverse(), intervalSeconds));
    }

    private static String direction(DirectionStats d, double seconds) {
        return String.format(Locale.ROOT, "%s %s fwd=%d lost=%d qdrop=%d dup=%d reord=%d overrun=%d senderr=%d",
                d.name(), Units.formatRate(d.forwardedBytes() * 8 / seconds), d.forwarded(), d.droppedLoss(),
                d.droppedQueue(), d.duplicated(), d.reordered(), d.droppedOverrun(), d.sendErrors());
    }

    private void report() {
        LinkStats previous = source.get();
        long previousNanos = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(intervalNanos / 1_000_000, (int) (intervalNanos % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            LinkStats now = source.get();
            long nowNanos = System.nanoTime();
            out.println(line((nowNanos - startNanos) / 1e9, (nowNanos - previousNanos) / 1e9, now.minus(previous)));
            previous = now;
            previousNanos = nowNanos;
        }
    }
}
