package io.skyhaul.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process the bench started (receiver, relay, sender, TCP endpoint), with its standard
 * output and error in files under the run's log directory. {@link #close()} stops it — SIGTERM,
 * then SIGKILL after {@link #STOP_GRACE} — and only ever signals this process, by its PID.
 */
final class ChildProcess implements AutoCloseable {
    /** How long a stopped process gets to clean up (a {@code linkem tun} removes its namespaces) before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 50;

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final ChildRegistry registry;

    private ChildProcess(String name, Process process, Path stdout, Path stderr, ChildRegistry registry) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.registry = registry;
    }

    /** Starts {@code command} with extra environment variables; output goes to {@code logDir/name.out} and {@code .err}. */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logDir, ChildRegistry registry) {
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        ChildProcess child = new ChildProcess(name, p, out, err, registry);
        try {
            registry.started(child);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path stdoutFile() {
        return stdout;
    }

    Path stderrFile() {
        return stderr;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** CPU seconds used so far (the process must still run). */
    double cpuSeconds() {
        double s = ProcStat.cpuSeconds(process.pid());
        if (s < 0) {
            throw new BenchException(name + " (pid " + pid() + ") has exited; its CPU time is no longer readable");
        }
        return s;
    }

    /**
     * Waits until {@code pattern} matches a line of standard output ({@code fromStdout}) or error,
     * and returns the match. Fails when the process exits first or the timeout passes.
     */
    Matcher awaitLine(Pattern pattern, boolean fromStdout, Duration timeout) {
        Path file = fromStdout ? stdout : stderr;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = firstMatch(file, pattern);
            if (m != null) {
                return m;
            }
            if (!process.isAlive()) {
                throw new BenchException(name + " exited with status " + process.exitValue() + " before printing '" + pattern + "'; "
                        + tail(stderr));
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(name + " did not print '" + pattern + "' within " + timeout.toSeconds() + " s; " + tail(stderr));
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits for the exit status; when the timeout passes first, stops the process and returns -1. */
    int waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                registry.ended(this);
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new BenchException("interrupted while waiting for " + name, e);
        }
        close();
        return -1;
    }

    /** Stops the process (SIGTERM, then SIGKILL after {@link #STOP_GRACE}); idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        registry.ended(this);
    }

    /** The last lines of standard error, for a failure message. */
    String stderrTail() {
        return tail(stderr);
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return "last lines of " + file + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static Matcher firstMatch(Path file, Pattern pattern) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
