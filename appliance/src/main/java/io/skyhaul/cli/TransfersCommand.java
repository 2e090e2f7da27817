package io.skyhaul.cli;

import io.skyhaul.client.ManagerClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "transfers", mixinStandardHelpOptions = true, description = "Show the transfer log, newest first.", footer = ExitCodes.HELP)
final class TransfersCommand implements Callable<Integer> {
    /** --watch redraws this often, for at most this many rounds (an hour). */
    static final long WATCH_MILLIS = 2000;
    static final int WATCH_ROUNDS = 1800;

    @Option(names = "--watch", description = "Redraw every 2 s until interrupted (Ctrl-C).")
    boolean watch;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "How many transfers. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--state", paramLabel = "STATE", description = "Only transfers in this state (waiting, publishing, done, failed ...).")
    String state;

    @Option(names = "--json", description = "Print the manager's JSON answer.")
    boolean json;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A partner token (or API token) instead of the saved one.")
    String token;

    @Override
    public Integer call() throws InterruptedException {
        try {
            ManagerClient manager = ManagedTransfer.connect(token);
            for (int round = 0; round < (watch ? WATCH_ROUNDS : 1); round++) {
                JsonNode list = manager.get("transfers?limit=" + limit + (state == null ? "" : "&state=" + java.net.URLEncoder.encode(state,
                        java.nio.charset.StandardCharsets.UTF_8)));
                if (watch) {
                    System.out.print("\033[H\033[2J");
                }
                if (json) {
                    System.out.println(list.toString());
                } else {
                    print(list);
                }
                if (watch) {
                    Thread.sleep(WATCH_MILLIS);
                }
            }
            return ExitCodes.OK;
        } catch (ManagedTransfer.Failed e) {
            System.err.println("skyhaul transfers: " + e.getMessage());
            return e.exitCode;
        } catch (ManagerClient.ManagerException e) {
            System.err.println("skyhaul transfers: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private static void print(JsonNode list) {
        System.out.printf("%-16s  %-8s  %-10s  %-20s  %5s  %14s  %9s  %s%n", "ID", "DIR", "STATE", "CREATED", "FILES", "BYTES", "MBIT/S", "LOCATION / BY");
        for (JsonNode t : list) {
            System.out.printf("%-16s  %-8s  %-10s  %-20s  %5d  %14d  %9s  %s (%s)%n", t.path("id").asText(), t.path("direction").asText(),
                    t.path("state").asText(), t.path("createdAt").asText().replaceFirst("\\.\\d+Z$", "Z"), t.path("files").asLong(),
                    t.path("bytesTotal").asLong(), t.path("goodputMbps").isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", t.path("goodputMbps").asDouble()) : "-",
                    t.path("location").asText(), t.path("actorName").asText());
        }
        if (list.isEmpty()) {
            System.out.println("No transfers yet — send one with: skyhaul send FILE local://local/inbox/");
        }
    }
}
