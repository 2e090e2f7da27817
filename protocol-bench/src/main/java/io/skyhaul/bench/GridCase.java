package io.skyhaul.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cell of the benchmark grid: a round-trip time and a random loss rate on a link whose
 * bottleneck is {@link #BOTTLENECK_BITS_PER_SECOND}. The emulator applies half the RTT as one-way
 * delay in each direction, with its default queue (one bandwidth-delay product, at least 64 KiB).
 *
 * <p>Written {@code RTTms/LOSS%} on the command line and in the table, e.g. {@code 200ms/5%}.
 */
public record GridCase(int rttMillis, double lossPercent) {
    /** The grid's bottleneck rate: 200 Mbit/s. */
    public static final long BOTTLENECK_BITS_PER_SECOND = 200_000_000L;
    /** Every case of the full grid: RTT {0, 50, 200} ms × random loss {0, 1, 5}%. */
    public static final List<GridCase> FULL_GRID = grid(new int[] {0, 50, 200}, new double[] {0, 1, 5});

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)ms/(\\d+(?:\\.\\d+)?)%");

    public GridCase {
        if (rttMillis < 0 || rttMillis % 2 != 0) {
            throw new IllegalArgumentException("RTT must be an even, non-negative number of milliseconds (half goes each way), got " + rttMillis);
        }
        if (!(lossPercent >= 0 && lossPercent < 100)) {
            throw new IllegalArgumentException("loss must be in [0, 100)%, got " + lossPercent);
        }
    }

    /** Parses {@code 50ms/1%}; a comma-separated list with {@link #parseList}. */
    public static GridCase parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("a case is RTTms/LOSS%, e.g. 200ms/5%, got '" + text + "'");
        }
        return new GridCase(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** {@code all} or a comma-separated list of cases. */
    public static List<GridCase> parseList(String text) {
        if (text.trim().equalsIgnoreCase("all")) {
            return FULL_GRID;
        }
        List<GridCase> cases = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                cases.add(parse(part));
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no case given");
        }
        return List.copyOf(cases);
    }

    public long oneWayDelayMillis() {
        return rttMillis / 2;
    }

    public double lossFraction() {
        return lossPercent / 100;
    }

    /** What the link can deliver after random loss: (1 − loss) × 200 Mbit/s, in Mbit/s. */
    public double lossFreeCapacityMbps() {
        return (1 - lossFraction()) * BOTTLENECK_BITS_PER_SECOND / 1e6;
    }

    /** linkem's flag values for this case: {@code --delay}, {@code --loss}, {@code --rate}. */
    public List<String> linkemFlags() {
        return List.of("--delay", oneWayDelayMillis() + "ms", "--loss", formatNumber(lossPercent) + "%",
                "--rate", BOTTLENECK_BITS_PER_SECOND / 1_000_000 + "m");
    }

    @Override
    public String toString() {
        return rttMillis + "ms/" + formatNumber(lossPercent) + "%";
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static List<GridCase> grid(int[] rtts, double[] losses) {
        List<GridCase> all = new ArrayList<>();
        for (int rtt : rtts) {
            for (double loss : losses) {
                all.add(new GridCase(rtt, loss));
            }
        }
        return List.copyOf(all);
    }
}
