package io.skyhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.client.ManagerClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skyhaul gateways}: the manager's gateways, from the command line — list them, activate
 * one with the code it shows, deactivate one. The same calls as the console's Gateways page.
 */
@Command(name = "gateways", mixinStandardHelpOptions = true, description = {
    "The manager's gateways:",
    "  skyhaul gateways                       list them (online, last contact, hot folders, spool)",
    "  skyhaul gateways activate CODE NAME    activate the gateway showing CODE, under NAME (admin)",
    "  skyhaul gateways deactivate NAME       revoke its key; it asks to be activated again (admin)"}, footer = ExitCodes.HELP)
final class GatewaysCommand implements Callable<Integer> {
    @Parameters(arity = "0..3", paramLabel = "ARG", description = "Nothing to list; 'activate CODE NAME'; 'deactivate NAME'.")
    List<String> args = List.of();

    @Option(names = "--json", description = "Print the manager's JSON answer.")
    boolean json;

    @Option(names = "--token", paramLabel = "TOKEN", description = "An API token instead of the saved one.")
    String token;

    @Override
    public Integer call() {
        try {
            ManagerClient manager = ManagedTransfer.connect(token);
            JsonNode answer;
            if (args.isEmpty()) {
                answer = manager.get("gateways");
            } else if (args.get(0).equals("activate") && args.size() == 3) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("code", args.get(1));
                body.put("name", args.get(2));
                answer = manager.post("gateways", body);
            } else if (args.get(0).equals("deactivate") && args.size() == 2) {
                answer = manager.delete("gateways/" + java.net.URLEncoder.encode(args.get(1), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                System.err.println("skyhaul gateways: use no argument (list), 'activate CODE NAME' or 'deactivate NAME'");
                return ExitCodes.USAGE;
            }
            if (json) {
                System.out.println(answer);
            } else if (answer.isArray()) {
                print(answer);
            } else {
                System.err.println("gateway " + answer.path("name").asText() + ": " + (answer.path("active").asBoolean() ? "active" : "deactivated")
                        + ", key fingerprint " + answer.path("fingerprint").asText());
            }
            return ExitCodes.OK;
        } catch (ManagedTransfer.Failed e) {
            System.err.println("skyhaul gateways: " + e.getMessage());
            return e.exitCode;
        } catch (ManagerClient.ManagerException e) {
            System.err.println("skyhaul gateways: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private static void print(JsonNode list) {
        System.out.printf("%-20s  %-8s  %-20s  %7s  %6s  %-19s  %s%n", "NAME", "STATE", "LAST CONTACT", "FOLDERS", "PAUSED", "SPOOL", "HOST");
        for (JsonNode g : list) {
            JsonNode s = g.path("status");
            String spool = s.path("spool").isObject() ? ProgressBar.bytes(s.path("spool").path("usedBytes").asLong()) + " of "
                    + ProgressBar.bytes(s.path("spool").path("maxBytes").asLong()) : "-";
            System.out.printf("%-20s  %-8s  %-20s  %7s  %6s  %-19s  %s%n", g.path("name").asText(),
                    !g.path("active").asBoolean() ? "revoked" : g.path("online").asBoolean() ? "online" : "offline",
                    g.path("lastContact").asText("-").replaceFirst("\\.\\d+Z$", "Z"), s.path("hotFolders").isArray() ? s.path("hotFolders").size() : "-",
                    s.path("paused").asBoolean() ? "yes" : "no", spool, g.path("hostname").asText("-"));
        }
        if (list.isEmpty()) {
            System.out.println("No gateways yet: start one with 'roles: [gateway]' and activate it with the code it shows:"
                    + " skyhaul gateways activate CODE NAME");
        }
    }
}
