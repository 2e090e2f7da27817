package io.skyhaul.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a sender's receiver had acknowledged, over time, read from the sender's debug log
 * ({@code SKYHAUL_LOG_LEVEL=DEBUG} logs the congestion state every 200 ms, with {@code acked-to N},
 * the receiver's cumulative byte-space offset). Two sessions' series give their shares of a shared
 * bottleneck over the time both were running, which the end-of-transfer goodputs cannot: the
 * session that finishes second has the link to itself for a while.
 */
final class SenderProgress {
    private static final Pattern LINE = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) .*\\backed-to (\\d+)");
    private static final long DAY_MILLIS = 86_400_000L;

    /** One sample: wall-clock milliseconds (time of day, unwrapped past midnight) and acknowledged bytes. */
    record Sample(long millis, long ackedBytes) {
    }

    private final List<Sample> samples;

    private SenderProgress(List<Sample> samples) {
        this.samples = samples;
    }

    static SenderProgress parse(Path debugLog) {
        List<Sample> samples = new ArrayList<>();
        long dayOffset = 0;
        long previous = -1;
        try {
            for (String line : Files.readAllLines(debugLog, StandardCharsets.ISO_8859_1)) {
                Matcher m = LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                long t = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                        + Long.parseLong(m.group(4));
                if (previous >= 0 && t + dayOffset < previous - DAY_MILLIS / 2) {
                    dayOffset += DAY_MILLIS;
                }
                previous = t + dayOffset;
                samples.add(new Sample(previous, Long.parseLong(m.group(5))));
            }
        } catch (IOException e) {
            throw new BenchException("cannot read " + debugLog + ": " + e.getMessage(), e);
        }
        return new SenderProgress(List.copyOf(samples));
    }

    List<Sample> samples() {
        return samples;
    }

    boolean isEmpty() {
        return samples.size() < 2;
    }

    /** Time of the first sample with anything acknowledged. */
    long firstProgressMillis() {
        return samples.stream().filter(s -> s.ackedBytes() > 0).findFirst().orElse(samples.get(samples.size() - 1)).millis();
    }

    /** Time of the first sample at the final acknowledged offset: when everything had been delivered. */
    long doneMillis() {
        long max = samples.get(samples.size() - 1).ackedBytes();
        return samples.stream().filter(s -> s.ackedBytes() >= max).findFirst().orElseThrow().millis();
    }

    /** Acknowledged bytes at time {@code t}, interpolated linearly between samples. */
    double ackedAt(long t) {
        Sample before = samples.get(0);
        if (t <= before.millis()) {
            return before.ackedBytes();
        }
        for (Sample s : samples) {
            if (s.millis() >= t) {
                double f = s.millis() == before.millis() ? 1 : (double) (t - before.millis()) / (s.millis() - before.millis());
                return before.ackedBytes() + f * (s.ackedBytes() - before.ackedBytes());
            }
            before = s;
        }
        return before.ackedBytes();
    }

    /**
     * Each session's share of the bytes both moved while both were running, skipping the first
     * {@code settleFraction} of that overlap (start-up). Empty when the overlap is under a second
     * or a log had no samples.
     */
    static java.util.Optional<Shares> shares(SenderProgress a, SenderProgress b, double settleFraction) {
        if (a.isEmpty() || b.isEmpty()) {
            return java.util.Optional.empty();
        }
        long start = Math.max(a.firstProgressMillis(), b.firstProgressMillis());
        long end = Math.min(a.doneMillis(), b.doneMillis());
        start += (long) ((end - start) * settleFraction);
        if (end - start < 1000) {
            return java.util.Optional.empty();
        }
        double da = a.ackedAt(end) - a.ackedAt(start);
        double db = b.ackedAt(end) - b.ackedAt(start);
        if (da + db <= 0) {
            return java.util.Optional.empty();
        }
        double seconds = (end - start) / 1000.0;
        return java.util.Optional.of(new Shares(da / (da + db), db / (da + db), da * 8 / seconds / 1e6, db * 8 / seconds / 1e6, seconds));
    }

    /** Shares of two sessions over their overlap, with their rates there in Mbit/s. */
    record Shares(double shareA, double shareB, double mbpsA, double mbpsB, double overlapSeconds) {
    }
}
