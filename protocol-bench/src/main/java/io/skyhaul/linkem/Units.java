package io.skyhaul.linkem;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quantities of the command line: rates, durations, fractions and byte sizes, parsed and
 * printed the same way everywhere. Parse errors are {@link IllegalArgumentException}s whose
 * message says what was expected; {@link LinkProfileParser} prefixes the flag name.
 *
 * <p>Rates are decimal bits per second, as for network links ({@code 200m} = 200,000,000 bit/s);
 * byte sizes are binary, as for buffers ({@code 64k} = 65,536 bytes).
 */
public final class Units {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmg]?)(?:bit|bps|bit/s|b/s)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s)");
    private static final Pattern FRACTION = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)([kmg]?)(?:ib|b)?");

    private Units() {
    }

    /** Parses {@code 200m}, {@code 1.5g}, {@code 500k}, {@code 64000}: bits per second, 0 = unlimited. */
    public static long parseRate(String text) {
        Matcher m = RATE.matcher(normalized(text));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a rate in bit/s such as 200m, 1.5g, 500k or 0 (unlimited), got '"
                    + text + "'");
        }
        double value = Double.parseDouble(m.group(1)) * decimalMultiplier(m.group(2));
        if (value > 1e12) {
            throw new IllegalArgumentException("rate above 1 Tbit/s is not supported, got '" + text + "'");
        }
        long bits = Math.round(value);
        if (value > 0 && bits == 0) {
            throw new IllegalArgumentException("rate below 1 bit/s, got '" + text + "'");
        }
        return bits;
    }

    /** Parses {@code 25ms}, {@code 250us}, {@code 1.5s}, {@code 0}: nanoseconds. */
    public static long parseDurationNanos(String text) {
        String t = normalized(text);
        if (t.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration with a unit (us, ms or s) such as 25ms, got '"
                    + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double nanos = switch (m.group(2)) {
            case "ns" -> value;
            case "us", "µs" -> value * 1e3;
            case "ms" -> value * 1e6;
            default -> value * 1e9;
        };
        if (nanos > 3_600e9) {
            throw new IllegalArgumentException("duration above one hour is not supported, got '" + text + "'");
        }
        return Math.round(nanos);
    }

    /** Parses {@code 1%} or {@code 0.01}: a probability in [0, 1]. */
    public static double parseFraction(String text) {
        Matcher m = FRACTION.matcher(normalized(text));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a percentage such as 1% or a fraction such as 0.01, got '"
                    + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        if (!m.group(2).isEmpty()) {
            value /= 100;
        }
        if (value > 1) {
            throw new IllegalArgumentException("must be between 0 and 1 (0% and 100%), got '" + text + "'"
                    + (m.group(2).isEmpty() ? "; write a percentage with %, e.g. " + text + "%" : ""));
        }
        return value;
    }

    /** Parses {@code 1048576}, {@code 512k}, {@code 4m}, {@code 4MiB}: bytes, binary multiples. */
    public static long parseBytes(String text) {
        Matcher m = BYTES.matcher(normalized(text));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size in bytes such as 1048576, 512k or 4m (binary multiples), got '"
                    + text + "'");
        }
        long multiplier = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1;
        };
        long value;
        try {
            value = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large, got '" + text + "'", e);
        }
        return value;
    }

    public static String formatDuration(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos % 1_000_000_000 == 0) {
            return nanos / 1_000_000_000 + "s";
        }
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }

    public static String formatRate(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kbit/s", bitsPerSecond / 1e3);
    }

    public static String formatPercent(double fraction) {
        return String.format(Locale.ROOT, "%.4g%%", fraction * 100).replaceAll("\\.?0+%$", "%");
    }

    private static String normalized(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing value");
        }
        return text.trim().toLowerCase(Locale.ROOT);
    }

    private static double decimalMultiplier(String suffix) {
        return switch (suffix) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
    }
}
