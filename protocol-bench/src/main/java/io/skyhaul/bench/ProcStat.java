package io.skyhaul.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of processes from {@code /proc/PID/stat} (Linux). A process's own time is readable only
 * while it lives; once the bench's JVM has reaped a child (after {@link Process#waitFor()}), the
 * child's whole CPU time has moved into this JVM's {@code cutime + cstime}, which is how the CPU
 * of a sender that has exited is measured.
 */
final class ProcStat {
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();
    private static final int UTIME = 14;
    private static final int STIME = 15;
    private static final int CUTIME = 16;
    private static final int CSTIME = 17;
    private static final int STARTTIME = 22;

    private ProcStat() {
    }

    /** User + system CPU seconds of a live process; -1 when it is gone. */
    static double cpuSeconds(long pid) {
        long[] f = fields(pid);
        return f == null ? -1 : (double) (f[UTIME] + f[STIME]) / CLOCK_TICKS_PER_SECOND;
    }

    /** CPU seconds of this JVM's reaped children (and theirs). */
    static double reapedChildrenCpuSeconds() {
        long[] f = fields(ProcessHandle.current().pid());
        if (f == null) {
            throw new BenchException("cannot read /proc/self/stat");
        }
        return (double) (f[CUTIME] + f[CSTIME]) / CLOCK_TICKS_PER_SECOND;
    }

    /** Start time in clock ticks after boot, which tells a PID's process from a later one that reused it; -1 when gone. */
    static long startTime(long pid) {
        long[] f = fields(pid);
        return f == null ? -1 : f[STARTTIME];
    }

    /** Numeric fields of /proc/PID/stat indexed as in proc(5) (1-based; fields 1 to 3 are left 0; some are unsigned). */
    private static long[] fields(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
        // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
        String[] rest = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        long[] f = new long[rest.length + 3];
        for (int i = 1; i < rest.length; i++) {
            f[i + 3] = rest[i].startsWith("-") ? Long.parseLong(rest[i]) : Long.parseUnsignedLong(rest[i]);
        }
        return f;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
