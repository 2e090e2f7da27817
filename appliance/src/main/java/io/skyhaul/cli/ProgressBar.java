package io.skyhaul.cli;

import io.skyhaul.transport.session.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal: bytes done of total, percent, rate and ETA,
 * redrawn in place at most five times a second.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String label;
    private boolean drawn;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    /** A bar when standard error is a terminal, otherwise nothing. */
    static ProgressListener forTerminal(String label) {
        return System.console() != null ? new ProgressBar(System.err, label) : ProgressListener.NONE;
    }

    @Override
    public void progress(long done, long total, double rate) {
        double fraction = total > 0 ? Math.min(1, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = rate > 0 && total > done ? formatDuration((total - done) / rate) : "--:--";
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %s / %s %3.0f%% %8s ETA %s ", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                bytes(done), bytes(total), fraction * 100, rate(rate), eta));
        out.flush();
        drawn = true;
    }

    /** Ends the line so later output starts on a fresh one. */
    void finish() {
        if (drawn) {
            out.println();
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String rate(double bytesPerSecond) {
        double bits = bytesPerSecond * 8;
        if (bits >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bits / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f Mbit/s", bits / 1e6);
    }

    static String formatDuration(double seconds) {
        long s = (long) Math.ceil(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
