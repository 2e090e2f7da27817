package io.skyhaul.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.transport.files.TransferSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skyhaul spool}: hands files to a gateway's upload buffer. Each file is acknowledged only
 * once the gateway holds it durably, with its SHA-256 checked on arrival; the gateway uploads it
 * afterwards, surviving its own restarts. When the spool is full the command waits as told
 * ({@code Retry-After}) instead of failing.
 */
@Command(name = "spool", mixinStandardHelpOptions = true, description = {
    "Hand files to a gateway's spool: acknowledged once durable on the gateway, uploaded by it in the background.",
    "  skyhaul spool PATH... s3://ACCOUNT/bucket/prefix/ [--gateway http://127.0.0.1:8090] [--token-file FILE]",
    "A directory is handed over with its whole tree. A full spool makes the command wait, never drop a file."}, footer = ExitCodes.HELP)
final class SpoolCommand implements Callable<Integer> {
    static final String TOKEN_ENV = "SKYHAUL_GATEWAY_TOKEN";
    /** Where a gateway keeps its token: a checkout's default data directory, the packaged gateway's, the packaged all-in-one's. */
    static final List<Path> TOKEN_FILES = List.of(Path.of("data/gateway/local-api.token"), Path.of("/var/lib/skyhaul-gateway/gateway/local-api.token"),
            Path.of("/var/lib/skyhaul/gateway/local-api.token"));

    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://127.0.0.1:8090", description = "The gateway's local API (default ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The gateway's local API token (default: $" + TOKEN_ENV
            + ", else data/gateway/local-api.token, else the packaged gateway's in /var/lib/skyhaul-gateway/gateway/).")
    Path tokenFile;

    @Option(names = "--max-wait", paramLabel = "SECONDS", defaultValue = "3600", description = "Longest wait for room in a full spool, per file (default ${DEFAULT-VALUE}).")
    long maxWaitSeconds;

    @Option(names = "--json", description = "Print one JSON line per file accepted.")
    boolean json;

    @Parameters(arity = "2..*", paramLabel = "PATH", description = "Files or directories, then the destination location.")
    List<String> args;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper = JsonMapper.create();

    @Override
    public Integer call() {
        String location = args.get(args.size() - 1);
        if (!location.contains("://")) {
            System.err.println("skyhaul spool: name the destination last (e.g. s3://ACCOUNT/bucket/prefix/)");
            return ExitCodes.USAGE;
        }
        String token;
        try {
            token = token();
        } catch (IOException e) {
            System.err.println("skyhaul spool: " + e.getMessage());
            return ExitCodes.KEY_PROBLEM;
        }
        List<TransferSource.NamedFile> files = new ArrayList<>();
        try {
            for (String a : args.subList(0, args.size() - 1)) {
                if (!Files.exists(Path.of(a), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("'" + a + "' does not exist");
                }
                TransferSource.NamedFile.addTree(Path.of(a), files, Integer.MAX_VALUE);
            }
        } catch (IOException e) {
            System.err.println("skyhaul spool: " + e.getMessage());
            return ExitCodes.LOCAL_IO;
        }
        if (files.isEmpty()) {
            System.err.println("skyhaul spool: nothing to hand over: the paths hold no files");
            return ExitCodes.REFUSED;
        }
        for (TransferSource.NamedFile f : files) {
            int status = handOver(f.file(), f.name(), location, token);
            if (status != ExitCodes.OK) {
                return status;
            }
        }
        return ExitCodes.OK;
    }

    private int handOver(Path file, String name, String location, String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(maxWaitSeconds).toNanos();
        boolean told = false;
        try {
            String sha = Digests.hex(Digests.sha256(file));
            URI uri = URI.create(gateway.replaceAll("/+$", "") + "/api/v1/spool?location=" + URLEncoder.encode(location, StandardCharsets.UTF_8)
                    + "&path=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
            while (true) {
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).header("X-Content-SHA256", sha)
                        .header("Content-Type", "application/octet-stream").timeout(Duration.ofHours(12))
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode body = r.body().isEmpty() ? mapper.nullNode() : mapper.readTree(r.body());
                if (r.statusCode() == 201) {
                    if (json) {
                        System.out.println(body);
                    } else {
                        System.err.printf("accepted %s  %s  %d bytes  sha256 %s%n", body.path("id").asText(), name, body.path("size").asLong(), sha);
                    }
                    return ExitCodes.OK;
                }
                if (r.statusCode() == 503 && System.nanoTime() < deadline) {
                    long wait = r.headers().firstValueAsLong("Retry-After").orElse(5);
                    if (!told) {
                        System.err.println("skyhaul spool: " + body.path("detail").asText("the gateway is busy") + "; waiting");
                        told = true;
                    }
                    Thread.sleep(Duration.ofSeconds(Math.max(1, wait)).toMillis());
                    continue;
                }
                System.err.println("skyhaul spool: " + name + ": " + body.path("detail").asText("HTTP " + r.statusCode()));
                return r.statusCode() == 401 ? ExitCodes.KEY_PROBLEM : r.statusCode() == 400 ? ExitCodes.USAGE
                        : r.statusCode() == 503 ? ExitCodes.TRANSFER_FAILED : ExitCodes.REFUSED;
            }
        } catch (java.net.ConnectException e) {
            System.err.println("skyhaul spool: cannot reach the gateway at " + gateway + " (is 'skyhaul serve' running there with the gateway role?)");
            return ExitCodes.UNREACHABLE;
        } catch (IOException e) {
            System.err.println("skyhaul spool: " + name + ": " + e.getMessage());
            return ExitCodes.LOCAL_IO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.TRANSFER_FAILED;
        }
    }

    private String token() throws IOException {
        String env = System.getenv(TOKEN_ENV);
        if (tokenFile == null && env != null && !env.isBlank()) {
            return env.strip();
        }
        List<Path> candidates = tokenFile != null ? List.of(tokenFile) : TOKEN_FILES;
        for (Path p : candidates) {
            if (Files.isReadable(p)) {
                return Files.readString(p).strip();
            }
        }
        throw new IOException("no gateway token: pass --token-file (the gateway keeps it in DATA/gateway/local-api.token) or set " + TOKEN_ENV);
    }


}
