package io.skyhaul.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code skyhaul} in a child JVM on this test's class path, with its output in files. Only the
 * processes made here are ever stopped, through their own handles.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String MAIN = "io.skyhaul.cli.SkyhaulCli";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String name;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code skyhaul args...}; {@code name} labels its output files in {@code logDir}. */
    public static ChildJvm start(Path logDir, String name, String... args) throws IOException {
        return start(logDir, name, java.util.Map.of(), null, args);
    }

    /**
     * As {@link #start(Path, String, String...)}, with extra environment variables and, when
     * {@code stdin} is not null, that text on standard input (then closed).
     */
    public static ChildJvm start(Path logDir, String name, java.util.Map<String, String> env, String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), MAIN));
        command.addAll(List.of(args));
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = pb.start();
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ChildJvm(name, process, out, err);
    }

    public Process process() {
        return process;
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits for the process to end; empty if it is still running after {@code timeout}. */
    public Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** SIGKILL, as a crash or an out-of-memory killer would; waits until the process is gone. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 10 s");
        }
        return process.exitValue();
    }

    /** The first group of {@code pattern} in standard error, waiting up to {@code timeout} for it to appear. */
    public String awaitStderr(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(stderr());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + ": no '" + pattern + "' in its output within " + timeout + (process.isAlive() ? "" : " (it exited)")
                + ":\n" + stderr());
    }

    /** Waits until {@code condition} holds; fails with {@code what} and this process's output if it does not within {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Stops the process if it still runs: SIGTERM first (the receiver closes its node), then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
