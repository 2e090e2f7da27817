package io.skyhaul.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.config.HttpConfig;
import io.skyhaul.config.NodeConfig;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.server.SkyhaulServer;
import io.skyhaul.storage.S3Account;
import io.skyhaul.transfers.SessionGrant;
import io.skyhaul.transport.files.ManifestEntry;
import io.skyhaul.transport.files.TransferSource;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real {@link SkyhaulServer} (manager and node in one process) on 127.0.0.1 with ephemeral HTTP
 * and UDP ports and its own data directory, with a plain {@code java.net.http} client for its API
 * and the real UDP transport for the data, driven exactly as {@code skyhaul send/get} drive them:
 * create the transfer, run the session with the grant the manager returned, follow the transfer.
 */
public final class RunningAppliance implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
    /** A transfer that has not reached its end within this time fails the test. */
    public static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> FINAL = Set.of("done", "failed", "cancelled", "expired");

    private final SkyhaulServer server;
    private final Path data;
    private final ObjectMapper json = JsonMapper.create();
    private final String adminToken;

    private RunningAppliance(SkyhaulServer server, Path data) {
        this.server = server;
        this.data = data;
        this.adminToken = login("admin", ADMIN_PASSWORD);
    }

    /** Starts a fresh appliance over {@code data} with the admin password {@link #ADMIN_PASSWORD}. */
    public static RunningAppliance start(Path data) throws Exception {
        return start(data, c -> c);
    }

    /** As {@link #start(Path)}, with the configuration changed by {@code tweak} first (e.g. a short gateway code lifetime). */
    public static RunningAppliance start(Path data, java.util.function.UnaryOperator<ServeConfig> tweak) throws Exception {
        ServeConfig config = tweak.apply(ServeConfig.defaults().withData(data).withHttp(HttpConfig.defaults().withPort(0))
                .withNode(NodeConfig.defaults().withUdpPort(0)));
        SkyhaulServer server = SkyhaulServer.start(config, Map.of(SkyhaulServer.ADMIN_PASSWORD_ENV, ADMIN_PASSWORD));
        try {
            return new RunningAppliance(server, data);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    public SkyhaulServer server() {
        return server;
    }

    public Path data() {
        return data;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public String adminToken() {
        return adminToken;
    }

    /** Where the embedded local account {@code local} keeps bucket {@code bucket}. */
    public Path localBucket(String bucket) {
        return data.toAbsolutePath().normalize().resolve("storage").resolve(bucket);
    }

    // ---- HTTP

    /** One answer of the server. */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + " " + contentType + "): " + body, e);
            }
        }

        public boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    /** Any request: {@code path} relative to the server ("/api/v1/...", "/metrics"), body JSON text or null, token or null. */
    public Reply request(String method, String path, String body, String token) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return new HttpApi(baseUrl()).exchange(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
                headers);
    }

    public Reply get(String apiPath, String token) {
        return request("GET", "/api/v1/" + apiPath, null, token);
    }

    public Reply post(String apiPath, Object body, String token) {
        return request("POST", "/api/v1/" + apiPath, body == null ? null : write(body), token);
    }

    /** A request that must answer {@code status}; returns its JSON. */
    public JsonNode expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        return reply.body().isEmpty() ? json.nullNode() : reply.json();
    }

    public String write(Object body) {
        try {
            return body instanceof String s ? s : json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs in and returns the API token. */
    public String login(String user, String password) {
        return expect(200, post("auth/login", Map.of("username", user, "password", password), null)).get("token").asText();
    }

    /** Creates a user with {@code role} and returns an API token of theirs. */
    public String userToken(String username, String role) {
        String password = "password-of-" + username;
        expect(201, post("users", Map.of("username", username, "password", password, "role", role), adminToken));
        return login(username, password);
    }

    /** Creates an S3 account on the given server (path style, its endpoint) and returns the API's answer. */
    public JsonNode createS3Account(String name, S3MockServer s3) {
        S3Account a = s3.account();
        Map<String, Object> s3Fields = new LinkedHashMap<>();
        s3Fields.put("accessKeyId", a.accessKeyId());
        s3Fields.put("secretAccessKey", a.secretAccessKey());
        s3Fields.put("region", S3MockServer.REGION);
        s3Fields.put("endpoint", s3.endpoint().toString());
        s3Fields.put("pathStyle", true);
        return expect(201, post("accounts", Map.of("name", name, "kind", "s3", "s3", s3Fields), adminToken));
    }

    public JsonNode createAzureAccount(String name, AzuriteServer azure) {
        Map<String, Object> fields = Map.of("accountName", AzuriteServer.ACCOUNT, "accountKey", AzuriteServer.ACCOUNT_KEY,
                "endpoint", azure.endpoint().toString());
        return expect(201, post("accounts", Map.of("name", name, "kind", "azure", "azure", fields), adminToken));
    }

    // ---- transfers

    /** What an upload or download did: the session's report and the transfer as the manager finally logged it. */
    public record Moved(String id, TransferReport session, JsonNode detail) {
        public JsonNode transfer() {
            return detail.path("transfer");
        }
    }

    /** The request body {@code skyhaul send} would post for these paths. */
    public static Map<String, Object> uploadRequest(List<Path> paths, String location) throws Exception {
        List<Map<String, Object>> files = new ArrayList<>();
        try (TransferSource source = TransferSource.ofLocalPaths(paths)) {
            for (ManifestEntry e : source.manifest().entries()) {
                if (!e.directory()) {
                    files.add(Map.of("path", e.path(), "size", e.size()));
                }
            }
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("direction", "upload");
        request.put("location", location);
        request.put("files", files);
        return request;
    }

    /** Creates an upload and answers the manager's reply as is (201 with the grant, or a refusal). */
    public Reply createUpload(String token, List<Path> paths, String location) throws Exception {
        return post("transfers", uploadRequest(paths, location), token);
    }

    /** Uploads through the manager and the node into storage; returns when the transfer is done (fails the test otherwise). */
    public Moved upload(String token, List<Path> paths, String location) throws Exception {
        JsonNode created = expect(201, createUpload(token, paths, location));
        String id = created.path("transfer").path("id").asText();
        SessionGrant grant = json.convertValue(created.get("session"), SessionGrant.class);
        TransferReport report = new TransferClient(TransportSettings.defaults()).send(grant.nodeAddress(), grant.ticket(), grant.sealed(),
                paths, ProgressListener.NONE);
        return new Moved(id, report, awaitState(id, "done", token));
    }

    /** Downloads a location through the manager into {@code dir}, as {@code skyhaul get} does. */
    public Moved download(String token, String location, Path dir) throws Exception {
        JsonNode created = expect(201, post("transfers", Map.of("direction", "download", "location", location), token));
        String id = created.path("transfer").path("id").asText();
        SessionGrant grant = json.convertValue(created.get("session"), SessionGrant.class);
        JsonNode ready = awaitState(id, "ready", token);
        LinkedHashSet<String> tops = new LinkedHashSet<>();
        for (JsonNode f : ready.path("files")) {
            String p = f.path("path").asText();
            tops.add(p.contains("/") ? p.substring(0, p.indexOf('/')) : p);
        }
        TransferReport report = new TransferClient(TransportSettings.defaults()).get(grant.nodeAddress(), grant.ticket(), grant.sealed(),
                new ArrayList<>(tops), dir, ProgressListener.NONE);
        return new Moved(id, report, awaitState(id, "done", token));
    }

    /** Sends with a grant as the CLI does; the transport's own failure is thrown. */
    public static TransferReport send(JsonNode created, List<Path> paths, TransportSettings settings) throws TransferException {
        SessionGrant grant = JsonMapper.create().convertValue(created.get("session"), SessionGrant.class);
        return new TransferClient(settings).send(grant.nodeAddress(), grant.ticket(), grant.sealed(), paths, ProgressListener.NONE);
    }

    /** Polls GET /transfers/{id} until it is in {@code wanted}; fails at once if it ends in another state. */
    public JsonNode awaitState(String id, String wanted, String token) throws InterruptedException {
        long deadline = System.nanoTime() + FOLLOW_TIMEOUT.toNanos();
        while (true) {
            JsonNode detail = expect(200, get("transfers/" + id, token));
            String state = detail.path("transfer").path("state").asText();
            if (state.equals(wanted)) {
                return detail;
            }
            if (FINAL.contains(state)) {
                throw new AssertionError("transfer " + id + " ended " + state + " instead of " + wanted + ": " + detail.path("transfer"));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transfer " + id + " not " + wanted + " within " + FOLLOW_TIMEOUT + ": " + detail);
            }
            Thread.sleep(50);
        }
    }

    /** Polls until the transfer reaches any final state; returns its detail. */
    public JsonNode awaitFinal(String id, String token) throws InterruptedException {
        long deadline = System.nanoTime() + FOLLOW_TIMEOUT.toNanos();
        while (true) {
            JsonNode detail = expect(200, get("transfers/" + id, token));
            if (FINAL.contains(detail.path("transfer").path("state").asText())) {
                return detail;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transfer " + id + " did not end within " + FOLLOW_TIMEOUT + ": " + detail);
            }
            Thread.sleep(50);
        }
    }


    @Override
    public void close() {
        server.close();
    }
}
