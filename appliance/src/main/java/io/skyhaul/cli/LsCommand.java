package io.skyhaul.cli;

import io.skyhaul.client.ManagerClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the objects under a location: size, time, SHA-256 and key.",
        footer = ExitCodes.HELP)
final class LsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LOCATION", description = "s3://ACCOUNT/bucket/prefix/, azure://ACCOUNT/container/prefix/ or local://ACCOUNT/dir/prefix/")
    String location;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A partner token (or API token) instead of the saved one.")
    String token;

    @Option(names = "--json", description = "Print the manager's JSON answer.")
    boolean json;

    @Override
    public Integer call() {
        try {
            JsonNode list = ManagedTransfer.connect(token).get("objects?location=" + URLEncoder.encode(location, StandardCharsets.UTF_8));
            if (json) {
                System.out.println(list.toString());
                return ExitCodes.OK;
            }
            long total = 0;
            for (JsonNode o : list) {
                total += o.path("size").asLong();
                System.out.printf("%14d  %-24s  %-64s  %s%n", o.path("size").asLong(), o.path("lastModified").asText(""),
                        o.path("sha256Hex").asText("-"), o.path("key").asText());
            }
            System.err.println(list.size() + " object(s), " + total + " bytes");
            return ExitCodes.OK;
        } catch (ManagedTransfer.Failed e) {
            System.err.println("skyhaul ls: " + e.getMessage());
            return e.exitCode;
        } catch (ManagerClient.ManagerException e) {
            System.err.println("skyhaul ls: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }
}
