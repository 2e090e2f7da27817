package io.skyhaul.console.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers and times read on the console's pages (templates call it as {@code fmt}). */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    public String bytes(Long n) {
        if (n == null) {
            return "";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[unit]);
    }

    public String mbps(Double rate) {
        return rate == null ? "" : String.format(Locale.ROOT, rate >= 100 ? "%.0f Mbit/s" : "%.1f Mbit/s", rate);
    }

    public String bitRate(Long bitsPerSecond) {
        return bitsPerSecond == null ? "" : mbps(bitsPerSecond / 1e6);
    }

    public String eta(Double seconds) {
        if (seconds == null || seconds.isNaN() || seconds.isInfinite()) {
            return "";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? s / 3600 + " h " + (s % 3600) / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }

    public String seconds(Double seconds) {
        return seconds == null ? "" : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    public String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** How long before {@code now}, as people say it ("12 s ago", "3 min ago"); "never" without a time. */
    public String ago(Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        if (s < 2) {
            return "just now";
        }
        return s < 60 ? s + " s ago" : s < 3600 ? s / 60 + " min ago" : s < 86_400 ? s / 3600 + " h ago" : s / 86_400 + " d ago";
    }

    /** How many of a transfer's files are verified (their SHA-256 checked). */
    public long verified(java.util.List<io.skyhaul.transfers.TransferFile> files) {
        return files.stream().filter(f -> f.sha256() != null).count();
    }

    /** Whole percent done, 0-100. */
    public int percent(long done, long total) {
        return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    public String percentText(long done, long total) {
        return total <= 0 ? "" : String.format(Locale.ROOT, "%.1f %%", Math.min(100.0, done * 100.0 / total));
    }
}
