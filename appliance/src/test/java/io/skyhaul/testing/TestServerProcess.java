package io.skyhaul.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A storage server started by the tests as a child process, its output in a log file. It is
 * stopped through its own process handle (its PID), never by name: by {@link #close()}, or by a
 * JVM shutdown hook if the test run ends first.
 */
final class TestServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private TestServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static TestServerProcess start(String name, List<String> command, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        return new TestServerProcess(name, pb.start(), log);
    }

    /** The first match of {@code pattern} in the output, waiting up to {@code timeout}; fails with the output if the server died or never said it. */
    Matcher await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        String out = output();
        stop();
        throw new AssertionError(name + " did not start within " + timeout + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                + "; its output (" + log + "):\n" + out.substring(Math.max(0, out.length() - 4000)));
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would; waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs (and finds the process gone).
        }
    }

    /** The module's base directory (surefire's working directory, or the system property it sets). */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }
}
