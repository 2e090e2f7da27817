package io.skyhaul.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short helper command ({@code sysctl}, {@code ss}, {@code git}, {@code linkem tun-cleanup}), run to completion with a time bound. */
final class ShortCommand {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    private ShortCommand() {
    }

    /** Runs a short command to completion and returns its output; fails on a non-zero status or after {@link #COMMAND_TIMEOUT}. */
    static String run(List<String> command) {
        return run(command, java.util.Map.of());
    }

    /** As {@link #run(List)}, with extra environment variables. */
    static String run(List<String> command, java.util.Map<String, String> environment) {
        Path output = null;
        try {
            output = Files.createTempFile("skyhaul-bench-cmd", ".out");
            // Also removed if the JVM is stopped while the command runs.
            output.toFile().deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BenchException(String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new BenchException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new BenchException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted running " + command.get(0), e);
        } finally {
            if (output != null) {
                FileTrees.deleteTree(output);
            }
        }
    }
}
