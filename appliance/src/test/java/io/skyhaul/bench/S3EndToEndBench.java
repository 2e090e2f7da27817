package io.skyhaul.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.config.HttpConfig;
import io.skyhaul.config.NodeConfig;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.server.SkyhaulServer;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.transfers.SessionGrant;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.session.TransportSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * End-to-end goodput into an S3-compatible server (Adobe S3Mock on loopback), side by side in one
 * run: (1) a plain AWS SDK v2 {@code PutObject} of the file, (2) Skyhaul: REST request to the
 * manager, UDP session to the node, the node's parallel multipart upload into S3 — timed from the
 * API request to the transfer's {@code done}. Every object is read back through the SDK and its
 * SHA-256 compared with the source. Runs with {@code scripts/bench-storage.sh [SIZE_MIB]}.
 */
public final class S3EndToEndBench {
    private static final ObjectMapper JSON = io.skyhaul.http.JsonMapper.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private S3EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path work = Files.createTempDirectory("skyhaul-s3-bench");
        Path file = work.resolve("source.bin");
        String sha = writeRandom(file, (long) mib << 20);
        long bytes = Files.size(file);
        System.err.printf("source: %d MiB, sha256 %s%n", mib, sha);
        try (S3MockServer s3 = S3MockServer.startPrivate()) {
            String bucket = s3.createBucket(S3MockServer.uniqueBucketName("bench"));
            S3Client client = s3.client();

            long t0 = System.nanoTime();
            client.putObject(b -> b.bucket(bucket).key("sdk/source.bin"), RequestBody.fromFile(file));
            double sdkSeconds = (System.nanoTime() - t0) / 1e9;
            check(client, bucket, "sdk/source.bin", sha);

            long tp = System.nanoTime();
            try (var objects = io.skyhaul.storage.ObjectStores.open(s3.account(), bucket)) {
                objects.putFile("backend/source.bin", file, HexFormat.of().parseHex(sha), io.skyhaul.storage.UploadOptions.defaults(), n -> { });
            }
            double backendSeconds = (System.nanoTime() - tp) / 1e9;
            check(client, bucket, "backend/source.bin", sha);

            Path data = work.resolve("data");
            ServeConfig config = ServeConfig.defaults().withData(data).withHttp(HttpConfig.defaults().withPort(0))
                    .withNode(NodeConfig.defaults().withUdpPort(0));
            try (SkyhaulServer server = SkyhaulServer.start(config, Map.of(SkyhaulServer.ADMIN_PASSWORD_ENV, "bench-password-123"))) {
                String base = server.baseUrl() + "/api/v1/";
                String token = call(base + "auth/login", null, Map.of("username", "admin", "password", "bench-password-123")).get("token").asText();
                call(base + "accounts", token, Map.of("name", "bench", "kind", "s3", "s3", Map.of("accessKeyId", S3MockServer.ACCESS_KEY,
                        "secretAccessKey", S3MockServer.SECRET_KEY, "region", S3MockServer.REGION, "endpoint", s3.endpoint().toString(), "pathStyle", true)));
                long t1 = System.nanoTime();
                JsonNode created = call(base + "transfers", token, Map.of("direction", "upload", "location", "s3://bench/" + bucket + "/skyhaul/",
                        "files", List.of(Map.of("path", "source.bin", "size", bytes))));
                SessionGrant grant = JSON.treeToValue(created.get("session"), SessionGrant.class);
                String[] hp = grant.node().split(":");
                TransferReport report = new TransferClient(TransportSettings.defaults()).send(
                        new java.net.InetSocketAddress(hp[0], Integer.parseInt(hp[1])), grant.ticket(), grant.sealed(), List.of(file), ProgressListener.NONE);
                long udpDone = System.nanoTime();
                String id = created.path("transfer").path("id").asText();
                JsonNode t = awaitDone(base + "transfers/" + id, token);
                double e2eSeconds = (System.nanoTime() - t1) / 1e9;
                check(client, bucket, "skyhaul/source.bin", sha);
                double udpSeconds = (udpDone - t1) / 1e9;
                System.out.println("| method | seconds | Mbit/s | vs SDK |");
                System.out.println("|---|---:|---:|---:|");
                row("AWS SDK v2 PutObject (one request)", sdkSeconds, bytes, sdkSeconds);
                row("Skyhaul S3 backend alone: putFile, 16 MiB parts, 4 in parallel", backendSeconds, bytes, sdkSeconds);
                row("Skyhaul end to end (API → UDP → node → S3 multipart)", e2eSeconds, bytes, sdkSeconds);
                System.out.printf(Locale.ROOT, "%nSkyhaul phases: API + UDP session %.2f s (session alone %.2f s, %.1f Mbit/s, %d bytes retransmitted);"
                        + " node to S3 %.2f s; the manager logged %.1f Mbit/s end to end%n", udpSeconds, report.seconds(), report.goodputMbps(),
                        report.retransmittedBytes(), e2eSeconds - udpSeconds, t.path("transfer").path("goodputMbps").asDouble());
                System.out.printf("every object read back through the SDK: sha256 %s%n", sha);
            }
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void row(String name, double seconds, long bytes, double sdkSeconds) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.2f× |%n", name, seconds, bytes * 8 / seconds / 1e6, sdkSeconds / seconds);
    }

    private static JsonNode awaitDone(String url, String token) throws Exception {
        long deadline = System.currentTimeMillis() + 30 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            JsonNode d = call(url, token, null);
            String state = d.path("transfer").path("state").asText();
            if (state.equals("done")) {
                return d;
            }
            if (state.equals("failed") || state.equals("cancelled") || state.equals("expired")) {
                throw new IllegalStateException("transfer " + state + ": " + d.path("transfer").path("error").asText());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("transfer not done within 30 minutes");
    }

    private static JsonNode call(String url, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static void check(S3Client client, String bucket, String key, String expected) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(expected)) {
            throw new IllegalStateException(key + ": read back sha256 " + got + ", expected " + expected);
        }
    }

    private static String writeRandom(Path file, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
