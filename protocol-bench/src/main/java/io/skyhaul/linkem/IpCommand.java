package io.skyhaul.linkem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs iproute2's {@code ip} for namespace and device set-up. Plumbing through the tool rather
 * than netlink keeps the code small and every step reproducible by hand from the log (each
 * command is logged at DEBUG). Each call is bounded by {@link LinkDefaults#IP_COMMAND_TIMEOUT}.
 */
final class IpCommand {

    private static final Logger LOG = LoggerFactory.getLogger(IpCommand.class);

    private IpCommand() {
    }

    /** Runs {@code ip ARGS...}; throws with the command and its output when it fails. */
    static String run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        String printable = String.join(" ", command);
        LOG.debug("running: {}", printable);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished;
        try {
            finished = process.waitFor(LinkDefaults.IP_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running: " + printable, e);
        }
        if (!finished) {
            process.destroyForcibly();
            throw new IOException("timed out after " + LinkDefaults.IP_COMMAND_TIMEOUT + ": " + printable);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(printable + " failed (exit " + process.exitValue() + "): " + output);
        }
        return output;
    }

    /** Names of the named network namespaces ({@code ip netns list}). */
    static List<String> namespaces() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : run("netns", "list").split("\n")) {
            String name = line.trim().split("\\s+", 2)[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    static boolean namespaceExists(String name) throws IOException {
        return namespaces().contains(name);
    }

    /** True if a device of this name exists in the root namespace. */
    static boolean linkExists(String device) throws IOException {
        try {
            run("link", "show", "dev", device);
            return true;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }
}
