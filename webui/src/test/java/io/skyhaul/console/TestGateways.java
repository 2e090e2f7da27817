package io.skyhaul.console;

import io.skyhaul.config.FileRulesConfig;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.config.HotFolderConfig;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The gateways the console tests run against their appliance: real ones in the test JVM, each
 * with one hot folder ({@code DIR/hot}) that takes only .mov files, settled after 1 s, so that
 * dropping any other file gives a refusal to watch for.
 */
final class TestGateways {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String HOT_FOLDER = "media";
    /** What the extension rule says of a .txt file (HTML-escaped, as pages show it). */
    static final String TXT_REFUSED = "the extension &#39;.txt&#39; is not allowed (allowed: .mov)";

    private TestGateways() {
    }

    static RunningGateway start(Path dir, RunningAppliance manager) throws Exception {
        Path hot = Files.createDirectories(dir.resolve("hot"));
        HotFolderConfig movOnly = new HotFolderConfig(HOT_FOLDER, hot, "local://local/inbox/" + dir.getFileName() + "/", 1, null, null, null, null,
                null, null, null, null, null, new FileRulesConfig(List.of("mov"), null, null, null, null), null, null);
        return RunningGateway.start(dir.resolve("data"), manager.baseUrl(), GatewayConfig.defaults().withHotFolders(List.of(movOnly)));
    }

    static Path hotFolder(Path dir) {
        return dir.resolve("hot");
    }

    /** Waits until {@code condition} holds, looking every 200 ms (each look may be a request to the console). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
