package io.skyhaul.gateway.spool;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations as operators read them in messages: "9.1 GB", "5 s" (decimal units, as disks are sold). */
final class Figures {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private Figures() {
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        double v = n;
        int u = -1;
        while (v >= 1000 && u < UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        String s = String.format(Locale.ROOT, "%.1f", v);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " " + UNITS[u];
    }

    static String duration(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return Math.max(1, d.toMillis()) + " ms";
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return s + " s";
    }
}
